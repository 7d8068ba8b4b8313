#!/bin/sh
# in-root.sh TESTBED_DIR CMD [ARG...]: runs CMD chrooted in the test bed's
# sid root with a /proc of its own (a private mount namespace, so nothing
# stays mounted when CMD ends).
[ $# -ge 2 ] || { echo "usage: $0 TESTBED_DIR CMD [ARG...]" >&2; exit 2; }
root=$1/root
shift
exec unshare --mount --propagation private sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" "$@"
