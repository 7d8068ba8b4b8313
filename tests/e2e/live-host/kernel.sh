#!/bin/bash
# kernel.sh prepare TESTBED_DIR: builds, once, the arm64 kernel of the live
# host (tests/e2e/live-host.sh) from Debian's own source (the test bed's
# linux-source package): tinyconfig plus kernel.config beside this script,
# cross-compiled in the test bed's sid root. Prints the kernel's directory.
#
# The directory, ${SMMU_KERNEL_CACHE:-/var/tmp/smmu-plan-kernel}/<key>, is keyed
# on this script, kernel.config and the source package's version, so a new
# test bed reuses it; it holds Image, config, version, build.log (with the
# build's time) and the stamp "complete". Building one removes the others.
# Takes about 15 minutes on 2 cores; needs root.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SMMU_KERNEL_CACHE:-/var/tmp/smmu-plan-kernel}
die() { echo "host kernel: cannot build: $*" >&2; exit 1; }
[ "${1:-}" = prepare ] && [ $# -eq 2 ] || { echo "usage: $0 prepare TESTBED_DIR" >&2; exit 2; }
TB=$(cd "$2" && pwd)
[ -f "$TB/complete" ] || die "$TB is not a complete test bed"
in_root() { "$HERE/../in-root.sh" "$TB" /usr/bin/env LC_ALL=C.UTF-8 sh -c "$1"; }
# shellcheck source=cache.sh
. "$HERE/cache.sh"

SOURCE_PKG=$(in_root "dpkg-query -W -f '\${Package} \${Version}\n' 'linux-source-*'" | sort -V | tail -1)
[ -n "$SOURCE_PKG" ] || die "no linux-source-* package in the test bed"
KEY=$({ cat "$0" "$HERE/kernel.config"; echo "$SOURCE_PKG"; } | sha256sum | cut -c1-16)
cache_open "$KEY" kernel
cp "$HERE/kernel.config" "$T/fragment"
START=$SECONDS
echo "building from $SOURCE_PKG" >>"$LOG"
TARBALL=$(in_root "ls /usr/src/linux-source-*.tar.xz" | sort -V | tail -1)
[ -n "$TARBALL" ] || die "$SOURCE_PKG installed no /usr/src/linux-source-*.tar.xz"
MAKE="make -C $IN/src ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- KBUILD_BUILD_USER=smmu-plan KBUILD_BUILD_HOST=testbed"
in_root "mkdir $IN/src && tar -xJf $TARBALL -C $IN/src --strip-components=1" >>"$LOG" 2>&1 ||
  die "cannot unpack $TARBALL (see $LOG)"
echo "== unpacked: $((SECONDS - START)) s" >>"$LOG"
in_root "$MAKE tinyconfig && cd $IN/src && scripts/kconfig/merge_config.sh -m .config $IN/fragment &&
         $MAKE olddefconfig" >>"$LOG" 2>&1 || die "configuring failed (see $LOG)"
# olddefconfig drops what the source cannot give, and an option something
# selects stays on: every line of the fragment must have held.
missing=$( { grep '^CONFIG_' "$T/fragment" | while read -r want; do
    grep -qx "$want" "$T/src/.config" || echo "${want%%=*}"
  done
  sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$T/fragment" | while read -r off; do
    grep -q "^$off=" "$T/src/.config" && echo "$off (off)"
  done; } | paste -sd' ')
[ -z "$missing" ] || die "$SOURCE_PKG cannot set $missing as kernel.config asks"
t0=$SECONDS
in_root "$MAKE -j$(nproc) Image" >>"$LOG" 2>&1 || die "make Image failed (see $LOG)"
echo "== make Image: $((SECONDS - t0)) s; total $((SECONDS - START)) s" >>"$LOG"

cp "$T/src/arch/arm64/boot/Image" "$DIR.new/"
cp "$T/src/.config" "$DIR.new/config"
in_root "$MAKE -s kernelrelease" >"$DIR.new/version"
cache_publish
