#!/bin/bash
# hotplug.sh SMMU_PLAN HOST_DIR: the end-to-end proof of `smmu-plan hotplug`
# and `unplug`, on examples/hosts/grace-gh200. Plans one device cold and a
# vSMMU reserved for hotplug (one spare root port), boots the stand-in
# topology in the test bed as boot.sh does, but with a QMP socket and
# hotplug-init.sh as the guest's init, hotplugs the other device and unplugs
# it with the QMP commands smmu-plan prints, and verifies each round the guest
# reports: as booted, against the plan; with the device, against hotplug's new
# plan and not the old one; without it, against the old plan again, which
# unplug must give back byte for byte.
# Prints "PROVEN e2e.hotplug", or one "FAIL e2e.hotplug: ..." line (and keeps
# its work directory, console log included); a slow machine says "timeout".
set -eu
[ $# -eq 2 ] || { echo "usage: $0 SMMU_PLAN HOST_DIR" >&2; exit 2; }
PLAN_BIN=$1 HOST=$2
HERE=$(cd "$(dirname "$0")" && pwd)
# grace-gh200's two assignable devices: its GPU, planned cold (with no guest
# NUMA nodes, which the base machine would then have to declare), and a NIC
# behind smmu3.0x12000000, whose vSMMU is reserved for it: its spare port
# keeps a 64-bit window for the NIC's 32 MiB of prefetchable BARs.
COLD=0009:01:00.0 HOT=0002:01:00.0 HOT_SMMU=smmu3.0x0000000012000000

E2E_NAME=e2e.hotplug
# shellcheck source-path=SCRIPTDIR source=testbed-lib.sh
. "$HERE/testbed-lib.sh"
QPID="" PROVEN="" WORK=""
# On exit, before testbed-lib.sh removes W: QEMU stops; WORK goes once proven.
cleanup() {
  if [ -n "$QPID" ]; then kill "$QPID" 2>/dev/null || true; wait "$QPID" 2>/dev/null || true; fi
  [ -z "$PROVEN" ] || rm -rf "$WORK"
}
in_testbed hotplug
WORK=$(mktemp -d)
LOG=$WORK/console.log
E2E_LOG=$LOG   # fail names it
QEMU=$("$HERE/testbed-qemu.sh" "$TB")
"$PLAN_BIN" plan --root "$HOST" --device "$COLD" --gpu-numa-nodes 0 --hotplug-ports 1 \
  --hotplug-pref64-reserve 32M --hotplug-smmu "$HOT_SMMU" --qemu "$QEMU" -o "$WORK/plan.json" ||
  fail "plan exited $?"
"$PLAN_BIN" qemu-args --plan "$WORK/plan.json" --stand-ins --qemu "$QEMU" >"$WORK/args" ||
  fail "qemu-args exited $?"
mapfile -t topology <"$WORK/args"
TIMEOUT=${SMMU_BOOT_TIMEOUT:-$((180 + 6 * $(grep -c '^pcie-root-port,' "$WORK/args" || true)))}

# The kernel and the initrd, made visible inside the root (in W). The initrd
# is the test bed's with a second archive appended (Linux unpacks each in
# turn), made by the root's cpio: /hotplug-init (guest-init.sh's setup, then
# hotplug-init.sh's rounds) and /report (guest-init.sh's report sections).
ln -f "$TB/$KERNEL" "$W/vmlinuz" 2>/dev/null || cp "$TB/$KERNEL" "$W/vmlinuz"
mkdir "$W/overlay"
# guest-init.sh: its setup (up to its first report section), then its
# report (up to its poweroff).
sed -n '1,/^echo "=== SMMU-MAP BEGIN"$/p' "$HERE/guest-init.sh" | sed '$d' >"$W/overlay/hotplug-init"
cat "$HERE/hotplug-init.sh" >>"$W/overlay/hotplug-init"
chmod 755 "$W/overlay/hotplug-init"
sed -n '/^echo "=== SMMU-MAP BEGIN"$/,/^poweroff -f$/p' "$HERE/guest-init.sh" | sed '$d' >"$W/overlay/report"
grep -q '=== IORT END' "$W/overlay/report" || fail "no report sections found in guest-init.sh"
in_root sh -c "cd $IN/overlay && printf '%s\n' hotplug-init report |
  cpio -o -H newc -R 0:0 --quiet | gzip -9" >"$W/overlay.cpio.gz" || fail "packing the overlay failed"
cat "$TB/$INITRD" "$W/overlay.cpio.gz" >"$W/initrd"

: >"$LOG"   # before await reads it, however late QEMU starts
t0=$SECONDS
# As boot.sh, in the background; `timeout` is the backstop should this script
# be killed before its trap can stop QEMU.
timeout --kill-after=10 $((3 * TIMEOUT)) "$HERE/in-root.sh" "$TB" qemu-system-aarch64 \
  -accel tcg -cpu max -machine virt,gic-version=3 -m 1G \
  -bios "$FIRMWARE" -kernel "$IN/vmlinuz" -initrd "$IN/initrd" \
  -append 'console=ttyAMA0 panic=-1 rdinit=/hotplug-init' -nographic -no-reboot \
  -qmp "unix:$IN/qmp.sock,server=on,wait=off" \
  "${topology[@]}" </dev/null >"$LOG" 2>&1 &
QPID=$!

# await MARKER: waits for the guest's "=== MARKER" line, at most TIMEOUT s.
await() {
  local start=$SECONDS
  until tr -d '\r' <"$LOG" | grep -qx "=== $1"; do
    if grep -q '^=== ROUND TIMEOUT' "$LOG"; then
      fail "guest round timeout: $(grep -m1 '^=== ROUND TIMEOUT' "$LOG" | tr -d '\r')"
    fi
    kill -0 "$QPID" 2>/dev/null ||
      fail "QEMU exited before '=== $1' $(grep -m1 '^qemu-system-aarch64:' "$LOG" || true)"
    [ $((SECONDS - start)) -lt "$TIMEOUT" ] ||
      fail "timeout after ${TIMEOUT}s waiting for '=== $1', not a wrong result"
    sleep 1
  done
}

await "HOTPLUG READY"
echo "hotplug: round 1, boot to HOTPLUG READY: $((SECONDS - t0)) s"
"$PLAN_BIN" hotplug --plan "$WORK/plan.json" --device "$HOT" --root "$HOST" --format qmp --stand-ins \
  --qemu "$QEMU" --json -o "$WORK/plan2.json" >"$WORK/add.json" 2>"$WORK/add.err" ||
  fail "hotplug exited $?: $(cat "$WORK/add.err")"
cat "$WORK/add.err"
field() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
field "$WORK/add.json" command >"$WORK/add.qmp"
GUEST_BDF=$(field "$WORK/add.json" guest_bdf)
cat "$WORK/add.qmp"
t1=$SECONDS
"$HERE/qmp.py" "$W/qmp.sock" "$(cat "$WORK/add.qmp")" || fail "device_add refused"
await "UNPLUG READY"
echo "hotplug: round 2, device_add to UNPLUG READY: $((SECONDS - t1)) s"

"$PLAN_BIN" unplug --plan "$WORK/plan2.json" --device "$HOT" --format qmp --stand-ins --qemu "$QEMU" \
  -o "$WORK/plan3.json" >"$WORK/del.qmp" 2>"$WORK/del.err" || fail "unplug exited $?: $(cat "$WORK/del.err")"
cat "$WORK/del.err" "$WORK/del.qmp"
t2=$SECONDS
"$HERE/qmp.py" "$W/qmp.sock" "$(cat "$WORK/del.qmp")" || fail "device_del refused"
await "DMESG END"
echo "hotplug: round 3, device_del to its report: $((SECONDS - t2)) s"
grep -h '^hotplug-init:' "$LOG" | tr -d '\r'

# Each round from its "=== ROUND n" line to the next one.
tr -d '\r' <"$LOG" | awk -v dir="$WORK" '/^=== ROUND [0-9]/ { out = dir "/round" $3 ".log" } out { print > out }'
# expect RC ROUND PLAN: verify of that round's report against PLAN exits RC
# (8: the guest differs, which round 2 must against the plan before hotplug).
expect() {
  local rc=0
  "$PLAN_BIN" verify --plan "$WORK/$3" --stand-ins --console-log "$WORK/round$2.log" \
    >"$WORK/verify.out" 2>&1 || rc=$?
  [ "$rc" -eq "$1" ] || { cat "$WORK/verify.out"; fail "round $2 against $3: verify exited $rc, not $1"; }
  echo "hotplug: round $2 against $3: verify exited $rc, as it must"
  [ "$rc" -eq 0 ] || sed 's/^/  /' "$WORK/verify.out"
}
expect 0 1 plan.json
expect 0 2 plan2.json
expect 8 2 plan.json
expect 0 3 plan.json
cmp -s "$WORK/plan.json" "$WORK/plan3.json" || fail "unplug's plan is not the plan before hotplug"

# A driver bound means the device's BARs fit in its port's windows.
driver=$(tr -d '\r' <"$LOG" | sed -n "s/^hotplug-init: $GUEST_BDF driver //p")
if [ "${driver:-none}" = none ]; then fail "$GUEST_BDF got no driver in the guest (see its BARs in the log)"; fi
echo "hotplug: $HOT became $GUEST_BDF in the guest, behind its vSMMU, driven by $driver"
PROVEN=1
echo "PROVEN e2e.hotplug"
