#!/bin/busybox sh
# real-form.sh, run by init.sh in the live host guest after its job: gives the
# plan's real form (accel=on, iommufd, vfio-pci on the bound devices; what
# `smmu-plan qemu-args --qemu` prints for that QEMU) to sid's arm64 QEMU with
# KVM, from the arm64 root shared read-only as "arm64root" (rootfs.sh).
# Every QEMU starts paused (-S) with HMP on stdin, lists its devices
# (info qtree) and quits, so a start that works costs no guest boot:
#   /out/real/topology.*  everything but the vfio-pci devices
#   /out/real/dev-N.*     that, plus the N-th vfio-pci device alone
#   /out/real/full.*      the whole real form, as an operator launches it
# each as NAME.args (the options), .out, .err, .rc and .secs (and the form
# itself as /out/real/qemu-args.*); then libvirt
# defines and starts the real-form domain (/out/real/libvirt.*, below).
# real_form.py (from check.py) reads them.
R=/arm64
FIRMWARE=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd   # UEFI: accel=on needs ACPI (docs/qemu.md)
O=/out/real
mkdir -p $O $R
note() { echo "$*" >>$O/notes; }
mount -t 9p -o trans=virtio,version=9p2000.L,ro arm64root $R || { note "no arm64 root"; return 0; }
mount -o bind /dev $R/dev && mount -t proc proc $R/proc && mount -t sysfs sysfs $R/sys &&
  mount -t tmpfs tmpfs $R/tmp && mount -t tmpfs tmpfs $R/run || { note "cannot mount in the arm64 root"; return 0; }
ls -l /dev/kvm >$O/kvm.txt 2>&1
dmesg | grep -i -e kvm -e 'hyp mode' >>$O/kvm.txt

# The real form for this QEMU: `qemu-args --qemu` asks it over QMP, on this
# kernel, as an operator's run would (the wrapper runs it in the arm64 root).
printf '#!/bin/sh\nexec chroot %s /usr/bin/qemu-system-aarch64 "$@"\n' $R >/tmp/qemu-system-aarch64
chmod 0755 /tmp/qemu-system-aarch64
XDG_CACHE_HOME=/tmp/cache smmu-plan qemu-args --plan /out/plan.json --qemu /tmp/qemu-system-aarch64 \
  >$O/qemu-args.out 2>$O/qemu-args.err
echo $? >$O/qemu-args.rc

# The real form's options, one per line: the vfio-pci devices apart.
: >$O/topology.args
: >$O/vfio.list
while read -r opt; do
  case $opt in
    -device) pending=$opt ;;
    vfio-pci,*) echo "$opt" >>$O/vfio.list; pending= ;;
    *) [ -z "$pending" ] || echo "$pending" >>$O/topology.args; echo "$opt" >>$O/topology.args; pending= ;;
  esac
done <$O/qemu-args.out
cp $O/qemu-args.out $O/full.args

# start NAME: QEMU with NAME.args, paused; it prints its device tree and quits
# (or is killed after 300 s: exit 137).
start() {
  t0=$(date +%s)
  old_ifs=$IFS; IFS='
'
  set -f
  printf 'info qtree\nquit\n' | timeout -s KILL 300 chroot $R /usr/bin/qemu-system-aarch64 \
    -accel kvm -machine virt,gic-version=3 -cpu host -m 256M -bios "$FIRMWARE" -nodefaults -display none \
    -serial none -monitor stdio -S $(cat $O/$1.args) >$O/$1.out 2>$O/$1.err
  echo $? >$O/$1.rc
  set +f; IFS=$old_ifs
  echo $(( $(date +%s) - t0 )) >$O/$1.secs
}
start topology
n=0
while read -r dev; do
  { cat $O/topology.args; echo -device; echo "$dev"; } >$O/dev-$n.args
  start dev-$n
  n=$((n + 1))
done <$O/vfio.list
start full

# The same plan as libvirt runs it: the real-form domain (smmu-plan
# libvirt-xml merged into a small KVM domain) defined and started by libvirt's
# embedded QEMU driver, no daemon; what that took is in docs/libvirt.md,
# Starting the real form. /out/real/libvirt.* is what virsh said,
# libvirt-qemu.log what QEMU said to libvirt. libvirt's probe of QEMU takes
# about a minute here: its cache comes from and goes back to /out/libvirt-caps
# (live-host.sh keeps it with the arm64 root; libvirt itself checks that it
# still fits this QEMU and kernel).
V=/tmp/libvirt
mkdir -p $R$V/etc $R$V/cache/qemu/capabilities
cp /out/libvirt-caps/*.xml $R$V/cache/qemu/capabilities/ 2>/dev/null
cat >$R$V/etc/qemu.conf <<END
security_driver = "none"
namespaces = [ ]
cgroup_controllers = [ ]
user = "root"
group = "root"
stdio_handler = "file"
END
cat >/tmp/base.xml <<END
<domain type="kvm">
  <name>real-form</name>
  <memory unit="MiB">256</memory>
  <vcpu>1</vcpu>
  <os firmware="efi"><type arch="aarch64" machine="virt">hvm</type></os>
  <features><acpi/><gic version="3"/></features>
  <cpu mode="host-passthrough"/>
</domain>
END
smmu-plan libvirt-xml --plan /out/plan.json --domain-xml /tmp/base.xml -o $R$V/domain.xml \
  2>$O/libvirt-xml.err && cp $R$V/domain.xml $O/libvirt-domain.xml
t0=$(date +%s)
timeout -s KILL 600 chroot $R /usr/bin/virsh -c "qemu:///embed?root=$V" "define $V/domain.xml; start real-form" \
  >$O/libvirt.out 2>$O/libvirt.err
echo $? >$O/libvirt.rc
echo $(( $(date +%s) - t0 )) >$O/libvirt.secs
cp $R$V/log/qemu/real-form.log $O/libvirt-qemu.log 2>/dev/null
mkdir -p /out/libvirt-caps && cp $R$V/cache/qemu/capabilities/*.xml /out/libvirt-caps/ 2>/dev/null
umount $R/run $R/tmp $R/sys $R/proc $R/dev $R
