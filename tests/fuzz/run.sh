#!/bin/sh
# Runs one libFuzzer harness for a bounded time (ctest's fuzz.<name>):
#   run.sh HARNESS WORK SECONDS DICT SEED...
# A SEED is a file, a directory of files, or N@FILE: the file with byte N
# in front (for harnesses whose first byte picks a parser). Seeds are copied
# into WORK/seeds; new inputs go to WORK/corpus; a crash, leak, timeout
# (10 s an input), out-of-memory (2 GiB) or broken invariant fails with the
# reproducer kept in WORK/artifacts and printed in hex (its first 8 KiB).
set -u
harness=$1 work=$2 seconds=$3 dict=$4
shift 4
name=${work##*/}
rm -rf "$work/seeds" "$work/artifacts"
mkdir -p "$work/seeds" "$work/corpus" "$work/artifacts"
n=0
for seed in "$@"; do
  case $seed in
    *@*) byte=${seed%%@*} file=${seed#*@} ;;
    *) byte="" file=$seed ;;
  esac
  files=$file
  [ -d "$file" ] && files=$(find "$file" -type f | sort)
  for f in $files; do
    n=$((n + 1))
    { [ -z "$byte" ] || printf "\\$(printf %o "$byte")"; cat "$f"; } >"$work/seeds/$n" ||
      { echo "FAIL fuzz.$name: cannot read seed $f"; exit 1; }
  done
done

log=$work/log
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -dict="$dict" \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" "$work/seeds" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ $rc -ne 0 ] || [ -z "$runs" ]; then
  echo "FAIL fuzz.$name (exit $rc):"
  grep -E "ERROR|SUMMARY|invariant broken|runtime error|Test unit written|#[0-9]+ *(CRASH|DONE)" "$log" | head -20
  for a in "$work"/artifacts/*; do
    [ -f "$a" ] || continue
    echo "reproducer $a ($(wc -c <"$a") bytes), hex:"
    od -An -tx1 -v "$a" | head -512
  done
  exit 1
fi
echo "fuzz.$name: $runs executions in $seconds s from $n seeds, corpus $(ls "$work/corpus" | wc -l) files"
