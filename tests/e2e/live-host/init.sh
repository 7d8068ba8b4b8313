#!/bin/busybox sh
# /init of the live host guest (live-host.sh packs it with busybox, the arm64
# smmu-plan and its libraries, and /etc/job from outer.py). Runs smmu-plan on
# the live system and writes what every command printed, its exit code and
# what the kernel shows in sysfs to /out (virtio-9p, the test's directory),
# gives the plan's real form to QEMU and libvirt (/etc/real-form.sh), then
# powers off. check.py reads /out.
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
echo 1 >/proc/sys/kernel/printk
mkdir -p /out /tmp
mount -t 9p -o trans=virtio,version=9p2000.L out /out || { echo "init: no /out"; poweroff -f; }
. /etc/job

# run NAME CMD...: NAME.out, NAME.err and NAME.rc in /out.
run() {
  name=$1; shift
  "$@" >"/out/$name.out" 2>"/out/$name.err"
  echo $? >"/out/$name.rc"
}
link_name() { l=$(readlink "$1" 2>/dev/null) && echo "${l##*/}" || echo -; }
# What the kernel shows, read by the shell: one line per PCI function.
sysfs_view() {
  for d in /sys/bus/pci/devices/*; do
    echo "${d##*/} $(cat "$d/vendor") $(cat "$d/device") $(cat "$d/class")" \
      "driver=$(link_name "$d/driver") iommu=$(link_name "$d/iommu")" \
      "group=$(link_name "$d/iommu_group") physfn=$(link_name "$d/physfn")" \
      "vfio=$(ls "$d/vfio-dev" 2>/dev/null | head -1)"
  done
}
bind_vfio() {
  d=/sys/bus/pci/devices/$1
  echo vfio-pci >"$d/driver_override"
  [ -e "$d/driver" ] && echo "$1" >"$d/driver/unbind"
  echo "$1" >/sys/bus/pci/drivers_probe
}

sysfs_view >/out/sysfs-unbound.txt
run probe-unbound smmu-plan probe --json

for pf_vfs in $VFS; do
  pf=${pf_vfs%=*}
  echo "${pf_vfs#*=}" >"/sys/bus/pci/devices/$pf/sriov_numvfs" || echo "init: sriov_numvfs of $pf failed"
  for vf in /sys/bus/pci/devices/$pf/virtfn*; do bind_vfio "$(link_name "$vf")"; done
done
for bdf in $BIND; do bind_vfio "$bdf"; done
sysfs_view >/out/sysfs.txt
ls -l /dev/vfio/devices /dev/iommu >/out/dev.txt 2>&1
cat /sys/firmware/acpi/tables/IORT >/out/firmware-iort.bin

run probe smmu-plan probe --json
run probe-text smmu-plan probe
run plan smmu-plan plan --all-assignable -o /out/plan.json
run plan-again smmu-plan plan --all-assignable -o /out/plan-again.json
run qemu-args smmu-plan qemu-args --plan /out/plan.json
run iort smmu-plan iort --plan /out/plan.json -o /out/iort.bin
run libvirt-xml smmu-plan libvirt-xml --plan /out/plan.json -o /out/domain.xml
# The hook file as libvirt runs it: the kernel starts smmu-plan as its interpreter.
hook=/etc/libvirt/hooks/qemu.d/smmu-plan
run hook "$hook" vm prepare begin - </out/domain.xml
# The same domain with the host devices of two vSMMUs swapped: each now sits
# under the vSMMU of the other's host SMMU.
set -- $SWAP
h='"host_bdf": '
sed "s/$h\"$1\"/$h\"@@\"/; s/$h\"$2\"/$h\"$1\"/; s/$h\"@@\"/$h\"$2\"/" /out/plan.json >/tmp/swapped.json
run libvirt-xml-swapped smmu-plan libvirt-xml --plan /tmp/swapped.json -o /out/misrouted.xml
run hook-misrouted "$hook" vm prepare begin - </out/misrouted.xml
run probe-user su -s /bin/sh nobody -c "exec /usr/bin/smmu-plan probe --json"
. /etc/real-form.sh
echo done >/out/complete
umount /out
poweroff -f
