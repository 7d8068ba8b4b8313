#!/bin/bash
# debian12-root.sh prepare: builds, once, a minimal Debian 12 root (debootstrap
# --variant=minbase bookworm, from the mirror this machine's apt uses) and
# prints its directory. Callers copy it (`cp -a DIR/root`) and work in the
# copy: the cached root stays as debootstrap left it, a fresh Debian 12 each
# time, for the package install test (tests/e2e/package.sh) and the Quick
# start's timing (tests/e2e/fresh-demo.sh).
#
# The directory, ${SMMU_DEBIAN12_CACHE:-/var/tmp/smmu-plan-debian12}/<key>, is
# keyed on this script; it holds root/, build.log and the stamp "complete";
# building one removes the others. About 2 minutes; needs root and debootstrap.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SMMU_DEBIAN12_CACHE:-/var/tmp/smmu-plan-debian12}
die() { echo "debian12 root: cannot build: $*" >&2; exit 1; }
[ "${1:-}" = prepare ] || { echo "usage: $0 prepare" >&2; exit 2; }
KEY=$(sha256sum "$0" | cut -c1-16)
DIR=$CACHE/$KEY
if [ -f "$DIR/complete" ]; then echo "$DIR"; exit 0; fi
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap needs it)"
command -v debootstrap >/dev/null || die "debootstrap is not installed (run scripts/install-deps --test)"
mkdir -p "$CACHE"
exec 9>"$CACHE/$KEY.lock"
flock 9                                   # another prepare may be building the same key
if [ -f "$DIR/complete" ]; then echo "$DIR"; exit 0; fi
# shellcheck source=mirror.sh
. "$HERE/mirror.sh"
MIRROR=$(mirror) || die "no Debian mirror found in /etc/apt"
LOG=$CACHE/$KEY.build.log
rm -rf --one-file-system "$DIR.new"
mkdir -p "$DIR.new"
t0=$SECONDS
debootstrap --variant=minbase bookworm "$DIR.new/root" "$MIRROR" >"$LOG" 2>&1 ||
  die "debootstrap of bookworm from $MIRROR failed (see $LOG)"
echo "== debootstrap of bookworm from $MIRROR: $((SECONDS - t0)) s" >>"$LOG"
cp "$LOG" "$DIR.new/build.log"
touch "$DIR.new/complete"
for old in "$CACHE"/*; do
  case ${old##*/} in "$KEY" | "$KEY".*) continue ;; esac
  rm -rf --one-file-system "$old"
done
mv -T "$DIR.new" "$DIR"
echo "$DIR"
