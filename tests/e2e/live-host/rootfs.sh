#!/bin/bash
# rootfs.sh prepare TESTBED_DIR: builds, once, the arm64 root the live host
# guest runs QEMU and libvirt from (real-form.sh): sid's qemu-system-arm,
# qemu-efi-aarch64, libvirt's QEMU driver and virsh for arm64, with every
# package they depend on, downloaded by the test bed's apt and unpacked with
# dpkg-deb (no maintainer script runs: nothing arm64 can run here). Prints the
# root's directory; the live host shares it read-only over virtio-9p.
#
# The directory, ${SMMU_ROOTFS_CACHE:-/var/tmp/smmu-plan-rootfs}/<key>, is keyed
# on this script and the packages' versions in the test bed's apt lists, so a
# new test bed with the same sid packages reuses it; it holds root/, packages
# (name and version of each unpacked package), build.log and the stamp
# "complete"; live-host.sh adds libvirt-caps/, libvirt's probe of this QEMU.
# Building one removes the others. About 55 MB to download and
# 30 s here; needs root.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SMMU_ROOTFS_CACHE:-/var/tmp/smmu-plan-rootfs}
PACKAGES="qemu-system-arm qemu-efi-aarch64 libvirt-daemon-driver-qemu libvirt-clients"
die() { echo "host root: cannot build: $*" >&2; exit 1; }
[ "${1:-}" = prepare ] && [ $# -eq 2 ] || { echo "usage: $0 prepare TESTBED_DIR" >&2; exit 2; }
TB=$(cd "$2" && pwd)
[ -f "$TB/complete" ] || die "$TB is not a complete test bed"
in_root() { "$HERE/../in-root.sh" "$TB" /usr/bin/env LC_ALL=C.UTF-8 sh -c "$1"; }
# shellcheck source=cache.sh
. "$HERE/cache.sh"

# apt as if this were an empty arm64 system: the whole dependency closure,
# nothing taken from what the (amd64) test bed has installed.
APT="apt-get -q -o APT::Architecture=arm64 -o APT::Architectures::=arm64"
APT="$APT -o Dir::State::status=/tmp/rootfs-status -o Debug::NoLocking=1"
APT="$APT -o APT::Sandbox::User=root -o Acquire::Check-Valid-Until=false"
VERSIONS=$(in_root "apt-cache -o APT::Architecture=arm64 policy $PACKAGES" |
           awk '/^[^ ]/ { p = $1 } /Candidate:/ { print p, $2 }')
[ "$(echo "$VERSIONS" | grep -vc ' (none)$')" -eq "$(echo $PACKAGES | wc -w)" ] ||
  die "the test bed's apt has no arm64 candidate for every one of $PACKAGES: $VERSIONS"
KEY=$({ cat "$0"; echo "$VERSIONS"; } | sha256sum | cut -c1-16)
cache_open "$KEY" rootfs
START=$SECONDS
echo "arm64 root of: $VERSIONS" >>"$LOG"
mkdir -p "$T/debs/partial" "$T/root/usr/bin" "$T/root/usr/sbin" "$T/root/usr/lib"
if ! in_root ": >/tmp/rootfs-status && $APT -o Dir::Cache::archives=$IN/debs install --download-only -y \
         --no-install-recommends $PACKAGES; rc=\$?; rm -f /tmp/rootfs-status; exit \$rc" >>"$LOG" 2>&1; then
  # An older test bed's package lists may name versions sid's mirror no longer
  # has: refresh them once and start again (new versions, new key).
  [ -z "${SMMU_ROOTFS_RETRIED:-}" ] || die "downloading $PACKAGES for arm64 failed (see $LOG)"
  in_root "apt-get -q -o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root update" >>"$LOG" 2>&1 ||
    die "downloading $PACKAGES for arm64 failed, and so did apt-get update (see $LOG)"
  rm -rf --one-file-system "$T"
  exec 9>&-
  SMMU_ROOTFS_RETRIED=1 exec "$0" "$@"
fi
# sid is merged-/usr: the top-level directories are links, as base-files makes them.
for d in bin sbin lib; do ln -s "usr/$d" "$T/root/$d"; done
in_root "cd $IN && for d in debs/*.deb; do dpkg-deb -x \$d root || exit 1
           dpkg-deb -f \$d Package Version | paste -sd' ' | sed 's/^Package: \(.*\) Version: /\1 /'
         done" >"$T/packages" 2>>"$LOG" || die "unpacking the arm64 packages failed (see $LOG)"
# Mount points the host guest needs (the root is read-only there).
mkdir -p "$T/root/dev" "$T/root/proc" "$T/root/sys" "$T/root/tmp" "$T/root/run"
# The accounts libvirt's QEMU driver looks up when it starts, before it reads
# qemu.conf (docs/libvirt.md); Debian's maintainer scripts would add them.
printf 'root:x:0:0:root:/root:/bin/sh\nlibvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin\n' \
  >"$T/root/etc/passwd"
printf 'root:x:0:\nkvm:x:64056:libvirt-qemu\nlibvirt-qemu:x:64055:\n' >"$T/root/etc/group"
[ -x "$T/root/usr/bin/qemu-system-aarch64" ] || die "no qemu-system-aarch64 in the unpacked root"
echo "== $(wc -l <"$T/packages") packages in $((SECONDS - START)) s" >>"$LOG"

mv "$T/root" "$T/packages" "$DIR.new/"
cache_publish
