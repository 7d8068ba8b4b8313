#!/bin/bash
# libvirt-parity.sh SMMU_PLAN HOST_DIR NAME: the libvirt path of HOST_DIR's
# plan must build the same guest as the QEMU path:
#  1. smmu-plan libvirt-xml (stand-ins, and the real form too) validates against
#     the test bed's libvirt 12.8 schemas, and applying it again changes nothing;
#  2. libvirt itself converts the stand-in XML to a QEMU command line
#     (virsh domxml-to-native with the embedded driver, no daemon);
#  3. that command line's topology boots in the test bed and smmu-plan verify
#     accepts the guest.
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

# libvirt's conversion, in the sid root with a proc of its own.
unshare --mount --propagation private sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' \
  "$TB/root" virsh -q -c "qemu:///embed?root=$IN/embed" domxml-to-native qemu-argv "$IN/domain.xml" \
  >"$W/argv.txt" 2>"$W/virsh.err" || fail "virsh domxml-to-native: $(grep -m1 error "$W/virsh.err")"

# The topology: every -device, and the rng backends the stand-ins use.
eval "set -- $(tail -n 1 "$W/argv.txt")"
: >"$W/topology.args"
while [ $# -gt 1 ]; do
  case $1 in
    -device) printf '%s\n%s\n' "$1" "$2" >>"$W/topology.args"; shift ;;
    -object) case $2 in *rng-random*) printf '%s\n%s\n' "$1" "$2" >>"$W/topology.args" ;; esac; shift ;;
  esac
  shift
done
grep -c arm-smmuv3 "$W/topology.args" | sed 's/^/libvirt made vSMMUs: /'

"$TB/boot" "$W/topology.args" "$W/guest" || fail "the libvirt topology did not boot"
"$PLAN_BIN" verify --plan "$W/plan.json" --stand-ins --guest-iort "$W/guest/iort.bin" \
  --guest-smmu-map "$W/guest/smmu-map.txt" --guest-pci "$W/guest/pci.txt" || fail "verify"
echo proven >"$RESULTS/$NAME"
echo "PROVEN $NAME (through libvirt)"
