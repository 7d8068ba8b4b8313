#!/bin/bash
# kernel.sh prepare: builds, once, the arm64 kernel of the live host
# (tests/e2e/live-host.sh) from Debian sid's own source package
# (linux-source-<ver>): tinyconfig plus kernel.config beside this script,
# cross-compiled on this machine with Debian 12's gcc-aarch64-linux-gnu
# (scripts/install-deps --test). It needs no test bed, so on a fresh machine
# it compiles while the test bed downloads (scripts/test). Prints the
# kernel's directory.
#
# The directory, ${SMMU_KERNEL_CACHE:-/var/tmp/smmu-plan-kernel}/<key>, is keyed
# on this script and kernel.config; it holds Image, config, version, source
# (the package it was built from), build.log (with the build's times) and the
# stamp "complete". Building one removes the others. The source is the newest
# linux-source-* in sid's index on the mirror this machine's apt uses
# ($SMMU_TESTBED_MIRROR if set), checked as apt checks it: InRelease against
# Debian's archive keyring, then the index's and the package's SHA256.
# Takes about 15 minutes on 2 cores; needs root and network the first time.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SMMU_KERNEL_CACHE:-/var/tmp/smmu-plan-kernel}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
die() { echo "host kernel: cannot build: $*" >&2; exit 1; }
[ "${1:-}" = prepare ] && [ $# -eq 1 ] || { echo "usage: $0 prepare" >&2; exit 2; }
for tool in aarch64-linux-gnu-gcc flex bison bc make curl gpgv xz; do
  command -v $tool >/dev/null || die "$tool is not installed (run scripts/install-deps --test)"
done
# shellcheck source=cache.sh
. "$HERE/cache.sh"
# shellcheck source=../mirror.sh
. "$HERE/../mirror.sh"

KEY=$(cat "$0" "$HERE/kernel.config" | sha256sum | cut -c1-16)
cache_open "$KEY" kernel "$CACHE"
cp "$HERE/kernel.config" "$T/fragment"
START=$SECONDS

# fetch PATH: the mirror's PATH into $T/dl, with curl's bounded retries.
MIRROR=$(mirror) || die "no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
mkdir "$T/dl"
fetch() {
  curl -fsS --retry 3 --connect-timeout 30 -o "$T/dl/${1##*/}" "$MIRROR/$1" 2>>"$LOG" ||
    die "cannot download $MIRROR/$1 (see $LOG)"
}
# sha256_is FILE SUM: the file is what the signed index says it is.
sha256_is() { echo "$2  $1" | sha256sum -c --status || die "$1 does not match its SHA256 in sid's signed index"; }
fetch dists/sid/InRelease
gpgv --keyring "$KEYRING" --output "$T/dl/Release" "$T/dl/InRelease" 2>>"$LOG" ||
  die "sid's InRelease on $MIRROR is not signed by a key in $KEYRING (see $LOG)"
fetch dists/sid/main/binary-all/Packages.xz
sha256_is "$T/dl/Packages.xz" "$(awk '/^SHA256:/ { s = 1; next } /^[^ ]/ { s = 0 }
  s && $3 == "main/binary-all/Packages.xz" { print $1; exit }' "$T/dl/Release")"
# The newest linux-source-<ver> (the unversioned linux-source only depends on it).
read -r PKG VERSION FILE SUM < <(xz -dc "$T/dl/Packages.xz" | awk '
  /^Package: / { p = $2 } /^Version: / { v = $2 } /^Filename: / { f = $2 } /^SHA256: / { s = $2 }
  /^$/ { if (p ~ /^linux-source-[0-9.]+$/) print p, v, f, s; p = v = f = s = "" }' | sort -V -k1,1 | tail -1) ||
  die "sid's index names no linux-source-<version> package"
echo "building from $PKG $VERSION" >>"$LOG"
fetch "$FILE"
sha256_is "$T/dl/${FILE##*/}" "$SUM"
dpkg-deb --fsys-tarfile "$T/dl/${FILE##*/}" | tar -x -C "$T/dl" --wildcards './usr/src/linux-source-*.tar.xz' ||
  die "cannot unpack $FILE (see $LOG)"
mkdir "$T/src"
tar -xJf "$T/dl"/usr/src/linux-source-*.tar.xz -C "$T/src" --strip-components=1 2>>"$LOG" ||
  die "cannot unpack the kernel source of $PKG (see $LOG)"
rm -rf "$T/dl"
echo "== downloaded and unpacked: $((SECONDS - START)) s" >>"$LOG"

MAKE="make -C $T/src ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- KBUILD_BUILD_USER=smmu-plan KBUILD_BUILD_HOST=testbed"
{ $MAKE tinyconfig && (cd "$T/src" && scripts/kconfig/merge_config.sh -m .config "$T/fragment") &&
  $MAKE olddefconfig; } >>"$LOG" 2>&1 || die "configuring failed (see $LOG)"
# olddefconfig drops what the source cannot give, and an option something
# selects stays on: every line of the fragment must have held.
missing=$( { grep '^CONFIG_' "$T/fragment" | while read -r want; do
    grep -qx "$want" "$T/src/.config" || echo "${want%%=*}"
  done
  sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$T/fragment" | while read -r off; do
    grep -q "^$off=" "$T/src/.config" && echo "$off (off)"
  done; } | paste -sd' ')
[ -z "$missing" ] || die "$PKG $VERSION cannot set $missing as kernel.config asks"
t0=$SECONDS
$MAKE -j"$(nproc)" Image >>"$LOG" 2>&1 || die "make Image failed (see $LOG)"
echo "== make Image: $((SECONDS - t0)) s; total $((SECONDS - START)) s" >>"$LOG"

cp "$T/src/arch/arm64/boot/Image" "$DIR.new/"
cp "$T/src/.config" "$DIR.new/config"
$MAKE -s kernelrelease >"$DIR.new/version"
echo "$PKG $VERSION" >"$DIR.new/source"
cache_publish
