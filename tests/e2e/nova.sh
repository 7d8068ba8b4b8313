#!/bin/bash
# nova.sh SMMU_PLAN: the nova plugin against nova itself, then libvirt.
#  1. integrations/nova/tests (pytest on Debian 12's python3-nova, its fake
#     libvirt and its driver code), with smmu-plan checking every guest XML
#     nova builds against the test bed's libvirt 12.8 schemas;
#  2. every planned guest those tests built is defined by libvirt 12.8's QEMU
#     driver (embedded, --validate), keeps smmu-plan's elements, and the
#     libvirt hook accepts what libvirt stored.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 SMMU_PLAN" >&2; exit 2; }
PLAN_BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/../..
HOST=$SRC/examples/hosts/grace-gh200
TB=$("$HERE/testbed.sh" prepare)
W=$(mktemp -d "$TB/root/tmp/nova.XXXXXX")
IN=/tmp/${W##*/}
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL nova: $*"; exit 1; }

cd "$SRC/integrations/nova"
PYTHONDONTWRITEBYTECODE=1 SMMU_PLAN_BINARY=$PLAN_BIN SMMU_NOVA_XML_DIR=$W \
  SMMU_LIBVIRT_SCHEMAS=$TB/root/usr/share/libvirt/schemas \
  /usr/bin/python3 -m pytest -q -p no:warnings -p no:cacheprovider tests

in_root() { "$HERE/in-root.sh" "$TB" "$@"; }
n=0
for xml in "$W"/*.xml; do
  [ -e "$xml" ] || break
  name=$(sed -n 's:.*<name>\(.*\)</name>.*:\1:p' "$xml" | head -1)
  # libvirt's QEMU driver (embedded, no daemon) as on a compute node, but
  # under TCG: the test bed has no KVM.
  sed 's/\(<domain[^>]*\) type="kvm"/\1 type="qemu"/' "$xml" >"$xml.tcg"
  in_root virsh -q -c "qemu:///embed?root=$IN/embed" \
    "define $IN/${xml##*/}.tcg --validate; dumpxml $name" >"$xml.defined" 2>"$xml.err" ||
    fail "libvirt 12.8 refused ${xml##*/}: $(grep error "$xml.err" | tail -1)"
  grep -q "ua-smmuplan-vsmmu0" "$xml.defined" || fail "libvirt dropped the topology of ${xml##*/}"
  # What libvirt has no attribute for (the CMDQ-V identifier) survives too.
  if grep -q "qemu:override" "$xml"; then
    grep -q "<qemu:property name='identifier'" "$xml.defined" || fail "libvirt dropped the qemu:override of ${xml##*/}"
  fi
  in_root virsh -q -c "qemu:///embed?root=$IN/embed" undefine --nvram "$name" >/dev/null
  "$PLAN_BIN" libvirt-hook "$name" prepare begin - --root "$HOST" <"$xml.defined" ||
    fail "the hook refused ${xml##*/}"
  n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "the tests built no planned guest"
echo "nova: $n planned guests defined by libvirt 12.8 and accepted by the hook"
