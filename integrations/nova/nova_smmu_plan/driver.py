"""The compute driver: nova's libvirt driver, plus one vSMMU per host SMMU.

For an aarch64 guest whose flavor (extra spec) or image (property) asks for
``per_host_smmu``, the guest config nova built is handed to smmu-plan with
the host devices nova picked; smmu-plan plans the topology and merges it into
the domain XML, and its elements replace nova's hostdevs and <iommu>. Every
other guest is exactly what nova's own driver builds.
"""
from oslo_log import log as logging

import nova.conf
from nova import exception
from nova.i18n import _
from nova.network import model as network_model
from nova.virt.libvirt import config as vconfig
from nova.virt.libvirt import driver as libvirt_driver

from nova_smmu_plan import cli
from nova_smmu_plan import conf as smmu_conf
from nova_smmu_plan import guest_config
from nova_smmu_plan import topology_request

CONF = nova.conf.CONF
smmu_conf.register_opts(CONF)
LOG = logging.getLogger(__name__)

MIN_PCIE0_BUSES = 16
EXTRA_SPEC = topology_request.EXTRA_SPEC
PER_HOST_SMMU = topology_request.PER_HOST_SMMU
requested_topology = topology_request.requested_topology


def _host_bdf(hostdev):
    return '%04x:%02x:%02x.%x' % tuple(
        int(v, 16) for v in (hostdev.domain, hostdev.bus, hostdev.slot,
                             hostdev.function))


def _assigned_bdf(device):
    """The host device a nova device config assigns: a PCI hostdev (flavor
    alias) or an <interface type='hostdev'> (neutron port, vnic_type
    direct); None for anything else."""
    if isinstance(device, vconfig.LibvirtConfigGuestHostdevPCI):
        return _host_bdf(device)
    if (isinstance(device, vconfig.LibvirtConfigGuestInterface) and
            device.net_type == 'hostdev'):
        return device.source_dev.lower()
    return None


def _numa_map(guest):
    """host NUMA node -> guest NUMA node, as nova pinned the guest's memory."""
    if guest.numatune is None:
        return {}
    return {int(host): memnode.cellid
            for memnode in guest.numatune.memnodes
            for host in memnode.nodeset}


def _number_pci_controllers(guest):
    """Gives nova's unnumbered PCI controllers the indexes libvirt would,
    so smmu-plan numbers its controllers after them."""
    used = {d.index for d in guest.devices
            if isinstance(d, vconfig.LibvirtConfigGuestController) and
            d.type == 'pci' and d.index is not None}
    free = (i for i in range(0, 256) if i not in used)
    for d in guest.devices:
        if (isinstance(d, vconfig.LibvirtConfigGuestController) and
                d.type == 'pci' and d.index is None):
            d.index = next(free)


class SmmuPlanLibvirtDriver(libvirt_driver.LibvirtDriver):

    def _get_guest_config(self, instance, network_info, image_meta,
                          disk_info, *args, **kwargs):
        guest = super(SmmuPlanLibvirtDriver, self)._get_guest_config(
            instance, network_info, image_meta, disk_info, *args, **kwargs)
        if requested_topology(instance) == PER_HOST_SMMU:
            self._plan_per_host_smmu(guest, instance, image_meta)
        return guest

    def _plan_per_host_smmu(self, guest, instance, image_meta):
        if not self._is_aarch64_guest(image_meta) or not (
                guest.os_mach_type or '').startswith('virt'):
            raise exception.Invalid(
                _("%(key)s=%(value)s needs an aarch64 'virt' guest, not "
                  "machine type %(mach)s") %
                {'key': EXTRA_SPEC, 'value': PER_HOST_SMMU,
                 'mach': guest.os_mach_type})
        # PCI aliases and SR-IOV ports (vnic_type direct) alike: each goes
        # behind the vSMMU of its host SMMU, the port keeping MAC and VLAN.
        hostdevs = [d for d in guest.devices if _assigned_bdf(d)]
        if not hostdevs:
            LOG.info('%s=%s: no PCI passthrough device, nothing to plan',
                     EXTRA_SPEC, PER_HOST_SMMU, instance=instance)
            return
        # nova's one <iommu> (hw:viommu_model) gives way to one per host SMMU.
        guest.devices = [d for d in guest.devices
                         if not isinstance(d, vconfig.LibvirtConfigGuestIOMMU)]
        _number_pci_controllers(guest)
        pcie0_buses = CONF.smmu_plan.pcie0_buses or max(
            MIN_PCIE0_BUSES, len(guest.devices) - len(hostdevs))
        bdfs = [_assigned_bdf(d) for d in hostdevs]
        plan, merged = cli.plan_and_merge(
            CONF.smmu_plan, bdfs, pcie0_buses, _numa_map(guest),
            guest.to_xml())
        topology = guest_config.topology_from_domain_xml(merged)
        _check_topology(plan, topology)
        guest_config.SmmuPlanGuest.adopt(
            guest, guest_config.qemu_elements_from_domain_xml(merged))
        # GPU nodes need the guest's own node 0: smmu-plan added it as a
        # NUMA cell when nova's guest had none.
        if guest.cpu is None or guest.cpu.numa is None:
            numa = guest_config.numa_from_domain_xml(merged)
            if numa is not None:
                guest.cpu = guest.cpu or vconfig.LibvirtConfigGuestCPU()
                guest.cpu.numa = numa
        planned = {d['host_bdf'] for d in plan['devices']}
        guest.devices = [d for d in guest.devices
                         if _assigned_bdf(d) not in planned] + topology
        LOG.info('smmu-plan: %d vSMMUs for %d devices (%s)',
                 len(plan['vsmmus']), len(plan['devices']),
                 ', '.join('%s->%s' % (v['host_smmu'], v['pxb']['id'])
                           for v in plan['vsmmus']), instance=instance)

    def attach_interface(self, context, instance, image_meta, vif):
        # A VF given to a running guest would land outside every vSMMU:
        # hotplug under a vSMMU is not planned yet. Other ports attach as
        # nova attaches them (emulated NICs sit on pcie.0 anyway).
        passthrough = network_model.VNIC_TYPES_DIRECT_PASSTHROUGH
        if (requested_topology(instance) == PER_HOST_SMMU and
                vif.get('vnic_type') in passthrough):
            raise exception.Invalid(_(
                "%(key)s=%(value)s: a port of vnic_type %(vnic)s cannot be "
                "attached to a running guest yet (it would sit behind no "
                "vSMMU); attach it and hard-reboot, or create the guest with "
                "it") % {'key': EXTRA_SPEC, 'value': PER_HOST_SMMU,
                         'vnic': vif.get('vnic_type')})
        return super(SmmuPlanLibvirtDriver, self).attach_interface(
            context, instance, image_meta, vif)

    def check_can_live_migrate_source(self, context, instance,
                                      dest_check_data,
                                      block_device_info=None):
        if requested_topology(instance) == PER_HOST_SMMU:
            # Even devices nova 34 could move (live_migratable): QEMU
            # blocks migration of a guest with an accelerated vSMMU
            # (docs/qemu.md, docs/nova.md).
            raise exception.MigrationPreCheckError(reason=_(
                "%(key)s=%(value)s guests cannot be live-migrated: QEMU "
                "blocks migration of a guest whose vSMMU is accelerated "
                "(arm-smmuv3 accel=on), whatever its devices; cold-migrate "
                "or resize it instead (the topology is planned anew on the "
                "destination)") % {'key': EXTRA_SPEC, 'value': PER_HOST_SMMU})
        return super(SmmuPlanLibvirtDriver, self).check_can_live_migrate_source(
            context, instance, dest_check_data, block_device_info)


def _check_topology(plan, topology):
    """What smmu-plan wrote holds what its plan says, element for element."""
    def count(cls, **attrs):
        return sum(1 for t in topology if isinstance(t, cls) and all(
            getattr(t, k) == v for k, v in attrs.items()))
    ports = sum(len(v['root_ports']) for v in plan['vsmmus'])
    want = (len(plan['vsmmus']), ports, len(plan['devices']))
    have = (count(guest_config.SmmuPlanIOMMU),
            count(guest_config.SmmuPlanPCIController, model='pcie-root-port'),
            count(guest_config.SmmuPlanHostdevPCI) +
            count(guest_config.SmmuPlanInterface))
    if want != have or count(guest_config.SmmuPlanPCIController,
                             model='pcie-expander-bus') != want[0]:
        raise cli.SmmuPlanFailed(
            command='apply', message='the domain XML does not hold the plan '
            '(vSMMUs, root ports, devices: wanted %s, found %s)' % (want, have))
