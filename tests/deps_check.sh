#!/bin/sh
# deps_check.sh SOURCE_DIR: scripts/install-deps --test installs every
# package debian/control builds with (Build-Depends, Build-Depends-Indep;
# versions, architectures and build profiles aside), so the package test
# (tests/e2e/package.sh) finds them on a fresh machine, not only on one where
# a developer installed them by hand. debhelper-compat (= N) is debhelper's.
set -u
src=$1
fail() { echo "FAIL deps: $*"; exit 1; }
have=$(sh "$src/scripts/install-deps" --test --print) || fail "scripts/install-deps --print failed"
# The fields' values, continuation lines included, one package a line.
wanted=$(awk '/^Build-Depends(-Indep)?:/ { on = 1; sub(/^[^:]*:/, ""); print; next }
              /^[^ \t]/ { on = 0 } on' "$src/debian/control" |
         tr ',' '\n' | sed 's/([^)]*)//; s/\[[^]]*\]//; s/<[^>]*>//g; s/^[[:space:]]*//; s/[[:space:]]*$//' |
         sed 's/^debhelper-compat$/debhelper/' | grep -v '^$')
[ -n "$wanted" ] || fail "debian/control names no Build-Depends"
n=0
for p in $wanted; do
  case " $have " in *" $p "*) n=$((n + 1)) ;; *) fail "debian/control builds with $p, which scripts/install-deps --test does not install" ;; esac
done
echo "deps: scripts/install-deps --test installs all $n build dependencies of debian/control"
