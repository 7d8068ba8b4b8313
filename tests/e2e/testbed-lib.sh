# shellcheck shell=bash
# Sourced by the e2e scripts that work inside the test bed's sid root
# (libvirt-parity.sh, libvirt-api.sh, nova.sh). They set HERE (this
# directory) and E2E_NAME (how their FAIL lines name them) first.
#   in_testbed PREFIX  prepares the test bed and sets TB (its directory), W (a
#                      work directory inside its root, removed on exit) and
#                      IN (W as the root sees it);
#   in_root CMD...     runs CMD in the root (in-root.sh: its own /proc);
#   fail WHY...        prints "FAIL $E2E_NAME: WHY" and exits 1.

fail() { echo "FAIL $E2E_NAME: $*"; exit 1; }

in_root() { "$HERE/in-root.sh" "$TB" "$@"; }

in_testbed() {
  TB=$("$HERE/testbed.sh" prepare) || fail "no test bed (tests/e2e/testbed.sh prepare failed)"
  W=$(mktemp -d "$TB/root/tmp/$1.XXXXXX")
  IN=/tmp/${W##*/}
  trap 'rm -rf --one-file-system "$W"' EXIT
}
