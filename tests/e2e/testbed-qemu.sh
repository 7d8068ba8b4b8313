#!/bin/sh
# testbed-qemu.sh TESTBED_DIR: prints the path of TESTBED_DIR/qemu-system-aarch64,
# a wrapper that runs the test bed's own QEMU (Debian sid's, in its root) as
# `smmu-plan --qemu` runs a binary: arguments and stdin passed through. It
# is written once into the test bed (it finds the root beside itself, so it
# holds no path of this checkout) and then left alone, so smmu-plan's cache
# of its answer (keyed on the file) stays valid for that test bed.
set -eu
[ $# -eq 1 ] && [ -d "$1/root" ] || { echo "usage: $0 TESTBED_DIR" >&2; exit 2; }
TB=$(cd "$1" && pwd -P)
W=$TB/qemu-system-aarch64
if [ ! -x "$W" ]; then
  cat >"$W.new" <<'WRAPPER'
#!/bin/sh
# The test bed's QEMU for `smmu-plan --qemu` (tests/e2e/testbed-qemu.sh).
root=$(cd "$(dirname "$0")" && pwd -P)/root
exec unshare --mount --propagation private sh -c '
  mount -t proc proc "$0/proc" || exit 1
  exec chroot "$0" qemu-system-aarch64 "$@"' "$root" "$@"
WRAPPER
  chmod 0755 "$W.new"
  mv "$W.new" "$W"
fi
echo "$W"
