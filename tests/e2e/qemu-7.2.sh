#!/bin/sh
# qemu-7.2.sh prepare: Debian 12's own QEMU 7.2 (qemu-system-arm from the build
# machine's bookworm apt), unpacked into a cache directory without installing
# it, for checking smmu-plan against an older QEMU than the test bed's
# (`smmu-plan --qemu`). Prints the path of a wrapper that runs
# its qemu-system-aarch64 with the unpacked libraries.
#
# The packages are qemu-system-arm and every package of its dependency
# closure (without recommends) that this machine lacks, as apt would install
# them, minus qemu-system-data and qemu-system-common: firmware, keymaps and
# helpers, which `-machine none` and the QMP queries do not need. The
# directory, ${SMMU_QEMU72_CACHE:-/var/tmp/smmu-plan-qemu-7.2}/<key>, is keyed
# on this script and those packages' versions (cache.sh); it holds root/ (the
# unpacked packages), qemu-system-aarch64 (the wrapper), packages (what was
# unpacked), build.log and the stamp "complete". Needs root and apt's bookworm
# lists (apt-get update).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SMMU_QEMU72_CACHE:-/var/tmp/smmu-plan-qemu-7.2}
die() { echo "qemu 7.2: cannot prepare: $*" >&2; exit 1; }
[ "${1:-}" = prepare ] && [ $# -eq 1 ] || { echo "usage: $0 prepare" >&2; exit 2; }
# cache.sh makes its work directory under $TB/root/tmp (a test bed's root);
# nothing here runs inside a test bed, so a directory beside the cache stands in.
TB=$CACHE.work
mkdir -p "$TB/root/tmp"
# shellcheck source-path=SCRIPTDIR source=live-host/cache.sh
. "$HERE/live-host/cache.sh"

# "package version" of every package apt would install, this machine's
# missing ones only.
PACKAGES=$(LC_ALL=C apt-get -s install --no-install-recommends qemu-system-arm 2>/dev/null |
  awk '/^Inst/ && $2 != "qemu-system-data" && $2 != "qemu-system-common" {
         v = $3; gsub(/[()]/, "", v); print $2, v }' | sort)
echo "$PACKAGES" | grep -q '^qemu-system-arm 1:7\.2' ||
  die "apt offers no qemu-system-arm 7.2 to install (installed already, or not bookworm?): $(echo "$PACKAGES" | paste -sd' ')"
KEY=$({ cat "$0"; echo "$PACKAGES"; } | sha256sum | cut -c1-16)
# cache_open prints the directory when it is built already; this prints the wrapper.
WRAPPER=$CACHE/$KEY/qemu-system-aarch64
trap '[ $? -ne 0 ] || [ ! -f "$CACHE/$KEY/complete" ] || echo "$WRAPPER"' EXIT
cache_open "$KEY" qemu-7.2 >/dev/null
ROOT=$DIR.new/root
mkdir -p "$ROOT"
echo "$PACKAGES" >"$DIR.new/packages"
# shellcheck disable=SC2046  # one word per package=version
(cd "$T" && apt-get download $(echo "$PACKAGES" | awk '{print $1 "=" $2}')) >>"$LOG" 2>&1 ||
  die "apt-get download failed (see $LOG)"
for deb in "$T"/*.deb; do
  dpkg-deb -x "$deb" "$ROOT" >>"$LOG" 2>&1 || die "cannot unpack $deb (see $LOG)"
done
[ -x "$ROOT/usr/bin/qemu-system-aarch64" ] || die "qemu-system-arm has no usr/bin/qemu-system-aarch64"

# The wrapper finds ROOT from its own path, so the published directory (DIR,
# not DIR.new) is what it runs.
# shellcheck disable=SC2016  # $R is the wrapper's, expanded when it runs
libs=$(cd "$ROOT" && find . -name '*.so*' \( -type f -o -type l \) -exec dirname {} \; |
  sed 's|^\.||' | sort -u | sed 's|^|$R|' | paste -sd:)
cat >"$DIR.new/qemu-system-aarch64" <<EOF
#!/bin/sh
# Debian 12's QEMU 7.2, unpacked by tests/e2e/qemu-7.2.sh.
R=\$(cd "\$(dirname "\$0")" && pwd)/root
LD_LIBRARY_PATH=$libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
exec "\$R/usr/bin/qemu-system-aarch64" "\$@"
EOF
chmod 0755 "$DIR.new/qemu-system-aarch64"
# It must answer QMP before it is published.
printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"quit"}' >"$T/qmp"
"$DIR.new/qemu-system-aarch64" -machine none -nodefaults -display none -qmp stdio <"$T/qmp" \
  >"$T/qmp.out" 2>>"$LOG" || die "it does not run (see $LOG)"
cat "$T/qmp.out" >>"$LOG"
grep -q '^{"QMP": .*"package": "Debian 1:7\.2' "$T/qmp.out" || die "it answers no QMP greeting of 7.2 (see $LOG)"
cache_publish >/dev/null
echo "$DIR/qemu-system-aarch64"
