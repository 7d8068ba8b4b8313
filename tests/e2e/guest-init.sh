#!/bin/busybox sh
# /init of the test bed's initramfs (busybox static, arm64). Reports what the
# guest sees of its SMMUs, PCI devices and ACPI IORT between fixed markers on
# the serial console, then powers off. smmu-plan reads these markers
# (verify/guest_report.h: verify --console-log, guest-report, rehearse).
/bin/busybox --install -s /bin
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
# Keep kernel messages from interleaving with the report.
echo 1 >/proc/sys/kernel/printk

# Modules listed in dependency order by testbed.sh.
for m in $(cat /lib/modules/order 2>/dev/null); do
  insmod "/lib/modules/$m.ko" || echo "init: insmod $m failed"
done

echo "=== SMMU-MAP BEGIN"
for d in /sys/class/iommu/*/devices/*; do
  [ -e "$d" ] || continue
  smmu=${d#/sys/class/iommu/}
  echo "${smmu%%/*} ${d##*/}"
done | sort
echo "=== SMMU-MAP END"

echo "=== PCI BEGIN"
ls /sys/bus/pci/devices | sort
echo "=== PCI END"

# GPU plans: the NUMA nodes the kernel took as generic initiators (from the
# SRAT) and how many nodes this kernel holds (testbed.sh wrote it from the
# kernel's CONFIG_NODES_SHIFT); the SRAT itself (empty without one); and each
# bridge's 64-bit prefetchable window as firmware programmed it, that is the
# kernel's first read of it at enumeration ("<bdf> <start> <end>"): Linux then
# sizes bridge windows anew for what sits behind them, as QEMU's pxbs do not
# ask it to keep firmware's.
echo "=== NUMA BEGIN"
echo "has_generic_initiator $(cat /sys/devices/system/node/has_generic_initiator 2>/dev/null)"
[ -r /etc/max-numa-nodes ] && echo "max_nodes $(cat /etc/max-numa-nodes)"
echo "=== NUMA END"

echo "=== SRAT BEGIN"
[ -r /sys/firmware/acpi/tables/SRAT ] && hexdump -v -e '16/1 "%02x " "\n"' /sys/firmware/acpi/tables/SRAT
echo "=== SRAT END"

echo "=== BRIDGE-WINDOWS BEGIN"
dmesg | sed -n 's/.* pci \([0-9a-f]\{4\}:[0-9a-f]\{2\}:[0-9a-f]\{2\}\.[0-7]\):   bridge window \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\) 64bit pref\]$/\1 \2 \3/p' |
  awk '!seen[$1]++'
echo "=== BRIDGE-WINDOWS END"

# No IORT means no section at all, which smmu-plan reports as such.
if [ -r /sys/firmware/acpi/tables/IORT ]; then
  echo "=== IORT BEGIN"
  hexdump -v -e '16/1 "%02x " "\n"' /sys/firmware/acpi/tables/IORT
  echo "=== IORT END"
fi

poweroff -f
