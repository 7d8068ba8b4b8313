#!/bin/bash
# libvirt-api.sh SMMU_PLAN HOST_DIR: `smmu-plan apply --connect` through the
# libvirt C API of the test bed's libvirt 12.8 (smmu-plan built in the sid
# root against it, sid-build.sh; the embedded qemu driver keeps definitions on disk, so
# separate processes see each other's work, no daemon needed):
#  - the plan is defined, the domain's own device is kept, and applying it a
#    second time leaves libvirt's definition byte for byte the same;
#  - --dry-run prints the new definition and defines nothing;
#  - a domain with a vIOMMU of its own is refused and left untouched.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 SMMU_PLAN HOST_DIR" >&2; exit 2; }
PLAN_BIN=$1 HOST=$2
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
E2E_NAME=libvirt-api
# shellcheck source-path=SCRIPTDIR source=testbed-lib.sh
. "$HERE/testbed-lib.sh"
in_testbed api

# smmu-plan as built against the sid root's libvirt (sid-build.sh, ctest's
# e2e.sid.build), copied into the root.
[ -x "$REPO/build/sid/smmu-plan" ] || fail "no build/sid/smmu-plan (run tests/e2e/sid-build.sh)"
cp "$REPO/build/sid/smmu-plan" "$W/smmu-plan"
SID_PLAN=$IN/smmu-plan
URI="qemu:///embed?root=$IN/embed"
virsh() { in_root virsh -q -c "$URI" "$@"; }

"$PLAN_BIN" plan --root "$HOST" --all-assignable -o "$W/plan.json"
cat >"$W/base.xml" <<'XML'
<domain type='qemu'>
  <name>vm</name>
  <memory unit='GiB'>1</memory>
  <os firmware='efi'><type arch='aarch64' machine='virt'>hvm</type></os>
  <features><acpi/><gic version='3'/></features>
  <cpu mode='custom' match='exact'><model>max</model></cpu>
  <devices>
    <controller type='pci' index='0' model='pcie-root'/>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
  </devices>
</domain>
XML
virsh define "$IN/base.xml" >/dev/null || fail "libvirt refused the base domain"

for form in "" --stand-ins; do
  virsh dumpxml vm >"$W/before.xml"
  in_root "$SID_PLAN" apply --plan "$IN/plan.json" $form --connect "$URI" --domain vm --dry-run >"$W/dry.xml" ||
    fail "apply --dry-run $form"
  virsh dumpxml vm | cmp -s - "$W/before.xml" || fail "--dry-run $form changed the domain"
  grep -q "ua-smmuplan-vsmmu0" "$W/dry.xml" || fail "--dry-run $form printed no topology"

  in_root "$SID_PLAN" apply --plan "$IN/plan.json" $form --connect "$URI" --domain vm || { virsh dumpxml vm | grep -B2 -A8 "pcie-root-port" | head -30; fail "apply $form"; }
  virsh dumpxml vm >"$W/once.xml"
  in_root "$SID_PLAN" apply --plan "$IN/plan.json" $form --connect "$URI" --domain vm >/dev/null || fail "apply $form again"
  virsh dumpxml vm >"$W/twice.xml"
  cmp -s "$W/once.xml" "$W/twice.xml" || { diff "$W/once.xml" "$W/twice.xml" | head; fail "applying $form twice changed the domain"; }
  # Exactly the plan's vSMMUs and pxbs, each once.
  planned=$(/usr/bin/python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["vsmmus"]))' "$W/plan.json")
  vsmmus=$(grep -c "<iommu model='smmuv3'>" "$W/once.xml" || true)
  pxbs=$(grep -c "model='pcie-expander-bus'" "$W/once.xml" || true)
  [ "$vsmmus" -eq "$planned" ] && [ "$pxbs" -eq "$planned" ] ||
    fail "apply $form defined $vsmmus smmuv3 iommus and $pxbs pxbs, the plan has $planned vSMMUs"
  grep -q "<rng model='virtio'>" "$W/once.xml" || fail "the domain's own rng was lost"
  echo "apply ${form:-(real form)}: defined $vsmmus vSMMUs; applying twice changed nothing"
done

# hotplug/unplug --connect on a defined domain: the GPU onto the spare port of
# the vSMMU reserved for its SMMU, in the definition (the embedded driver runs
# no guest across processes, so nothing is live here: e2e.hotplug proves the
# running guest), at the planned address; unplug gives back the plan before.
cp -r "$HOST" "$W/host"
"$PLAN_BIN" plan --root "$HOST" --device 0002:01:00.0 --hotplug-ports 1 --hotplug-smmu smmu3.0x16000000 \
  --hotplug-pref64-reserve 256G -o "$W/hot.json"
sed "s|<name>vm</name>|<name>hot</name>|" "$W/base.xml" >"$W/hot.xml"
virsh define "$IN/hot.xml" >/dev/null
in_root "$SID_PLAN" apply --plan "$IN/hot.json" --connect "$URI" --domain hot >/dev/null || fail "apply for hotplug"
hot() { in_root "$SID_PLAN" "$@" --connect "$URI" --domain hot --device 0009:01:00.0; }
hot hotplug --plan "$IN/hot.json" --root "$IN/host" --dry-run >"$W/dry-hot.xml" || fail "hotplug --dry-run"
virsh dumpxml hot | grep -q "ua-smmuplan-dev1" && fail "hotplug --dry-run attached the device"
hot hotplug --plan "$IN/hot.json" --root "$IN/host" -o "$IN/after.json" || fail "hotplug --connect"
port=$(virsh dumpxml hot | /usr/bin/python3 -c '
import sys, xml.etree.ElementTree as ET
devices = ET.parse(sys.stdin).getroot().find("devices")
index = {c.find("alias").get("name"): int(c.get("index")) for c in devices.findall("controller") if c.find("alias") is not None}
dev = [h for h in devices.findall("hostdev") if h.find("alias").get("name") == "ua-smmuplan-dev1"]
assert len(dev) == 1, "hostdev ua-smmuplan-dev1 defined %d times" % len(dev)
bus = int(dev[0].find("address").get("bus"), 16)
assert bus == index["ua-smmuplan-pxb1-rp0"], "dev1 on bus %d, pxb1.rp0 is index %d" % (bus, index["ua-smmuplan-pxb1-rp0"])
print(bus)') || fail "the hotplugged GPU is not on its planned root port"
hot unplug --plan "$IN/after.json" -o "$IN/back.json" || fail "unplug --connect"
virsh dumpxml hot | grep -q "ua-smmuplan-dev1" && fail "unplug --connect left the device defined"
cmp -s "$W/back.json" "$W/hot.json" || fail "unplug did not give back the plan before the hotplug"
echo "hotplug --connect: the GPU defined on pxb1.rp0 (controller $port) behind vsmmu1; unplug removed it"

# A domain we cannot understand is refused, untouched.
sed "s|<name>vm</name>|<name>other</name>|; s|</devices>|<iommu model='virtio'/></devices>|" "$W/base.xml" >"$W/other.xml"
virsh define "$IN/other.xml" >/dev/null
virsh dumpxml other >"$W/other-before.xml"
if in_root "$SID_PLAN" apply --plan "$IN/plan.json" --connect "$URI" --domain other 2>"$W/refused.err"; then
  fail "a domain with its own <iommu> was not refused"
fi
cat "$W/refused.err"
virsh dumpxml other | cmp -s - "$W/other-before.xml" || fail "the refused domain was changed"
echo "PASS libvirt-api"
