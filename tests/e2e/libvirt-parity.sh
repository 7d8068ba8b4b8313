#!/bin/bash
# libvirt-parity.sh SMMU_PLAN HOST_DIR NAME: the libvirt path of HOST_DIR's
# plan must build the same guest as the QEMU path:
#  1. smmu-plan libvirt-xml (stand-ins, and the real form too) validates against
#     the test bed's libvirt 12.8 schemas, and applying it again changes nothing;
#  2. the libvirt hook accepts the real form as libvirt's test driver writes it
#     back, and refuses it with one device moved under another vSMMU;
#  3. libvirt itself converts the stand-in XML to a QEMU command line
#     (virsh domxml-to-native with the embedded driver, no daemon);
#  4. that command line's topology boots in the test bed and smmu-plan verify
#     accepts the guest (for GPU plans: their NUMA nodes and root port
#     reserves, which libvirt carries in its QEMU namespace, too).
# Records "proven" in $SMMU_E2E_RESULTS/NAME.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 SMMU_PLAN HOST_DIR NAME" >&2; exit 2; }
PLAN_BIN=$1 HOST=$2 NAME=$3
HERE=$(cd "$(dirname "$0")" && pwd)
RESULTS=${SMMU_E2E_RESULTS:-$HERE/../../build/e2e-results}
mkdir -p "$RESULTS"
rm -f "$RESULTS/$NAME"
E2E_NAME=$NAME
# shellcheck source-path=SCRIPTDIR source=testbed-lib.sh
. "$HERE/testbed-lib.sh"
in_testbed parity

SCHEMAS=$TB/root/usr/share/libvirt/schemas
"$PLAN_BIN" plan --root "$HOST" --all-assignable -o "$W/plan.json"
"$PLAN_BIN" libvirt-xml --plan "$W/plan.json" --libvirt-schemas "$SCHEMAS" -o "$W/real.xml"
"$PLAN_BIN" libvirt-xml --plan "$W/plan.json" --stand-ins --libvirt-schemas "$SCHEMAS" -o "$W/domain.xml"
# Applying the plan to a domain that already has it changes nothing.
"$PLAN_BIN" apply --plan "$W/plan.json" --domain-xml "$W/real.xml" --libvirt-schemas "$SCHEMAS" -o "$W/again.xml"
cmp -s "$W/real.xml" "$W/again.xml" || fail "applying twice changed the domain"

# The hook on the real form as libvirt itself writes it back (test driver):
# the plan passes; the last device moved under the first vSMMU is refused.
in_root virsh -q -c test:///default "define $IN/real.xml; dumpxml smmu-plan-guest" >"$W/defined.xml" ||
  fail "libvirt's test driver refused the real-form XML"
"$PLAN_BIN" libvirt-hook smmu-plan-guest prepare begin - --root "$HOST" <"$W/defined.xml" ||
  fail "the hook refused the planned domain"
# An XML edit through an XML parser: the last device onto dev0's bus (slot 1).
last=$(/usr/bin/python3 - "$W/defined.xml" "$W/misrouted.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
tree = ET.parse(sys.argv[1])
ours = [h for h in tree.getroot().find("devices").findall("hostdev")
        if h.find("alias") is not None and h.find("alias").get("name", "").startswith("ua-smmuplan-dev")]
first, last = ours[0].find("address"), ours[-1].find("address")
last.set("bus", first.get("bus"))
last.set("slot", "0x01")
tree.write(sys.argv[2])
print(ours[-1].find("alias").get("name"))
PY
) || fail "could not move the last device"
if "$PLAN_BIN" libvirt-hook smmu-plan-guest prepare begin - --root "$HOST" <"$W/misrouted.xml" 2>"$W/hook.err"; then
  fail "the hook let $last run under another host SMMU's vSMMU"
fi
cat "$W/hook.err"

# libvirt's conversion of the stand-in form.
in_root virsh -q -c "qemu:///embed?root=$IN/embed" domxml-to-native qemu-argv "$IN/domain.xml" \
  >"$W/argv.txt" 2>"$W/virsh.err" || fail "virsh domxml-to-native: $(grep -m1 error "$W/virsh.err")"

# The topology: every -device, the rng backends the stand-ins use, and what
# GPU plans add through <qemu:commandline>: the highmem-mmio-size -machine,
# the memory-less GPU nodes and their generic initiators (the guest's own
# node 0, libvirt's <numa> cell, is the test bed's base machine's).
# The command line split as the shell would, without evaluating it.
mapfile -t argv < <(/usr/bin/python3 -c 'import shlex, sys; print("\n".join(shlex.split(sys.stdin.readlines()[-1])))' <"$W/argv.txt")
set -- "${argv[@]}"
: >"$W/topology.args"
keep() { printf '%s\n%s\n' "$1" "$2" >>"$W/topology.args"; }
while [ $# -gt 1 ]; do
  case $1 in
    -device) keep "$1" "$2"; shift ;;
    -object) case $2 in *rng-random*|acpi-generic-initiator,*) keep "$1" "$2" ;; esac; shift ;;
    -numa) case $2 in *memdev=*) ;; *) keep "$1" "$2" ;; esac; shift ;;
    -machine) case $2 in highmem-mmio-size=*) keep "$1" "$2" ;; esac; shift ;;
  esac
  shift
done
grep -c arm-smmuv3 "$W/topology.args" | sed 's/^/libvirt made vSMMUs: /'

"$TB/boot" "$W/topology.args" "$W/guest" || fail "the libvirt topology did not boot"
"$PLAN_BIN" verify --plan "$W/plan.json" --stand-ins --console-log "$W/guest/console.log" || fail "verify"
echo proven >"$RESULTS/$NAME"
echo "PROVEN $NAME (through libvirt)"
