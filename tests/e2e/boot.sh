#!/bin/bash
# boot.sh TESTBED_DIR ARGS_FILE OUT_DIR: boots the test bed's arm64 guest in the
# sid root's QEMU (TCG, UEFI firmware, so the guest reads the real ACPI IORT)
# with the topology in ARGS_FILE (one argv element per line, as printed by
# `smmu-plan qemu-args --stand-ins`) added to the base machine, and writes the
# whole serial log (and QEMU's own messages) to OUT_DIR/console.log: the
# guest's report sections (guest-init.sh) are there for smmu-plan to read
# (`verify --console-log`, `guest-report`, rehearse), this script reads none.
# Exits 0 when QEMU ran to its end; else one line on stderr, non-zero.
# SMMU_BOOT_TIMEOUT (seconds) bounds the boot; by default 180 plus 6 per root
# port, since firmware enumerates each one under TCG (about 3 s a port on an
# idle 2-core machine, twice that with a second guest booting beside it).
set -eu

[ $# -eq 3 ] || { echo "usage: $0 TESTBED_DIR ARGS_FILE OUT_DIR" >&2; exit 2; }
TB=$(cd "$1" && pwd) ARGS=$2 OUT=$3
TIMEOUT=${SMMU_BOOT_TIMEOUT:-$((180 + 6 * $(grep -c '^pcie-root-port,' "$ARGS" || true)))}
die() { echo "boot: $*" >&2; exit 1; }
[ -f "$TB/complete" ] || die "$TB is not a complete test bed (run tests/e2e/testbed.sh prepare)"
[ -r "$ARGS" ] || die "cannot read $ARGS"
[ "$(id -u)" -eq 0 ] || die "must run as root (chroot needs it)"
# shellcheck source=/dev/null
. "$TB/env"
mkdir -p "$OUT"
LOG=$OUT/console.log

# The kernel and initrd, made visible inside the root for this boot only.
W=$(mktemp -d "$TB/root/tmp/boot.XXXXXX")
IN=/tmp/${W##*/}
cleanup() { rm -rf "$W"; }
trap cleanup EXIT
ln -f "$TB/$KERNEL" "$W/vmlinuz" 2>/dev/null || cp "$TB/$KERNEL" "$W/vmlinuz"
ln -f "$TB/$INITRD" "$W/initrd" 2>/dev/null || cp "$TB/$INITRD" "$W/initrd"

topology=()
while IFS= read -r line || [ -n "$line" ]; do
  [ -n "$line" ] && topology+=("$line")
done <"$ARGS"

# GPU topologies name guest NUMA nodes (-numa node,nodeid=K, memory-less):
# QEMU wants every node 0..K declared, so the base machine puts its memory
# and CPU on node 0 and declares any node in between memory-less too.
base_numa=()
if printf '%s\n' "${topology[@]}" | grep -qx -- -numa; then
  declared=" $(printf '%s\n' "${topology[@]}" | sed -n 's/^node,.*nodeid=\([0-9]*\).*/\1/p' | tr '\n' ' ')"
  highest=$(echo "$declared" | tr ' ' '\n' | sort -n | tail -1)
  base_numa=(-object memory-backend-ram,id=boot-mem0,size=1G -numa node,nodeid=0,memdev=boot-mem0,cpus=0)
  for ((n = 1; n < highest; n++)); do
    case $declared in *" $n "*) ;; *) base_numa+=(-numa "node,nodeid=$n") ;; esac
  done
fi

t0=$SECONDS
rc=0
# proc is mounted in a mount namespace of this boot's own, so parallel boots
# never unmount each other's: in-root.sh's command, written out here because
# testbed.sh copies this script, and it alone, into the test bed.
timeout --kill-after=10 "$TIMEOUT" unshare --mount --propagation private \
  sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$TB/root" qemu-system-aarch64 \
  -accel tcg -cpu max -machine virt,gic-version=3 -m 1G \
  -bios "$FIRMWARE" -kernel "$IN/vmlinuz" -initrd "$IN/initrd" \
  -append 'console=ttyAMA0 panic=-1' -nographic -no-reboot \
  "${base_numa[@]}" "${topology[@]}" </dev/null >"$LOG" 2>&1 || rc=$?

qemu_error=$(grep -m1 '^qemu-system-aarch64:' "$LOG" || true)
case $rc in
  0) echo "boot: QEMU ran $((SECONDS - t0)) s, to the guest's end" >&2; exit 0 ;;
  124|137) why="timeout after ${TIMEOUT}s, not a wrong topology" ;;
  *) why="qemu exited $rc" ;;
esac
[ -z "$qemu_error" ] || why="$why: $qemu_error"
die "guest did not report ($why); see $LOG"
