#!/bin/bash
# testbed.sh prepare: builds, once, the end-to-end test bed of smmu-plan, a
# Debian sid root with a QEMU that has arm-smmuv3 (Debian 12's has not), the
# AArch64 UEFI firmware, libvirt, and an arm64 kernel with a busybox initramfs
# whose /init is guest-init.sh. Prints the test bed's directory on stdout.
#
# The directory, ${SMMU_TESTBED_CACHE:-/var/tmp/smmu-plan-testbed}/<key>, is keyed
# on the sha256 of this script, guest-init.sh and boot.sh; it holds root/ (the sid root),
# vmlinuz, initrd.cpio.gz, env (names them, and the firmware inside root/),
# boot (runs boot.sh on this test bed: `boot ARGS_FILE OUT_DIR`), build.log, and the
# stamp "complete"; building one removes the complete test beds of other keys.
# The mirror is the one this machine's apt
# uses (or $SMMU_TESTBED_MIRROR). Needs root and debootstrap (scripts/install-deps --test).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SMMU_TESTBED_CACHE:-/var/tmp/smmu-plan-testbed}
SID_PACKAGES="qemu-system-arm qemu-efi-aarch64 libvirt-daemon-driver-qemu libvirt-clients cpio xz-utils"
# To build smmu-plan against the sid libvirt for the libvirt API tests, and
# its arm64 Debian package (tests/e2e/package.sh).
SID_BUILD_PACKAGES="build-essential cmake ninja-build pkg-config libcli11-dev nlohmann-json3-dev libpugixml-dev libxml2-dev libvirt-dev libyaml-cpp-dev
  debhelper dh-python"
# To cross-build smmu-plan and its unit tests for arm64 (tests/e2e/arm64-build.sh)
# and run them under qemu-user.
SID_ARM64_PACKAGES="g++-aarch64-linux-gnu qemu-user libpugixml-dev:arm64 libxml2-dev:arm64 libvirt-dev:arm64
  libyaml-cpp-dev:arm64 libgtest-dev:arm64 libgmock-dev:arm64 libbenchmark-dev:arm64"
# To run the nova plugin's tests on sid's nova 34 (tests/e2e/nova.sh), as on
# Debian 12's nova 26 outside the root (docs/nova.md, Testing against nova).
SID_NOVA_PACKAGES="python3-nova python3-pytest python3-wsgi-intercept python3-oslotest"
GUEST_MODULES="virtio_rng"   # the rest (SMMUv3, PCI host, virtio-pci) is built in
APT="apt-get -q -o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root"

die() { echo "testbed: cannot build: $*" >&2; exit 1; }
[ "${1:-}" = prepare ] || { echo "usage: $0 prepare" >&2; exit 2; }

KEY=$(cat "$0" "$HERE/guest-init.sh" "$HERE/boot.sh" | sha256sum | cut -c1-16)
DIR=$CACHE/$KEY
if [ -f "$DIR/complete" ]; then echo "$DIR"; exit 0; fi

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot need it)"
command -v debootstrap >/dev/null || die "debootstrap is not installed (run scripts/install-deps --test)"
mkdir -p "$CACHE" || die "cannot create $CACHE"
LOG=$CACHE/$KEY.build.log
exec 9>"$CACHE/$KEY.lock"
flock 9                                   # another prepare may be building the same key
if [ -f "$DIR/complete" ]; then echo "$DIR"; exit 0; fi
: >"$LOG"

# shellcheck source=mirror.sh
. "$HERE/mirror.sh"

T=""
cleanup() {
  [ -n "$T" ] || return 0
  umount "$T/root/proc" 2>/dev/null || true
  rm -rf --one-file-system "$T"
}
trap cleanup EXIT
trap "exit 1" INT TERM HUP

# step "WHAT" CMD...: runs CMD with its output in the log, timed; dies naming WHAT.
step() {
  local what=$1 t0=$SECONDS; shift
  echo "== $what" >>"$LOG"
  "$@" >>"$LOG" 2>&1 || die "$what failed (see $LOG)"
  echo "== $what: $((SECONDS - t0)) s" >>"$LOG"
}
in_root() { chroot "$T/root" /usr/bin/env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 sh -c "$1"; }

MIRROR=$(mirror) || die "no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
T=$(mktemp -d "$CACHE/.build-$KEY.XXXXXX")
chmod 755 "$T"
echo "building $DIR in $T from the mirror of /etc/apt" >>"$LOG"
START=$SECONDS

step "debootstrap of sid" debootstrap --variant=minbase sid "$T/root" "$MIRROR"
mount -t proc proc "$T/root/proc" || die "mounting proc in the sid root failed"
step "apt-get update in the sid root" in_root "dpkg --add-architecture arm64 && $APT update"
step "installing $SID_PACKAGES in the sid root" \
  in_root "$APT install -y --no-install-recommends $(echo $SID_PACKAGES $SID_BUILD_PACKAGES $SID_ARM64_PACKAGES $SID_NOVA_PACKAGES) && apt-get clean"

# linux-image-arm64 -> linux-image-<ver>-arm64 -> linux-binary-<ver>-arm64 (vmlinuz),
# linux-modules-<ver>-arm64 and linux-base-<ver>-arm64 (the kernel's config);
# older layouts have everything in linux-image-<ver>.
deps_of() { in_root "apt-cache depends $1:arm64" | sed -n "s/^ *Depends: \\($2\\):arm64\$/\\1/p"; }
IMAGE=$(deps_of linux-image-arm64 'linux-image-[^ :]*' | head -1)
[ -n "$IMAGE" ] || die "linux-image-arm64:arm64 in sid names no linux-image-<ver> (see $LOG)"
KPKGS=$({ echo "$IMAGE"; deps_of "$IMAGE" 'linux-\(binary\|modules\|base\)-[^ :]*'; } | paste -sd' ')
echo "kernel packages: $KPKGS" >>"$LOG"
mkdir -p "$T/root/tmp/dl" "$T/root/tmp/k" "$T/root/tmp/initramfs"
step "downloading $KPKGS busybox-static (arm64)" in_root "cd /tmp/dl &&
  $APT download $(printf '%s:arm64 ' $KPKGS) busybox-static:arm64 &&
  for d in *.deb; do dpkg-deb -x \$d /tmp/k || exit 1; done"

K=$T/root/tmp/k
VMLINUZ=$(ls "$K"/usr/lib/modules/*/vmlinuz "$K"/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$VMLINUZ" ] || die "no vmlinuz in $KPKGS (see $LOG)"
KVER=$(basename "$(dirname "$VMLINUZ")"); [ "$KVER" != boot ] || KVER=${VMLINUZ##*/vmlinuz-}
cp "$VMLINUZ" "$T/vmlinuz"

# The initramfs: busybox, /init, and GUEST_MODULES with their dependencies first.
I=$T/root/tmp/initramfs
mkdir -p "$I/bin" "$I/dev" "$I/proc" "$I/sys" "$I/lib/modules"
cp "$K/usr/bin/busybox" "$I/bin/busybox" || cp "$K/bin/busybox" "$I/bin/busybox" ||
  die "no busybox in busybox-static:arm64 (see $LOG)"
cp "$HERE/guest-init.sh" "$I/init" && chmod 755 "$I/init"
# How many NUMA nodes the guest kernel holds (MAX_NUMNODES), for guest-init to
# report: GPU nodes beyond it cannot show in the guest kernel.
mkdir -p "$I/etc"
NODES_SHIFT=$(cat "$K"/boot/config-* "$K"/usr/lib/modules/*/config 2>/dev/null | sed -n 's/^CONFIG_NODES_SHIFT=//p' | head -1)
[ -z "$NODES_SHIFT" ] || echo $((1 << NODES_SHIFT)) >"$I/etc/max-numa-nodes"
echo "guest kernel NUMA nodes: ${NODES_SHIFT:+$((1 << NODES_SHIFT))}" >>"$LOG"
mknod -m 600 "$I/dev/console" c 5 1 2>/dev/null || true   # init reopens it anyway
add_module() {
  local name=$1 ko dep
  grep -qx "$name" "$I/lib/modules/order" 2>/dev/null && return 0
  ko=$(find "$K" -name "$name.ko*" -o -name "$(echo "$name" | tr _ -).ko*" | head -1)
  [ -n "$ko" ] || die "kernel module $name not found in $KPKGS (see $LOG)"
  case $ko in *.xz) chroot "$T/root" xz -dc "${ko#"$T/root"}" ;; *) cat "$ko" ;; esac \
    >"$I/lib/modules/$name.ko" || die "cannot decompress $ko"
  for dep in $(grep -ao 'depends=[a-z0-9_,-]*' "$I/lib/modules/$name.ko" | sed 's/^depends=//' | tr , ' '); do
    add_module "$dep"
  done
  echo "$name" >>"$I/lib/modules/order"
}
: >"$I/lib/modules/order"
for m in $GUEST_MODULES; do add_module "$m"; done
step "packing the initramfs" in_root "cd /tmp/initramfs && find . | cpio -o -H newc | gzip -9 >/tmp/initrd.cpio.gz"
mv "$T/root/tmp/initrd.cpio.gz" "$T/initrd.cpio.gz"
rm -rf "$T/root/tmp/dl" "$K" "$I"

FIRMWARE=""
for f in /usr/share/qemu-efi-aarch64/QEMU_EFI.fd /usr/share/AAVMF/AAVMF_CODE.fd; do
  [ -f "$T/root$f" ] && { FIRMWARE=$f; break; }
done
[ -n "$FIRMWARE" ] || die "qemu-efi-aarch64 installed no QEMU_EFI.fd nor AAVMF_CODE.fd"
QEMU_VERSION=$(in_root "dpkg-query -W -f '\${Version}' qemu-system-arm")
LIBVIRT_VERSION=$(in_root "dpkg-query -W -f '\${Version}' libvirt-daemon-driver-qemu")
umount "$T/root/proc"

cat >"$T/env" <<EOF
# Paths relative to this directory, FIRMWARE relative to root/.
ROOT=root
KERNEL=vmlinuz
INITRD=initrd.cpio.gz
FIRMWARE=$FIRMWARE
QEMU_VERSION=$QEMU_VERSION
LIBVIRT_VERSION=$LIBVIRT_VERSION
KERNEL_VERSION=$KVER
EOF
echo "== total: $((SECONDS - START)) s" >>"$LOG"
# The test bed boots itself: `DIR/boot ARGS_FILE OUT_DIR` (what smmu-plan rehearse runs).
cp "$HERE/boot.sh" "$T/boot.sh"
printf '#!/bin/sh\nexec "$(dirname "$0")/boot.sh" "$(dirname "$0")" "$@"\n' >"$T/boot"
chmod 755 "$T/boot" "$T/boot.sh"
cp "$LOG" "$T/build.log"
touch "$T/complete"
rm -rf --one-file-system "$DIR"          # an incomplete leftover, never a complete one
mv -T "$T" "$DIR" || die "cannot move $T to $DIR"
T=""
# Complete test beds of other versions of these scripts (1-1.5 GB each) are
# never used again by this checkout: drop them.
for stamp in "$CACHE"/*/complete; do
  old=${stamp%/complete}
  [ -f "$stamp" ] && [ "$old" != "$DIR" ] || continue
  rm -rf --one-file-system "$old" "$old.build.log" "$old.lock"
  echo "testbed: removed the older test bed ${old##*/}" >&2
done
for log in "$CACHE"/*.build.log; do           # and what failed builds left
  [ -f "$log" ] && [ ! -d "${log%.build.log}" ] && rm -f "$log" "${log%.build.log}.lock"
done
echo "$DIR"
