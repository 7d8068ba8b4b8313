#!/bin/sh
# qemu-caps.sh [record]: the test bed's QEMU must answer, over QMP, the
# property lists smmu-plan ships for its release (qemu-caps/qemu-X.Y.json), so
# a QEMU that renames, retypes or drops a property fails with the difference;
# `record` writes that file anew from it instead. Needs root and the test bed.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TB=$("$HERE/testbed.sh" prepare)
# shellcheck source=/dev/null
. "$TB/env"
release=$(echo "$QEMU_VERSION" | sed 's/^[0-9]*://; s/^\([0-9]*\.[0-9]*\).*/\1/')
mode=check
[ "${1:-}" != record ] || mode=record
exec /usr/bin/python3 "$HERE/qemu_caps.py" "$mode" "$REPO/qemu-caps/qemu-$release.json" -- \
  "$HERE/in-root.sh" "$TB" qemu-system-aarch64
