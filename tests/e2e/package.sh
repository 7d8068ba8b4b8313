#!/bin/bash
# package.sh amd64 | arm64 — the Debian packages (debian/), made of the build
# trees CI tested (debian/rules, SMMU_DEB_BUILDDIR), into build/deb-ARCH/.
#   amd64: dpkg-buildpackage -b of build/ (scripts/build): smmu-plan and
#          python3-nova-smmu-plan; lintian finds no error; smmu-plan is
#          installed with apt into a copy of a clean Debian 12 root
#          (debian12-root.sh), where the Quick start's demo runs from the
#          installed files and libvirt's way of running the installed hook
#          passes a routed domain and refuses a mis-routed one; the nova
#          package's files load in nova (integrations/nova/tests/test_install.py).
#   arm64: dpkg-buildpackage -aarm64 -B of build/arm64 (tests/e2e/arm64.sh) in
#          the test bed's sid root; lintian finds no error; the packaged
#          binary probes and plans an example host under qemu-user.
# Needs root (chroot).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ARCH=${1:-}
case $ARCH in amd64 | arm64) ;; *) echo "usage: $0 amd64|arm64" >&2; exit 2 ;; esac
fail() { echo "FAIL package.$ARCH: $*"; exit 1; }
VERSION=$(sed -n '1s/^smmu-plan (\([^)]*\)).*/\1/p' "$REPO/debian/changelog")
OUT=$REPO/build/deb-$ARCH
LOG=$OUT/build.log
# The source as checked out, without build trees (dpkg-buildpackage writes
# its packages beside the source directory).
rm -rf "$OUT"
mkdir -p "$OUT/smmu-plan-$VERSION"
git -C "$REPO" ls-files -co --exclude-standard -z |
  tar -C "$REPO" --null -T - -cf - | tar -xf - -C "$OUT/smmu-plan-$VERSION"
export DEB_BUILD_OPTIONS="nocheck noautodbgsym"
t0=$SECONDS

case $ARCH in
amd64)
  (cd "$OUT/smmu-plan-$VERSION" &&
   env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS" \
     SMMU_DEB_BUILDDIR="$REPO/build" dpkg-buildpackage -b -uc -us) >"$LOG" 2>&1 ||
    { tail -20 "$LOG"; fail "dpkg-buildpackage failed ($LOG)"; }
  deb=$OUT/smmu-plan_${VERSION}_amd64.deb nova=$OUT/python3-nova-smmu-plan_${VERSION}_all.deb
  ;;
arm64)
  TB=$("$HERE/testbed.sh" prepare)
  "$HERE/in-root.sh" --bind "$REPO" /src "$TB" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS" SMMU_DEB_BUILDDIR=/src/build/arm64 \
    sh -c "cd /src/build/deb-arm64/smmu-plan-$VERSION && dpkg-buildpackage -aarm64 -B -uc -us" >"$LOG" 2>&1 ||
    { tail -20 "$LOG"; fail "dpkg-buildpackage -aarm64 failed ($LOG)"; }
  deb=$OUT/smmu-plan_${VERSION}_arm64.deb
  ;;
esac
echo "package.$ARCH: built in $((SECONDS - t0)) s: $(cd "$OUT" && ls ./*.deb | paste -sd' ')"
lintian --fail-on error \
  "$OUT/smmu-plan_${VERSION}_$ARCH.changes" >"$OUT/lintian.log" 2>&1 ||
  { cat "$OUT/lintian.log"; fail "lintian finds errors"; }
echo "package.$ARCH: lintian: $(grep -c '^E:' "$OUT/lintian.log") errors, $(grep -c '^W:' "$OUT/lintian.log") warnings"

if [ "$ARCH" = arm64 ]; then
  # The packaged binary, unpacked in the sid root (which has the arm64
  # libraries it links), under qemu-user.
  host=/src/examples/hosts/grace-gh200
  "$HERE/in-root.sh" --bind "$REPO" /src "$TB" sh -ec "
    rm -rf /tmp/pkg && dpkg-deb -x /src/build/deb-arm64/${deb##*/} /tmp/pkg
    q='qemu-aarch64 -L / /tmp/pkg/usr/bin/smmu-plan'
    \$q --version | grep -qx 'smmu-plan $VERSION'
    \$q plan --root $host --request /src/examples/requests/grace-gh200.yaml --qemu-caps 11.1 -o /tmp/pkg/plan.json
    \$q qemu-args --plan /tmp/pkg/plan.json --qemu-caps 11.1 | grep -q '^arm-smmuv3,'
    head -n 1 /tmp/pkg/etc/libvirt/hooks/qemu.d/smmu-plan | grep -qx '#!/usr/bin/smmu-plan libvirt-hook'" \
    >"$OUT/run.log" 2>&1 || { cat "$OUT/run.log"; fail "the packaged arm64 binary does not run under qemu-user"; }
  echo "package.arm64: the packaged binary plans grace-gh200 under qemu-user"
  exit 0
fi

# amd64: installed into a copy of a clean Debian 12 root, with apt.
BASE=$("$HERE/debian12-root.sh" prepare) || fail "no clean Debian 12 root"
rm -rf "$OUT/root"
cp -a "$BASE/root" "$OUT/root"
cp /etc/resolv.conf "$OUT/root/etc/resolv.conf" 2>/dev/null || true
mkdir -p "$OUT/root/debs"
cp "$deb" "$OUT/root/debs/"
golden=$REPO/tests/golden/grace-gh200/libvirt.xml
cp "$golden" "$OUT/root/debs/routed.xml"
# The same domain with the GPU's hostdev naming the NIC: one host SMMU then
# backs both vSMMUs.
sed 's/domain="0x0009"/domain="0x0002"/' "$golden" >"$OUT/root/debs/misrouted.xml"
cmp -s "$golden" "$OUT/root/debs/misrouted.xml" && fail "the golden domain has no GPU hostdev"
t0=$SECONDS
"$HERE/in-root.sh" "$OUT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive sh -ec "
  apt-get -q update && apt-get install -y -q --no-install-recommends /debs/${deb##*/}
  set -x
  ex=/usr/share/smmu-plan/examples
  smmu-plan --version
  smmu-plan probe --root \$ex/hosts/grace-gh200
  smmu-plan explain --root \$ex/hosts/grace-gh200 --request \$ex/requests/grace-gh200.yaml
  smmu-plan plan --root \$ex/hosts/grace-gh200 --request \$ex/requests/grace-gh200.yaml -o /tmp/plan.json
  smmu-plan qemu-args --plan /tmp/plan.json
  smmu-plan iort --plan /tmp/plan.json -o /tmp/iort.bin
  test -s /tmp/iort.bin
  test -f /usr/share/man/man1/smmu-plan.1.gz && test -f /usr/share/smmu-plan/schemas/plan.schema.json
  # libvirt runs every executable in qemu.d with the domain XML on stdin.
  hook=/etc/libvirt/hooks/qemu.d/smmu-plan
  test -x \$hook
  SMMU_HOOK_ROOT=\$ex/hosts/grace-gh200 \$hook guest prepare begin - </debs/routed.xml
  ! SMMU_HOOK_ROOT=\$ex/hosts/grace-gh200 \$hook guest prepare begin - </debs/misrouted.xml 2>/tmp/refused
  grep 'backs two vSMMUs' /tmp/refused
  bash -c '. /usr/share/bash-completion/completions/smmu-plan && complete -p smmu-plan'
  # Without libvirt0 (only recommended) everything above ran; --connect says what it needs.
  ! smmu-plan apply --plan /tmp/plan.json --connect test:///default --domain vm 2>/tmp/refused
  grep 'needs libvirt.s client library (Debian package libvirt0)' /tmp/refused" \
  >"$OUT/install.log" 2>&1 || { tail -30 "$OUT/install.log"; fail "installed in a clean Debian 12 root, it does not run the demo or the hook (see $OUT/install.log)"; }
echo "package.amd64: installed in a clean Debian 12 root with apt; the demo and the hook ran from the installed files ($((SECONDS - t0)) s)"
rm -rf "$OUT/root"

# The nova plugin's package: its files, as installed, load in nova.
SMMU_NOVA_DEB=$nova /usr/bin/python3 -m pytest -q -p no:cacheprovider \
  "$REPO/integrations/nova/tests/test_install.py" >"$OUT/nova.log" 2>&1 ||
  { tail -30 "$OUT/nova.log"; fail "python3-nova-smmu-plan's files do not load in nova"; }
grep -q "2 passed" "$OUT/nova.log" || { cat "$OUT/nova.log"; fail "the package's test did not run"; }
echo "package.amd64: python3-nova-smmu-plan loads in nova ($(tail -1 "$OUT/nova.log"))"
