#!/bin/bash
# sid-build.sh: builds smmu-plan (no tests) in the test bed's sid root
# against its libraries, libvirt 12.8's headers among them, into build/sid of
# this checkout (the root sees it at /src), for the tests that run
# smmu-plan inside that root: the libvirt API (libvirt-api.sh) and the nova
# plugin on sid's nova 34 (nova.sh). ctest's e2e.sid.build runs it once
# before both. Unoptimized: what those tests check is behaviour, and -O0
# builds in a third less time than -O3 (109 s against 160 s on 2 idle cores).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TB=$("$HERE/testbed.sh" prepare)
in_src() { "$HERE/in-root.sh" --bind "$REPO" /src "$TB" /usr/bin/env LC_ALL=C.UTF-8 "$@"; }
t0=$SECONDS
# A tree configured elsewhere (another source path) is dropped.
cache=$REPO/build/sid/CMakeCache.txt
if [ -f "$cache" ] && ! grep -qx 'CMAKE_HOME_DIRECTORY:INTERNAL=/src' "$cache"; then rm -rf "$REPO/build/sid"; fi
[ -f "$REPO/build/sid/build.ninja" ] ||
  in_src cmake -S /src -B /src/build/sid -G Ninja -DSMMU_TESTS=OFF -DCMAKE_BUILD_TYPE=None >/dev/null ||
  { echo "FAIL sid-build: cmake cannot configure in the sid root"; exit 1; }
in_src ninja -C /src/build/sid smmu-plan >"$REPO/build/sid.log" 2>&1 ||
  { tail -20 "$REPO/build/sid.log"; echo "FAIL sid-build: smmu-plan does not build against the sid root (build/sid.log)"; exit 1; }
echo "sid-build: smmu-plan built against the sid root's libraries in $((SECONDS - t0)) s"
