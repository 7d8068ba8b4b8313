#!/bin/bash
# live-host.sh DESCRIPTION [SMMU_PLAN]: boots, under TCG, an arm64 guest that is
# a live multi-SMMU host (tests/e2e/live-host/README.md: the description
# format and what is checked), runs the arm64 smmu-plan there on the live
# sysfs, iommufd and firmware IORT, gives the plan's real form to QEMU and
# libvirt with KVM there (live-host/real-form.sh), and prints two verdict lines:
#   live-host: <N> devices behind <M> SMMUs: probe, caps, IORT, plan and hook agree
#   live-host: real form: QEMU <version> with KVM holds the topology as planned; ...
# or one line per difference, exiting 1 (2: usage; a boot that timed out says
# "timeout"). SMMU_PLAN (default build/smmu-plan) plans the host guest itself;
# the arm64 smmu-plan comes from build/arm64 (tests/e2e/arm64.sh build).
# Needs root and the test bed; the kernel (live-host/kernel.sh) and the arm64
# root QEMU runs from (live-host/rootfs.sh) are built once; SMMU_HOST_KERNEL=DIR
# boots DIR/Image (and names DIR/version) instead of that kernel.
# SMMU_BOOT_TIMEOUT (seconds, default 900) bounds the host guest's run. What the host guest
# wrote is kept in build/live-host/NAME when a check fails (or SMMU_LIVE_HOST_KEEP=1).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 DESCRIPTION [SMMU_PLAN]" >&2; exit 2; }
DESC=$1 PLAN_BIN=${2:-$REPO/build/smmu-plan}
NAME=$(basename "$DESC" .host)
ARM64=$REPO/build/arm64/smmu-plan
E2E_NAME="live-host $NAME"
# shellcheck source-path=SCRIPTDIR source=testbed-lib.sh
. "$HERE/testbed-lib.sh"
[ -x "$ARM64" ] || fail "no arm64 smmu-plan (run tests/e2e/arm64.sh build)"
in_testbed live-host
KDIR=${SMMU_HOST_KERNEL:-}
[ -n "$KDIR" ] || KDIR=$("$HERE/live-host/kernel.sh" prepare) || fail "no host kernel"
ROOTFS=$("$HERE/live-host/rootfs.sh" prepare "$TB") || fail "no arm64 root for QEMU in the host guest"

# The host guest's topology, planned by smmu-plan (live-host/outer.py).
/usr/bin/python3 "$HERE/live-host/outer.py" "$PLAN_BIN" "$DESC" "$W" || fail "cannot plan the host guest"
"$PLAN_BIN" iort --plan "$W/outer-plan.json" --stand-ins -o "$W/outer-iort.bin" ||
  fail "cannot predict the host guest's IORT"

# Its initramfs: busybox (the test bed's), init.sh, the job, and the arm64
# smmu-plan with the shared libraries it links and libxml2, which it loads on
# use (libvirt/xml_library.h), with libxml2's own (as the arm64 loader lists them).
I=$W/initramfs
mkdir -p "$I/bin" "$I/usr/bin" "$I/etc" "$I/dev" "$I/proc" "$I/sys" "$W/out"
# libvirt's probe of the arm64 root's QEMU, from an earlier run (real-form.sh).
[ ! -d "$ROOTFS/libvirt-caps" ] || cp -r "$ROOTFS/libvirt-caps" "$W/out/libvirt-caps"
cp "$TB/$INITRD" "$W/testbed-initrd"
in_root sh -c "cd $IN/initramfs && gzip -dc $IN/testbed-initrd | cpio -id --quiet bin/busybox" ||
  fail "no busybox in the test bed's initramfs"
cp "$HERE/live-host/init.sh" "$I/init"
cp "$HERE/live-host/real-form.sh" "$I/etc/real-form.sh"
cp "$W/job" "$I/etc/job"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$I/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$I/etc/group"
cp "$ARM64" "$I/usr/bin/smmu-plan"
# The libvirt hook file as installed (the arm64 tree is configured for /usr):
# init.sh runs it as libvirt does, so the guest's kernel starts smmu-plan.
mkdir -p "$I/etc/libvirt/hooks/qemu.d"
head -n 1 "$REPO/build/arm64/libvirt-hook" | grep -qx '#!/usr/bin/smmu-plan libvirt-hook' ||
  fail "build/arm64/libvirt-hook does not name /usr/bin/smmu-plan"
cp "$REPO/build/arm64/libvirt-hook" "$I/etc/libvirt/hooks/qemu.d/smmu-plan"
# libvirt's schemas, as a host with libvirt has them (libvirt-xml validates against them).
mkdir -p "$I/usr/share/libvirt"
cp -r "$TB/root/usr/share/libvirt/schemas" "$I/usr/share/libvirt/"
# needs FILE: the libraries the arm64 loader finds for FILE (a path in the root).
needs() {
  in_root qemu-aarch64 /lib/ld-linux-aarch64.so.1 --list "$1" |
    sed -n 's/.* => \(\/[^ ]*\) (.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'
}
XML2=/usr/lib/aarch64-linux-gnu/$(sed -n 's/^SMMU_LIBXML2_SONAME:INTERNAL=//p' "$REPO/build/arm64/CMakeCache.txt")
[ -f "$TB/root$XML2" ] || fail "no arm64 $XML2 in the test bed (the soname build/arm64 loads)"
libs=$( { needs "$IN/initramfs/usr/bin/smmu-plan" && echo "$XML2" && needs "$XML2"; } | sort -u) ||
  fail "the arm64 loader cannot list smmu-plan's libraries"
[ -n "$libs" ] || fail "the arm64 loader listed no library"
for lib in $libs; do
  mkdir -p "$I$(dirname "$lib")"
  cp -L "$TB/root$lib" "$I$lib"
done
chmod 755 "$I/init"
in_root sh -c "cd $IN/initramfs && find . | cpio -o -H newc --quiet | gzip -1 >$IN/initrd" ||
  fail "cannot pack the initramfs"
cp "$KDIR/Image" "$W/Image"
echo "live-host $NAME: $(grep -c -- '^arm-smmuv3,' "$W/outer.args") SMMUs, initramfs $(( $(stat -c %s "$W/initrd") / 1024 )) KiB" \
     "with $(echo "$libs" | wc -w) libraries, kernel $(cat "$KDIR/version")"

topology=()
while IFS= read -r line; do topology+=("$line"); done <"$W/outer.args"
TIMEOUT=${SMMU_BOOT_TIMEOUT:-900}
t0=$SECONDS rc=0
# virtualization=on: the host guest runs at EL2 and has KVM (real-form.sh).
timeout --kill-after=10 "$TIMEOUT" "$HERE/in-root.sh" --bind "$ROOTFS/root" "$IN/arm64root" "$TB" \
  qemu-system-aarch64 -accel tcg -cpu max -machine virt,gic-version=3,virtualization=on -m 2G -smp 2 \
  -bios "$FIRMWARE" -kernel "$IN/Image" -initrd "$IN/initrd" \
  -append 'console=ttyAMA0 panic=-1' -nographic -no-reboot -nic none \
  -fsdev "local,id=out,path=$IN/out,security_model=none" \
  -fsdev "local,id=arm64root,path=$IN/arm64root,security_model=none,readonly=on" \
  "${topology[@]}" </dev/null >"$W/console.log" 2>&1 || rc=$?
keep() { mkdir -p "$REPO/build/live-host"; rm -rf "$REPO/build/live-host/$NAME"; cp -r "$W" "$REPO/build/live-host/$NAME"; }
if [ ! -f "$W/out/complete" ]; then
  keep
  case $rc in
    124|137) fail "timeout: the host guest did not finish within ${TIMEOUT}s (build/live-host/$NAME/console.log)" ;;
    *) fail "the host guest stopped early, QEMU exit $rc: $(grep -m1 -e '^qemu-system-aarch64:' -e 'Kernel panic' "$W/console.log" || echo 'see console.log') (build/live-host/$NAME)" ;;
  esac
fi
echo "live-host $NAME: the host guest ran in $((SECONDS - t0)) s"
if ls "$W/out/libvirt-caps/"*.xml >/dev/null 2>&1; then   # kept for the next run
  rm -rf "$ROOTFS/libvirt-caps.$$" && cp -r "$W/out/libvirt-caps" "$ROOTFS/libvirt-caps.$$" &&
    rm -rf "$ROOTFS/libvirt-caps" && mv "$ROOTFS/libvirt-caps.$$" "$ROOTFS/libvirt-caps"
fi
/usr/bin/python3 "$HERE/live-host/check.py" "$W" "$NAME" || { keep; fail "see build/live-host/$NAME"; }
[ "${SMMU_LIVE_HOST_KEEP:-0}" = 0 ] || keep
