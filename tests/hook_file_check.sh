#!/bin/sh
# hook_file_check.sh HOOK_FILE SMMU_PLAN SOURCE_DIR: the libvirt hook file, run
# as libvirt runs it (executed with OBJECT OPERATION SUB-OPERATION EXTRA, the
# domain on stdin). Its first line makes SMMU_PLAN its interpreter, so the
# kernel, not a shell, starts smmu-plan with the file's path first
# (docs/libvirt.md, Hooks).
set -u
HOOK=$1 BIN=$2 SRC=$3
fail() { echo "FAIL hook-file: $*"; exit 1; }
[ -x "$HOOK" ] || fail "$HOOK is not executable"
[ "$(head -n 1 "$HOOK")" = "#!$BIN libvirt-hook" ] || fail "$HOOK does not start with #!$BIN libvirt-hook"
export SMMU_HOOK_ROOT="$SRC/examples/hosts/grace-gh200"
golden=$SRC/tests/golden/grace-gh200/libvirt.xml
w=$(mktemp -d) || exit 1
trap 'rm -rf "$w"' EXIT
"$HOOK" guest prepare begin - <"$golden" >"$w/out" 2>&1 || fail "the planned domain is refused: $(cat "$w/out")"
# The GPU's hostdev naming the NIC: one host SMMU then backs both vSMMUs.
sed 's/domain="0x0009"/domain="0x0002"/' "$golden" >"$w/misrouted.xml"
"$HOOK" guest prepare begin - <"$w/misrouted.xml" >"$w/out" 2>&1
rc=$?
[ "$rc" = 11 ] || fail "a mis-routed domain: exit $rc, expected 11: $(cat "$w/out")"
# The domain's name, not the hook file's path, is the object refused.
grep -q '^smmu-plan: error: refusing to start guest: .*backs two vSMMUs' "$w/out" ||
  fail "a mis-routed domain: $(cat "$w/out")"
"$HOOK" guest started begin - <"$w/misrouted.xml" >"$w/out" 2>&1 || fail "started begin must pass: $(cat "$w/out")"
echo "hook-file: run by the kernel as its interpreter, smmu-plan passes the planned domain and refuses a mis-routed one"
