#!/bin/sh
# layering_check.sh CXX CHECK_FILE SOURCE_DIR (ctest `layering`): every layer
# (cmake/layers.cmake) compiles with include directories through which a
# header of each folder it depends on is found, and a header of any other
# folder is not: an upward #include fails the build. CHECK_FILE holds, per
# layer, "name|visible folders|include directories" as the build uses them.
set -u
[ $# -eq 3 ] || { echo "usage: $0 CXX CHECK_FILE SOURCE_DIR" >&2; exit 2; }
cxx=$1 check=$2 src=$3
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1   # a quoted include must not find the source tree from here
layers=$(cut -d'|' -f1 "$check")
[ -n "$layers" ] || { echo "FAIL layering: $check names no layer"; exit 1; }
status=0 pairs=0
while IFS='|' read -r layer visible dirs; do
  flags=$(echo "$dirs" | tr ';' '\n' | sed '/^$/d; s/^/-I/' | tr '\n' ' ')
  for folder in $layers; do
    header=$(cd "$src/$folder" && ls ./*.h | sed 's|^\./||' | sort | head -1)
    [ -n "$header" ] || { echo "FAIL layering: $folder has no header"; status=1; continue; }
    printf '#include "%s/%s"\n' "$folder" "$header" >probe.cpp
    # shellcheck disable=SC2086
    "$cxx" -std=c++20 -E $flags probe.cpp -o /dev/null 2>err.txt && found=yes || found=no
    case ";$visible;" in *";$folder;"*) want=yes ;; *) want=no ;; esac
    pairs=$((pairs + 1))
    if [ $found != $want ]; then
      status=1
      if [ $want = yes ]; then
        echo "FAIL layering: $layer cannot include $folder/$header: $(grep -m1 error err.txt)"
      else
        echo "FAIL layering: $layer, below $folder, can include $folder/$header"
      fi
    elif [ $found = no ] && ! grep -q "$folder/$header" err.txt; then
      echo "FAIL layering: $layer including $folder/$header failed otherwise: $(grep -m1 error err.txt)"
      status=1
    fi
  done
done <"$check"
[ $status -eq 0 ] && echo "layering: $pairs layer/folder pairs as cmake/layers.cmake declares"
exit $status
