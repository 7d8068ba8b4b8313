# cache.sh, sourced by kernel.sh, rootfs.sh and qemu-7.2.sh: what they build
# lives in one directory per key under $CACHE, built by one process at a time
# and published whole (stamp "complete") or not at all. Needs CACHE and die,
# and TB unless the work directory's parent is given.

# cache_open KEY NAME [PARENT]: prints the key's directory and exits when it
# is built. Otherwise takes the key's lock (fd 9), sets DIR, starts LOG
# ($CACHE/KEY.build.log), makes an empty DIR.new for the result and a work
# directory T, which goes at exit: a hidden one in PARENT, or one in the test
# bed's root (IN: the same seen from inside).
cache_open() {
  DIR=$CACHE/$1
  if [ -f "$DIR/complete" ]; then echo "$DIR"; exit 0; fi
  [ "$(id -u)" -eq 0 ] || die "must run as root"
  mkdir -p "$CACHE"
  exec 9>"$CACHE/$1.lock"
  flock 9                          # another prepare may be building the same key
  if [ -f "$DIR/complete" ]; then echo "$DIR"; exit 0; fi
  LOG=$CACHE/$1.build.log
  : >"$LOG"
  rm -rf "$DIR.new"
  mkdir -p "$DIR.new"
  if [ $# -ge 3 ]; then
    T=$(mktemp -d "$3/.$2.XXXXXX")
  else
    T=$(mktemp -d "$TB/root/tmp/$2.XXXXXX")
    IN=/tmp/${T##*/}
  fi
  trap 'rm -rf --one-file-system "$T"' EXIT
  trap "exit 1" INT TERM HUP
}

# cache_publish: DIR.new, as the caller filled it, with the log and the stamp
# becomes DIR, and is printed; other keys' directories, and what failed
# builds left, are never used again and go.
cache_publish() {
  local key=${DIR##*/} old
  cp "$LOG" "$DIR.new/build.log"
  touch "$DIR.new/complete"
  rm -rf "$DIR"
  mv -T "$DIR.new" "$DIR"
  for old in "$CACHE"/*; do
    case ${old##*/} in "$key"|"$key".*) continue ;; esac
    rm -rf "$old"
  done
  echo "$DIR"
}
