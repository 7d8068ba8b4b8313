#!/bin/sh
# count-proven.sh RESULTS_DIR EXAMPLE_HOSTS_DIR: one line saying how many
# example hosts were proven in a booted guest by this run's e2e tests.
set -eu
RESULTS=$1 HOSTS=$2
total=0 proven=0 refused="" missing=""
for h in "$HOSTS"/*/; do
  name=$(basename "$h")
  total=$((total + 1))
  case $(cat "$RESULTS/host.$name" 2>/dev/null || echo none) in
    proven) proven=$((proven + 1)) ;;
    refused) refused="$refused $name" ;;
    *) missing="$missing $name" ;;
  esac
done
extra=$(ls "$RESULTS" 2>/dev/null | grep -c '^plan\.' || true)
libvirt=$(ls "$RESULTS" 2>/dev/null | grep -c '^libvirt\.' || true)
echo "e2e: $proven of $total example hosts proven in a booted guest" \
  "${refused:+(refused, no SMMUv3:$refused) }${missing:+(NOT proven:$missing) }plus $extra extra plans;" \
  "$libvirt proven through libvirt's own command line"
