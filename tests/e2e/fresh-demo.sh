#!/bin/bash
# fresh-demo.sh [--test-deps]: times the Quick start's first command,
# scripts/demo, as a new user meets it: this checkout's files copied into a
# copy of a clean Debian 12 root (debian12-root.sh) and run there as root,
# apt downloads included. With --test-deps it then times
# `scripts/install-deps --test`, what step 2 adds before it builds the tests.
# A measurement for the README, not a CI test (it downloads and compiles for
# minutes); prints one line per step. Needs root.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
W=$REPO/build/fresh-demo
BASE=$("$HERE/debian12-root.sh" prepare)
rm -rf --one-file-system "$W"
mkdir -p "$W"
cp -a "$BASE/root" "$W/root"
cp /etc/resolv.conf "$W/root/etc/resolv.conf"
mkdir -p "$W/root/src"
git -C "$REPO" ls-files -co --exclude-standard -z | tar -C "$REPO" --null -T - -cf - | tar -xf - -C "$W/root/src"
run() { "$HERE/in-root.sh" "$W" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 "$@"; }
t0=$SECONDS
run /src/scripts/demo >"$W/demo.log" 2>&1 || { tail -20 "$W/demo.log"; echo "fresh-demo: scripts/demo failed"; exit 1; }
echo "fresh-demo: scripts/demo on a clean Debian 12 root: $((SECONDS - t0)) s"
if [ "${1:-}" = --test-deps ]; then
  t0=$SECONDS
  run /src/scripts/install-deps --test >"$W/test-deps.log" 2>&1 || { tail -20 "$W/test-deps.log"; exit 1; }
  echo "fresh-demo: then scripts/install-deps --test: $((SECONDS - t0)) s"
fi
rm -rf --one-file-system "$W"
