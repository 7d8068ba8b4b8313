#!/bin/bash
# check-samples.sh SMMU_PLAN: proves the test bed against known answers: boots
# each tests/data/guest-samples/*.args and checks the guest's IORT (from byte
# 36 on, past the header) and SMMU map against what the reference guest read,
# each taken from the console logs by `SMMU_PLAN guest-report` (the reader
# verify and rehearse use). Outputs stay in $SMMU_E2E_OUT (default: a temp
# dir, printed). Needs root.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 SMMU_PLAN" >&2; exit 2; }
PLAN_BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${SMMU_E2E_OUT:-$(mktemp -d /tmp/smmu-e2e.XXXXXX)}
pass=0 fail=0

t0=$SECONDS
TB=$("$HERE/testbed.sh" prepare)
echo "test bed: $TB (prepare $((SECONDS - t0)) s)"

# same_iort NAME GUEST EXPECTED: compares from byte 36, shows the bytes that differ.
same_iort() {
  if cmp -s <(tail -c +37 "$2") <(tail -c +37 "$3"); then return 0; fi
  echo "$1: IORT differs (offset, guest, expected; bytes in octal):"
  cmp -l "$2" "$3" | awk '$1 > 36 { printf "  0x%x %s %s\n", $1 - 1, $2, $3 }' | head -40
  cmp "$2" "$3" | grep -v '^cmp: EOF' || true
  return 1
}
check() {   # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then echo "PASS $name"; pass=$((pass + 1)); else echo "FAIL $name"; fail=$((fail + 1)); fi
}
boot() {    # boot NAME ARGS: boots into $OUT/NAME; boot.sh says how long it took, or why not
  "$HERE/boot.sh" "$TB" "$2" "$OUT/$1" 2>&1 | sed "s/^/$1: /"
  return "${PIPESTATUS[0]}"
}
# report LOG SECTION FILE: the guest's SECTION from its console LOG into FILE
# (smmu-plan says what it lacks or cannot read).
report() {
  "$PLAN_BIN" guest-report --console-log "$1" --section "$2" -o "$3"
}

for args in "$REPO"/tests/data/guest-samples/*.args; do
  name=$(basename "$args" .args)
  sample=${args%.args}
  if ! boot "$name" "$args"; then check "$name boots" false; continue; fi
  log=$OUT/$name/console.log
  if ! report "$log" IORT "$OUT/$name/iort.bin" || ! report "$log" SMMU-MAP "$OUT/$name/smmu-map.txt"; then
    check "$name reports" false; continue
  fi
  check "$name iort" same_iort "$name" "$OUT/$name/iort.bin" "$sample.iort.bin"
  report "$sample.guest.txt" SMMU-MAP "$OUT/$name/expected-map.txt"
  check "$name smmu-map" diff -u "$OUT/$name/expected-map.txt" "$OUT/$name/smmu-map.txt"
done

echo "outputs: $OUT"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
