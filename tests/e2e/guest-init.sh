#!/bin/busybox sh
# /init of the test bed's initramfs (busybox static, arm64). Reports what the
# guest sees of its SMMUs, PCI devices and ACPI IORT between fixed markers on
# the serial console, then powers off. boot.sh parses these markers.
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

# No IORT means no section at all, which boot.sh reports as such.
if [ -r /sys/firmware/acpi/tables/IORT ]; then
  echo "=== IORT BEGIN"
  hexdump -v -e '16/1 "%02x " "\n"' /sys/firmware/acpi/tables/IORT
  echo "=== IORT END"
fi

poweroff -f
