# shellcheck shell=bash
# Sourced by the e2e scripts that work inside the test bed's sid root
# (libvirt-parity.sh, libvirt-api.sh, nova.sh, hotplug.sh, live-host.sh).
# They set HERE (this directory) and E2E_NAME (how their FAIL lines name
# them) first.
#   in_testbed PREFIX  checks that it runs as root, prepares the test bed and
#                      sets TB (its directory) and what TB/env names (KERNEL,
#                      INITRD, FIRMWARE, ...), W (a work directory inside its
#                      root) and IN (W as the root sees it). On exit, also by
#                      INT, TERM or HUP, it runs the script's own `cleanup`
#                      when it defines one, then removes W;
#   in_root CMD...     runs CMD in the root (in-root.sh: its own /proc);
#   fail WHY...        prints "FAIL $E2E_NAME: WHY" (and, when E2E_LOG is
#                      set, the console log to look at) and exits 1.

fail() { echo "FAIL $E2E_NAME: $*${E2E_LOG:+ (console log: $E2E_LOG)}"; exit 1; }

in_root() { "$HERE/in-root.sh" "$TB" "$@"; }

in_testbed() {
  [ "$(id -u)" -eq 0 ] || fail "must run as root (chroot needs it)"
  TB=$("$HERE/testbed.sh" prepare) || fail "no test bed (tests/e2e/testbed.sh prepare failed)"
  # shellcheck source=/dev/null
  . "$TB/env"
  W=$(mktemp -d "$TB/root/tmp/$1.XXXXXX")
  IN=/tmp/${W##*/}
  trap leave_testbed EXIT
  trap 'exit 1' INT TERM HUP   # so that leave_testbed runs then too
}

leave_testbed() {
  if declare -F cleanup >/dev/null; then cleanup; fi
  rm -rf --one-file-system "$W"
}
