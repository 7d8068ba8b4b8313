#!/bin/sh
# man_check.sh SMMU_PLAN MANPAGE: the man page lints clean (groff -ww,
# mandoc -Tlint), renders without a macro leaking into the text, and names
# every subcommand and every option the binary's --help lists.
set -u
bin=$1 page=$2
fail() { echo "FAIL man: $*"; exit 1; }
out=$(groff -man -ww -z "$page" 2>&1) || fail "groff failed: $out"
[ -z "$out" ] || fail "groff warns: $out"
out=$(mandoc -Tlint -W warning "$page" 2>&1)
[ -z "$out" ] || fail "mandoc warns: $out"
text=$(mandoc -Tutf8 "$page" | sed "s/.\x08//g") || fail "mandoc cannot render $page"
leak=$(printf '%s\n' "$text" | grep -nE '^[[:space:]]*\.[A-Za-z]{1,2}([[:space:]]|$)')
[ -z "$leak" ] || fail "a macro shows as text: $leak"
# Subcommands: the lines of --help's "Subcommands:" block.
subs=$("$bin" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p')
[ -n "$subs" ] || fail "$bin --help lists no subcommand"
n=0
for sub in $subs; do
  # Each has its own entry under COMMANDS: a line holding the name alone.
  printf "%s\n" "$text" | grep -qE "^ {7}$sub( |\$)" || fail "no entry for the subcommand $sub"
  for opt in $("$bin" "$sub" --help | grep -oE -- "--[a-z][a-z0-9-]*" | sort -u); do
    [ "$opt" = --help ] && continue
    printf '%s\n' "$text" | grep -qF -- "$opt" || fail "$sub's option $opt is not in the man page"
    n=$((n + 1))
  done
done
echo "man: lints clean; every subcommand ($(echo $subs | wc -w)) and option ($n) is in it"
