#!/bin/sh
# qemu-caps.sh SMMU_PLAN [record]: the test bed's QEMU must answer, over QMP,
# the property lists smmu-plan ships for its release (qemu-caps/qemu-X.Y.json),
# so a QEMU that renames, retypes or drops a property fails with the
# difference; `record` writes that file anew from it instead. Asked by
# `smmu-plan qemu-caps --qemu` itself, the query operators' runs make.
# Needs root and the test bed.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 SMMU_PLAN [record]" >&2; exit 2; }
PLAN_BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TB=$("$HERE/testbed.sh" prepare)
# shellcheck source=/dev/null
. "$TB/env"
release=$(echo "$QEMU_VERSION" | sed 's/^[0-9]*://; s/^\([0-9]*\.[0-9]*\).*/\1/')
SHIPPED=$REPO/qemu-caps/qemu-$release.json
QEMU=$("$HERE/testbed-qemu.sh" "$TB")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# A cache of its own: every run asks QEMU anew.
XDG_CACHE_HOME=$WORK/cache "$PLAN_BIN" qemu-caps --qemu "$QEMU" -o "$WORK/caps.json"
if [ "${2:-}" = record ]; then
  cp "$WORK/caps.json" "$SHIPPED"
  echo "qemu-caps: wrote $SHIPPED from QEMU $QEMU_VERSION"
  exit 0
fi
[ -f "$SHIPPED" ] || { echo "FAIL qemu-caps: the test bed runs QEMU $release, smmu-plan ships no qemu-caps/qemu-$release.json (record it: $0 SMMU_PLAN record)"; exit 1; }
if ! diff -u "$SHIPPED" "$WORK/caps.json"; then
  echo "FAIL qemu-caps: QEMU $QEMU_VERSION's property lists differ from $SHIPPED (above: - shipped, + QEMU)"
  exit 1
fi
echo "qemu-caps: QEMU $QEMU_VERSION answers exactly $SHIPPED's lists"
