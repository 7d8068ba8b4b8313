#!/bin/sh
# The sanitizer build and its run: smmu-plan, the unit suite and the
# libFuzzer harnesses built with clang, ASan and UBSan in build/asan; then
# the unit suite under them (the CLI tests start the sanitized smmu-plan)
# and each harness for SMMU_FUZZ_SECONDS (30). Any sanitizer finding fails
# the test it is in.
#   tests/sanitize.sh build   builds only (scripts/test starts this early,
#                             niced, to use what CPU the e2e tests leave)
#   tests/sanitize.sh         builds what is left, then runs the tests
set -u
cd "$(dirname "$0")/.."
dir=build/asan
seconds=${SMMU_FUZZ_SECONDS:-30}
mkdir -p build
if [ ! -f $dir/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" -DSMMU_SANITIZE=ON >$dir.log 2>&1 ||
    { echo "FAIL sanitize: cannot configure the clang build (see $dir.log)"; exit 1; }
fi
cmake -S . -B $dir -DSMMU_FUZZ_SECONDS="$seconds" >/dev/null &&
  cmake --build $dir >$dir.log 2>&1 ||
  { tail -30 $dir.log; echo "FAIL sanitize: the clang build failed (see $dir.log)"; exit 1; }
[ "${1:-}" = build ] && exit 0
# Leaks count too; a UBSan finding stops the process it is in.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir $dir --output-on-failure -j2
