#!/bin/sh
# in-root.sh [--bind DIR TARGET] TESTBED_DIR CMD [ARG...]: runs CMD chrooted
# in the test bed's sid root with a /proc of its own (a private mount
# namespace, so nothing stays mounted when CMD ends); --bind also shows the
# host's DIR at TARGET inside the root for CMD alone.
bind_src="" bind_dst=""
if [ "${1:-}" = --bind ]; then bind_src=$2 bind_dst=$3; shift 3; fi
[ $# -ge 2 ] || { echo "usage: $0 [--bind DIR TARGET] TESTBED_DIR CMD [ARG...]" >&2; exit 2; }
root=$1/root
shift
[ -z "$bind_dst" ] || mkdir -p "$root$bind_dst" || exit 1
exec unshare --mount --propagation private sh -c '
  root=$0 src=$1 dst=$2; shift 2
  mount -t proc proc "$root/proc" || exit 1
  if [ -n "$dst" ]; then mount --bind "$src" "$root$dst" || exit 1; fi
  exec chroot "$root" "$@"' "$root" "$bind_src" "$bind_dst" "$@"
