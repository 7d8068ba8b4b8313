#!/bin/bash
# rehearse-host.sh SMMU_PLAN HOST_DIR NAME [plan options...]
# Plans HOST_DIR (--all-assignable plus the options, or just the options when
# they choose devices themselves: --device, --select, --request), then boots the plan's
# stand-in topology in the test bed and verifies the guest (smmu-plan
# rehearse). Both are told the test bed's QEMU (--qemu, asked over QMP), so
# the form booted is the one smmu-plan fits to that QEMU. A host without
# SMMUv3 must instead be refused with exit 5.
# Records "proven" or "refused" in $SMMU_E2E_RESULTS/NAME for count-proven.sh.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 SMMU_PLAN HOST_DIR NAME [plan options...]" >&2; exit 2; }
PLAN_BIN=$1 HOST=$2 NAME=$3
shift 3
HERE=$(cd "$(dirname "$0")" && pwd)
RESULTS=${SMMU_E2E_RESULTS:-$HERE/../../build/e2e-results}
mkdir -p "$RESULTS"
rm -f "$RESULTS/$NAME"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
case " $* " in
  *" --device "*|*" --select "*|*" --request "*) ;;
  *) set -- --all-assignable "$@" ;;
esac

TESTBED=$("$HERE/testbed.sh" prepare)
QEMU=$("$HERE/testbed-qemu.sh" "$TESTBED")
set -- --qemu "$QEMU" "$@"
rc=0
"$PLAN_BIN" plan --root "$HOST" "$@" -o "$WORK/plan.json" 2>"$WORK/plan.err" || rc=$?
if ! ls "$HOST"/sys/class/iommu/smmu3.* >/dev/null 2>&1; then
  cat "$WORK/plan.err"
  [ "$rc" -eq 5 ] || { echo "FAIL $NAME: a host without SMMUv3 must be refused with exit 5, got $rc"; exit 1; }
  echo refused >"$RESULTS/$NAME"
  echo "REFUSED $NAME: no SMMUv3, nothing to boot (as planned)"
  exit 0
fi
[ "$rc" -eq 0 ] || { cat "$WORK/plan.err"; echo "FAIL $NAME: plan exited $rc"; exit 1; }

"$PLAN_BIN" plan --root "$HOST" "$@" | head -1
if "$PLAN_BIN" rehearse --plan "$WORK/plan.json" --testbed "$TESTBED" --qemu "$QEMU" 2>"$WORK/rehearse.err"; then
  cat "$WORK/rehearse.err"
  echo proven >"$RESULTS/$NAME"
  echo "PROVEN $NAME"
else
  cat "$WORK/rehearse.err"
  # A slow machine is not a wrong plan: say which it was.
  if grep -q '(timeout after' "$WORK/rehearse.err"; then echo "TIMEOUT $NAME (not proven, not refuted)"; else echo "FAIL $NAME"; fi
  exit 1
fi
