#!/bin/sh
# loaded_libraries_check.sh SMMU_PLAN SOURCE_DIR: libxml2 and libvirt's client
# library are loaded on use (libvirt/xml_library.h, libvirt/client_library.h;
# docs/performance.md): `--version` and a probe load neither, the hook loads
# libxml2 and still not libvirt. What the dynamic loader opened, from its
# own log (LD_DEBUG=files, glibc).
set -u
BIN=$1 SRC=$2
HOST=$SRC/examples/hosts/grace-gh200
fails=0
# loaded CMD...: the sonames CMD's process opened, one per line.
loaded() {
  LD_DEBUG=files "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\) \[0\];  \(needed\|dynamically loaded\) by.*/\1/p' | sort -u
}
expect() {  # expect WHAT yes|no PATTERN LIST
  if printf '%s\n' "$4" | grep -q "$3"; then got=yes; else got=no; fi
  [ "$got" = "$2" ] || { echo "FAIL: $1: loaded $3: $got, expected $2 (loaded: $(printf '%s' "$4" | paste -sd' '))"; fails=1; }
}
v=$(loaded "$BIN" --version)
expect "--version" no '^libxml2' "$v"
expect "--version" no '^libvirt' "$v"
p=$(loaded "$BIN" probe --root "$HOST")
expect "probe" no '^libxml2' "$p"
expect "probe" no '^libicu' "$p"
h=$(loaded "$BIN" libvirt-hook guest prepare begin - --root "$HOST" <"$SRC/tests/golden/grace-gh200/libvirt.xml")
expect "libvirt-hook" yes '^libxml2' "$h"
expect "libvirt-hook" no '^libvirt' "$h"
[ $fails -eq 0 ] && echo "loaded on use: libxml2 by the hook alone here, libvirt by none"
exit $fails
