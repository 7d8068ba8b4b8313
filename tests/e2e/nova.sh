#!/bin/bash
# nova.sh SMMU_PLAN: the nova plugin against nova itself, then libvirt.
#  1. integrations/nova/tests (pytest, nova's fake libvirt and its driver
#     code) on both releases CI knows: Debian 12's python3-nova 26 with
#     SMMU_PLAN, and sid's python3-nova 34 inside the test bed's sid root with
#     the smmu-plan built there (sid-build.sh); smmu-plan checks every guest
#     XML nova builds against the test bed's libvirt 12.8 schemas;
#  2. every planned guest either run built is defined by libvirt 12.8's QEMU
#     driver (embedded, --validate), keeps smmu-plan's elements, and the
#     libvirt hook accepts what libvirt stored.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 SMMU_PLAN" >&2; exit 2; }
PLAN_BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/../..
HOST=$SRC/examples/hosts/grace-gh200
E2E_NAME=nova
# shellcheck source-path=SCRIPTDIR source=testbed-lib.sh
. "$HERE/testbed-lib.sh"
in_testbed nova

PYTEST="-m pytest -q -p no:warnings -p no:cacheprovider tests"
mkdir "$W/26" "$W/34"
nova_release() { sed -n 's/^Version: [0-9]*:*\([0-9]*\)\..*/\1/p' | head -1; }
echo "nova $(dpkg -s python3-nova | nova_release) (Debian 12):"
(cd "$SRC/integrations/nova" &&
 PYTHONDONTWRITEBYTECODE=1 SMMU_PLAN_BINARY=$PLAN_BIN SMMU_NOVA_XML_DIR=$W/26 \
   SMMU_LIBVIRT_SCHEMAS=$TB/root/usr/share/libvirt/schemas /usr/bin/python3 $PYTEST) ||
  fail "the plugin's tests on Debian 12's nova"
[ -x "$SRC/build/sid/smmu-plan" ] || fail "no build/sid/smmu-plan (run tests/e2e/sid-build.sh)"
echo "nova $(in_root dpkg -s python3-nova | nova_release) (sid):"
"$HERE/in-root.sh" --bind "$(cd "$SRC" && pwd)" /src "$TB" /usr/bin/env -C /src/integrations/nova \
  PYTHONDONTWRITEBYTECODE=1 SMMU_PLAN_BINARY=/src/build/sid/smmu-plan SMMU_NOVA_XML_DIR="$IN/34" \
  SMMU_LIBVIRT_SCHEMAS=/usr/share/libvirt/schemas /usr/bin/python3 $PYTEST ||
  fail "the plugin's tests on sid's nova"

n=0 n26=0 n34=0
for xml in "$W"/26/*.xml "$W"/34/*.xml; do
  [ -e "$xml" ] || continue
  name=$(sed -n 's:.*<name>\(.*\)</name>.*:\1:p' "$xml" | head -1)
  # libvirt's QEMU driver (embedded, no daemon) as on a compute node, but
  # under TCG: the test bed has no KVM.
  sed 's/\(<domain[^>]*\) type="kvm"/\1 type="qemu"/' "$xml" >"$xml.tcg"
  in_root virsh -q -c "qemu:///embed?root=$IN/embed" \
    "define $IN/${xml#"$W"/}.tcg --validate; dumpxml $name" >"$xml.defined" 2>"$xml.err" ||
    fail "libvirt 12.8 refused ${xml#"$W"/}: $(grep error "$xml.err" | tail -1)"
  grep -q "ua-smmuplan-vsmmu0" "$xml.defined" || fail "libvirt dropped the topology of ${xml##*/}"
  # What libvirt has no attribute for (the CMDQ-V identifier) survives too.
  if grep -q "qemu:override" "$xml"; then
    grep -q "<qemu:property name='identifier'" "$xml.defined" || fail "libvirt dropped the qemu:override of ${xml##*/}"
  fi
  in_root virsh -q -c "qemu:///embed?root=$IN/embed" undefine --nvram "$name" >/dev/null
  "$PLAN_BIN" libvirt-hook "$name" prepare begin - --root "$HOST" <"$xml.defined" ||
    fail "the hook refused ${xml##*/}"
  n=$((n + 1))
  case $xml in "$W"/26/*) n26=$((n26 + 1)) ;; *) n34=$((n34 + 1)) ;; esac
done
[ "$n26" -gt 0 ] && [ "$n34" -gt 0 ] || fail "the tests built no planned guest ($n26 on nova 26, $n34 on nova 34)"
echo "nova: $n planned guests ($n26 of nova 26, $n34 of nova 34) defined by libvirt 12.8 and accepted by the hook"
