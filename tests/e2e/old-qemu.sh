#!/bin/sh
# old-qemu.sh SMMU_PLAN: Debian 12's own QEMU 7.2 (tests/e2e/qemu-7.2.sh),
# named with --qemu, is asked over QMP and refused, each form, with the one
# line that names the release needed, and nothing is written; and that QEMU
# itself refuses what the line says it lacks (-device arm-smmuv3).
set -eu
[ $# -eq 1 ] || { echo "usage: $0 SMMU_PLAN" >&2; exit 2; }
PLAN_BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
HOST=$HERE/../../examples/hosts/kunpeng920
QEMU=$("$HERE/qemu-7.2.sh" prepare)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export XDG_CACHE_HOME="$W/cache"
fail() { echo "FAIL old-qemu: $*"; exit 1; }
WANT="smmu-plan: error: QEMU 7.2's arm-smmuv3 cannot be created with -device: a vSMMU per pxb-pcie (user-creatable arm-smmuv3) needs QEMU >= 10.2"

# refused NAME CMD...: exit 5, no stdout, exactly $WANT on stderr.
refused() {
  name=$1; shift
  rc=0
  "$@" >"$W/$name.out" 2>"$W/$name.err" || rc=$?
  [ "$rc" -eq 5 ] || fail "$name: exit $rc, expected 5: $(head -1 "$W/$name.err")"
  [ ! -s "$W/$name.out" ] || fail "$name: printed $(head -1 "$W/$name.out")"
  [ "$(cat "$W/$name.err")" = "$WANT" ] || fail "$name: said '$(cat "$W/$name.err")', expected '$WANT'"
}
refused plan "$PLAN_BIN" plan --root "$HOST" --all-assignable --qemu "$QEMU" -o "$W/plan.json"
[ ! -e "$W/plan.json" ] || fail "a refused plan wrote $W/plan.json"
"$PLAN_BIN" plan --root "$HOST" --all-assignable --qemu-caps 11.1 -o "$W/plan.json"
refused real "$PLAN_BIN" qemu-args --plan "$W/plan.json" --qemu "$QEMU"
refused stand-ins "$PLAN_BIN" qemu-args --plan "$W/plan.json" --stand-ins --qemu "$QEMU"
refused libvirt "$PLAN_BIN" libvirt-xml --plan "$W/plan.json" --qemu "$QEMU" -o "$W/domain.xml"
[ ! -e "$W/domain.xml" ] || fail "a refused libvirt-xml wrote $W/domain.xml"

# What 7.2 says of the device the line says it cannot create.
"$PLAN_BIN" qemu-caps --qemu "$QEMU" -o "$W/caps.json"
grep -q '"qemu": "7.2"' "$W/caps.json" || fail "qemu-caps did not record QEMU 7.2: $(head -c 200 "$W/caps.json")"
rc=0
"$QEMU" -machine virt -nodefaults -display none -S -device arm-smmuv3,primary-bus=pcie.0 \
  </dev/null >"$W/qemu.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && grep -q "expects a pluggable device type" "$W/qemu.out" ||
  fail "QEMU 7.2 did not refuse -device arm-smmuv3 as expected (exit $rc): $(head -1 "$W/qemu.out")"
echo "old-qemu: QEMU 7.2 refused by smmu-plan in every form, as QEMU 7.2 itself refuses -device arm-smmuv3"
