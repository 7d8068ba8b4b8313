"""A nova libvirt-driver test case on nova's own fixtures (fake libvirt,
Glance, cgroups), the way nova's LibvirtConnTestCase sets them up, with an
aarch64 KVM host and smmu-plan reading an example host tree."""
import os
from unittest import mock

import fixtures
import os_vif
from oslo_utils.fixture import uuidsentinel as uuids

import nova.privsep  # noqa: F401 (tests patch its context)
from nova import context
from nova import objects
from nova.objects import fields
from nova.compute import power_state  # noqa: F401 (tests use it)
from nova import test
from nova.network import model as network_model
from nova.tests import fixtures as nova_fixtures
from nova.tests.fixtures import libvirt as fakelibvirt
from nova.virt import fake
from nova.virt.libvirt import blockinfo
from nova.virt.libvirt import driver as libvirt_driver

from nova_smmu_plan import driver as smmu_driver

SOURCE_DIR = os.path.abspath(
    os.path.join(os.path.dirname(__file__), '..', '..', '..'))
EXAMPLE_HOSTS = os.path.join(SOURCE_DIR, 'examples', 'hosts')
# grace-gh200: a ConnectX-7 VF behind SMMU 0x12000000, the GPU behind 0x16000000.
NIC, GPU = '0002:01:00.0', '0009:01:00.0'
# In an IOMMU group with a function still bound to its host driver.
SPLIT_GROUP = '0008:01:00.0'
FIXED_TIME = 1764000000.0


def smmu_plan_binary():
    binary = os.environ.get('SMMU_PLAN_BINARY',
                            os.path.join(SOURCE_DIR, 'build', 'smmu-plan'))
    if not os.access(binary, os.X_OK):
        raise RuntimeError('no smmu-plan at %s: build it or set '
                           'SMMU_PLAN_BINARY' % binary)
    return binary


def sriov_port(pci_slot, mac, vlan):
    """A neutron port of vnic_type direct on a VF, as nova's network info
    holds it (ML2 sriovnicswitch: vif type hw_veb, the VF in the binding
    profile, the VLAN in the details)."""
    return network_model.VIF(
        id=uuids.port, address=mac, type=network_model.VIF_TYPE_HW_VEB,
        vnic_type=network_model.VNIC_TYPE_DIRECT,
        network=network_model.Network(id=uuids.network, bridge=None,
                                      label='physnet', subnets=[]),
        profile={'pci_slot': pci_slot, 'pci_vendor_info': '15b3:101e',
                 'physical_network': 'physnet'},
        details={network_model.VIF_DETAILS_VLAN: str(vlan)})


def instance_values():
    """An instance as nova's libvirt driver tests build one."""
    flavor = objects.Flavor(
        memory_mb=2048, swap=0, vcpu_weight=None, root_gb=10, id=2,
        name='m1.small', ephemeral_gb=20, rxtx_factor=1.0, flavorid='1',
        vcpus=2, extra_specs={})
    return {
        'id': 1, 'uuid': uuids.instance, 'memory_kb': '1024000',
        'display_name': 'smmu-plan guest', 'vcpus': 2, 'project_id': 'fake',
        'user_id': 'fake', 'image_ref': uuids.image_ref, 'root_gb': 10,
        'ephemeral_gb': 20, 'instance_type_id': flavor.id, 'flavor': flavor,
        'new_flavor': None, 'old_flavor': None, 'numa_topology': None,
        'config_drive': None, 'vm_mode': None, 'vm_state': None,
        'kernel_id': None, 'ramdisk_id': None, 'os_type': 'linux',
        'ephemeral_key_uuid': None, 'vcpu_model': None, 'host': 'fake-host',
        'node': 'fake-node', 'task_state': None, 'trusted_certs': None,
        'resources': None, 'migration_context': None, 'info_cache': None,
    }


class DriverTestCase(test.NoDBTestCase):

    REQUIRES_LOCKING = True

    def setUp(self):
        super(DriverTestCase, self).setUp()
        self.context = context.get_admin_context()
        temp_dir = self.useFixture(fixtures.TempDir()).path
        self.flags(instances_path=temp_dir)
        self.flags(virt_type='kvm', group='libvirt')
        os_vif.initialize()
        self.libvirt = self.useFixture(nova_fixtures.LibvirtFixture())
        self.useFixture(nova_fixtures.CGroupsFixture())
        # smmu-plan runs in this process instead of nova's privsep daemon.
        self.useFixture(nova_fixtures.PrivsepFixture())
        self.useFixture(nova_fixtures.GlanceFixture(self))
        self.libvirt.mock_uname.return_value = fakelibvirt.os_uname(
            'Linux', '', '6.8.0', '', fields.Architecture.AARCH64)
        self.flags(binary=smmu_plan_binary(),
                   host_root=os.path.join(EXAMPLE_HOSTS, 'grace-gh200'),
                   libvirt_schemas=os.environ.get('SMMU_LIBVIRT_SCHEMAS', ''),
                   group='smmu_plan')
        # nova stamps the creation time into the XML; keep runs comparable.
        self.useFixture(fixtures.MockPatch(
            'nova.virt.libvirt.driver.time.time', return_value=FIXED_TIME))

    def _clear_attrs(self):
        # nova drops every public attribute after a test; pytest has bound
        # the test method on the instance and deletes it itself afterwards.
        method = self.__dict__.get(self._testMethodName)
        super(DriverTestCase, self)._clear_attrs()
        if method is not None:
            self.__dict__[self._testMethodName] = method

    def instance(self, bdfs=(), extra_specs=None, image_props=None):
        values = instance_values()
        values['flavor'].extra_specs = dict(extra_specs or {})
        instance = objects.Instance(**values)
        # As nova's PCI manager leaves them: allocated for a flavor alias.
        instance.pci_devices = objects.PciDeviceList(objects=[
            objects.PciDevice(address=b, request_id=uuids.pci_request,
                              status=fields.PciDeviceStatus.ALLOCATED)
            for b in bdfs])
        instance.pci_requests = objects.InstancePCIRequests(requests=[
            objects.InstancePCIRequest(request_id=uuids.pci_request,
                                       alias_name='passthrough',
                                       count=len(bdfs))])
        instance.system_metadata = {
            'image_' + k: v for k, v in (image_props or {}).items()}
        return instance

    @staticmethod
    def image_meta():
        return objects.ImageMeta.from_dict({'disk_format': 'raw'})

    def guest_xml(self, driver_class, instance, network_info=(), **kwargs):
        drvr = driver_class(fake.FakeVirtAPI(), True)
        image_meta = self.image_meta()
        disk_info = blockinfo.get_disk_info(
            'kvm', instance, image_meta)
        with mock.patch.object(driver_class, '_get_guest_storage_config'):
            return drvr._get_guest_xml(self.context, instance,
                                       network_model.NetworkInfo(network_info),
                                       disk_info, image_meta, **kwargs)

    def planned_xml(self, bdfs, ports=(), **kwargs):
        instance = self.instance(
            bdfs, extra_specs={smmu_driver.EXTRA_SPEC: 'per_host_smmu'},
            **kwargs)
        xml = self.guest_xml(smmu_driver.SmmuPlanLibvirtDriver, instance,
                             [sriov_port(*p) for p in ports])
        # tests/e2e/nova.sh has libvirt itself define every planned guest.
        out = os.environ.get('SMMU_NOVA_XML_DIR')
        if out and (bdfs or ports):
            with open(os.path.join(out, self.id() + '.xml'), 'w') as f:
                f.write(xml)
        return xml

    @staticmethod
    def nova_driver():
        return libvirt_driver.LibvirtDriver
