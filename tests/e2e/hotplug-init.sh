# shellcheck shell=dash disable=SC1091  # busybox ash; /report is in the initramfs
# The rounds of /hotplug-init, the guest's init in the hotplug proof:
# hotplug.sh puts guest-init.sh's own setup (busybox, /proc, /sys, /dev, the
# console, the modules) before these lines and guest-init.sh's report
# sections beside them as /report, so both inits set up and report alike.
# Reports in three rounds: as booted, after the host's device_add, after its
# device_del. Each round ends with a READY marker the host waits for; the
# guest then waits, bounded, for the change.

# round N: the marker, the guest's uptime (how long each step took), the report.
round() {
  echo "=== ROUND $1"
  echo "hotplug-init: round $1 at $(cut -d' ' -f1 /proc/uptime) s"
  . /report
}
# tick WHAT: one more second spent waiting for WHAT; after 300 s the guest
# gives the round up, saying so (the host then reports a timeout).
tick() {
  waited=$((waited + 1))
  [ $waited -lt 300 ] || { echo "=== ROUND TIMEOUT (no $1 after 300 s)"; poweroff -f; }
  sleep 1
}

round 1
before=$(ls /sys/bus/pci/devices)
echo "=== HOTPLUG READY"

# new_device: the first PCI device the guest did not have in round 1.
new_device() {
  for d in /sys/bus/pci/devices/*; do
    echo "$before" | grep -qxF "${d##*/}" || { echo "${d##*/}"; return; }
  done
}
# pciehp adds the device on the port's presence-detect event.
waited=0
until new=$(new_device); [ -n "$new" ]; do
  tick "new PCI device"
done
echo "hotplug-init: $new appeared at $(cut -d' ' -f1 /proc/uptime) s"
# Its SMMU link comes with its IOMMU probe, its driver once its BARs fit in
# its port's windows: each within a few seconds, if at all.
settled() { [ -e "/sys/bus/pci/devices/$new/driver" ] && ls -d /sys/class/iommu/*/devices/"$new"; }
i=0
until settled >/dev/null 2>&1 || [ $i -ge 10 ]; do sleep 1; i=$((i + 1)); done
driver=$(readlink "/sys/bus/pci/devices/$new/driver")
driver=${driver##*/}
echo "hotplug-init: $new driver ${driver:-none}"
round 2
echo "=== UNPLUG READY"

# device_del presses the port's attention button: pciehp waits 5 s, then removes.
waited=0
while [ -e "/sys/bus/pci/devices/$new" ]; do tick "removal of $new"; done
round 3
# What pciehp and the PCI core did, for whoever reads the log.
echo "=== DMESG BEGIN"
dmesg | grep -e pci -e iommu
echo "=== DMESG END"
poweroff -f
