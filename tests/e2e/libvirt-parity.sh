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
TB=$("$HERE/testbed.sh" prepare)
W=$(mktemp -d "$TB/root/tmp/parity.XXXXXX")
IN=/tmp/${W##*/}
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL $NAME: $*"; exit 1; }

SCHEMAS=$TB/root/usr/share/libvirt/schemas
"$PLAN_BIN" plan --root "$HOST" --all-assignable -o "$W/plan.json"
"$PLAN_BIN" libvirt-xml --plan "$W/plan.json" --libvirt-schemas "$SCHEMAS" -o "$W/real.xml"
"$PLAN_BIN" libvirt-xml --plan "$W/plan.json" --stand-ins --libvirt-schemas "$SCHEMAS" -o "$W/domain.xml"
# Applying the plan to a domain that already has it changes nothing.
"$PLAN_BIN" apply --plan "$W/plan.json" --domain-xml "$W/real.xml" --libvirt-schemas "$SCHEMAS" -o "$W/again.xml"
cmp -s "$W/real.xml" "$W/again.xml" || fail "applying twice changed the domain"

# virsh in the sid root, with a proc of its own.
in_root() { "$HERE/in-root.sh" "$TB" "$@"; }

# The hook on the real form as libvirt itself writes it back (test driver):
# the plan passes; the last device moved under the first vSMMU is refused.
in_root virsh -q -c test:///default "define $IN/real.xml; dumpxml smmu-plan-guest" >"$W/defined.xml" ||
  fail "libvirt's test driver refused the real-form XML"
"$PLAN_BIN" libvirt-hook smmu-plan-guest prepare begin - --root "$HOST" <"$W/defined.xml" ||
  fail "the hook refused the planned domain"
last=$(grep -o "ua-smmuplan-dev[0-9]*" "$W/defined.xml" | tail -1)
first_bus=$(grep -A1 "ua-smmuplan-dev0'" "$W/defined.xml" | grep -o "bus='0x[0-9a-f]*'")
perl -0pe "s/($last'\/>\s*<address type='pci' domain='0x0000' )bus='0x[0-9a-f]+' slot='0x00'/\$1$first_bus slot='0x01'/" \
  "$W/defined.xml" >"$W/misrouted.xml"
! cmp -s "$W/defined.xml" "$W/misrouted.xml" || fail "could not move $last"
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
eval "set -- $(tail -n 1 "$W/argv.txt")"
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
"$PLAN_BIN" verify --plan "$W/plan.json" --stand-ins --guest-iort "$W/guest/iort.bin" \
  --guest-smmu-map "$W/guest/smmu-map.txt" --guest-pci "$W/guest/pci.txt" \
  --guest-srat "$W/guest/srat.bin" --guest-numa "$W/guest/numa.txt" \
  --guest-bridge-windows "$W/guest/bridge-windows.txt" || fail "verify"
echo proven >"$RESULTS/$NAME"
echo "PROVEN $NAME (through libvirt)"
