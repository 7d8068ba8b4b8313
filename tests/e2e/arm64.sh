#!/bin/bash
# arm64.sh build | test — smmu-plan for arm64, the architecture it exists for.
#   build: cross-builds smmu-plan and its unit tests (g++-aarch64-linux-gnu and
#          the :arm64 -dev packages of the test bed's sid root,
#          cmake/aarch64-linux-gnu.cmake) into build/arm64/ of this checkout,
#          which the sid root sees at /src. One build serves the unit run,
#          the live host (tests/e2e/live-host.sh) and packaging.
#   test:  runs that build's whole unit suite under qemu-user (ctest in the
#          sid root; the CLI tests run the arm64 binary through
#          build/arm64/smmu-plan-emulated).
# Needs root (chroot) and the test bed (tests/e2e/testbed.sh prepare).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
[ $# -eq 1 ] && { [ "$1" = build ] || [ "$1" = test ]; } || { echo "usage: $0 build|test" >&2; exit 2; }
TB=$("$HERE/testbed.sh" prepare)
in_src() { "$HERE/in-root.sh" --bind "$REPO" /src "$TB" /usr/bin/env LC_ALL=C.UTF-8 "$@"; }

case $1 in
build)
  t0=$SECONDS
  # A build tree configured for another source path, toolchain or prefix
  # (/usr: the arm64 package is made of it, debian/rules) is dropped.
  cache=$REPO/build/arm64/CMakeCache.txt
  if [ -f "$cache" ] && ! { grep -qx 'CMAKE_TOOLCHAIN_FILE:FILEPATH=/src/cmake/aarch64-linux-gnu.cmake' "$cache" &&
                            grep -qx 'CMAKE_INSTALL_PREFIX:PATH=/usr' "$cache"; }; then
    rm -rf "$REPO/build/arm64"
  fi
  [ -f "$REPO/build/arm64/build.ninja" ] ||
    in_src cmake -S /src -B /src/build/arm64 -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
      -DCMAKE_TOOLCHAIN_FILE=/src/cmake/aarch64-linux-gnu.cmake >/dev/null ||
    { echo "FAIL arm64: cmake cannot configure the arm64 build"; exit 1; }
  in_src ninja -C /src/build/arm64 smmu-plan smmu_tests >"$REPO/build/arm64.log" 2>&1 ||
    { tail -30 "$REPO/build/arm64.log"; echo "FAIL arm64: the build failed (build/arm64.log)"; exit 1; }
  # ELF e_machine (offset 18, little-endian) 0xb7: AArch64.
  machine=$(od -An -tx1 -j18 -N2 "$REPO/build/arm64/smmu-plan" | tr -d ' ')
  [ "$machine" = b700 ] || { echo "FAIL arm64: build/arm64/smmu-plan is not an AArch64 ELF ($machine)"; exit 1; }
  echo "arm64: smmu-plan and smmu_tests built for AArch64 in $((SECONDS - t0)) s"
  ;;
test)
  [ -x "$REPO/build/arm64/tests/smmu_tests" ] || { echo "FAIL arm64: not built (run $0 build)"; exit 1; }
  rc=0
  # The sid root has qemu-system-aarch64 on PATH, which the CLI tests then ask
  # (--qemu's default); its answers are cached in the build tree, not the root.
  # Two gtest shards, a process each (tests/CMakeLists.txt); -V keeps
  # gtest's own summary of each in the log.
  in_src XDG_CACHE_HOME=/src/build/arm64/qemu-cache ctest --test-dir /src/build/arm64 -j2 -V \
    >"$REPO/build/arm64-test.log" 2>&1 || rc=$?
  grep -E '^[0-9]+% tests passed|^[0-9]+: \[  (PASSED|FAILED) +\]|^[0-9]+: \[  SKIPPED \] [0-9]' "$REPO/build/arm64-test.log" |
    sed 's/^/arm64: /'
  [ $rc -eq 0 ] || { echo "FAIL arm64: unit tests under qemu-user (build/arm64-test.log)"; exit 1; }
  ;;
esac
