"""The plugin against nova's own libvirt driver code and fake libvirt."""
import inspect
import json
import os
import subprocess
from unittest import mock

from lxml import etree
from nova import exception
from nova.objects import fields
from nova.tests.fixtures import libvirt as fakelibvirt
from nova.virt import fake
from nova.virt.libvirt import config as vconfig
from nova.virt.libvirt import driver as libvirt_driver

from nova_smmu_plan import cli
from nova_smmu_plan import privileged
from nova_smmu_plan import driver as smmu_driver
from tests import base


def topology(xml):
    """For each hostdev: its root port, pxb (busNr) and iommu, as the XML
    links them by controller index."""
    devices = etree.fromstring(xml.encode()).find('devices')
    controllers = {int(c.get('index')): c
                   for c in devices.findall("controller[@type='pci']")
                   if c.get('index') is not None}
    iommus = {int(i.find('driver').get('pciBus')): i
              for i in devices.findall('iommu')}
    routes = {}
    for h in devices.findall("hostdev[@type='pci']"):
        s = h.find('source/address')
        bdf = '%04x:%02x:%02x.%x' % tuple(int(s.get(k), 16) for k in (
            'domain', 'bus', 'slot', 'function'))
        port = controllers[int(h.find('address').get('bus'), 16)]
        pxb_index = int(port.find('address').get('bus'), 16)
        pxb = controllers[pxb_index]
        routes[bdf] = {
            'port': port.get('model'),
            'pxb': pxb.get('model'),
            'bus_nr': int(pxb.find('target').get('busNr')),
            'iommu': iommus[pxb_index].get('model'),
            'accel': iommus[pxb_index].find('driver').get('accel'),
            'iommufd': h.find('driver').get('iommufd'),
        }
    return devices, routes


def cli_plan(*bdfs):
    """The plan smmu-plan itself makes for these devices."""
    argv = [base.smmu_plan_binary(), 'plan', '--json', '--root',
            os.path.join(base.EXAMPLE_HOSTS, 'grace-gh200'),
            '--pcie0-buses', '16']
    for b in bdfs:
        argv += ['--device', b]
    return json.loads(subprocess.check_output(argv))


def pxb_bus_nr_of(plan):
    """Host BDF -> bus_nr of the pxb its root port is on: a planned device
    names only its root port (schemas/plan.schema.json)."""
    bus_nr = {rp['id']: v['pxb']['bus_nr']
              for v in plan['vsmmus'] for rp in v['root_ports']}
    return {d['host_bdf']: bus_nr[d['root_port']] for d in plan['devices']}


class TestPerHostSmmu(base.DriverTestCase):

    def test_two_host_smmus_give_two_pxbs_two_iommus(self):
        xml = self.planned_xml([base.NIC, base.GPU])
        devices, routes = topology(xml)
        self.assertEqual(2, len(devices.findall('iommu')))
        self.assertEqual(2, len(devices.findall(
            "controller[@model='pcie-expander-bus']")))
        self.assertEqual({base.NIC, base.GPU}, set(routes))
        for bdf, r in routes.items():
            self.assertEqual(('pcie-root-port', 'pcie-expander-bus', 'smmuv3',
                              'on', 'yes'),
                             (r['port'], r['pxb'], r['iommu'], r['accel'],
                              r['iommufd']), bdf)
        self.assertNotEqual(routes[base.NIC]['bus_nr'],
                            routes[base.GPU]['bus_nr'])
        # Each device sits on the pxb smmu-plan planned for its host SMMU.
        pxb_of = pxb_bus_nr_of(cli_plan(base.NIC, base.GPU))
        self.assertEqual(pxb_of, {b: r['bus_nr'] for b, r in routes.items()})

    def test_cmdqv_identifiers_reach_the_guest(self):
        # Grace SMMUs have CMDQ-V: libvirt has no attribute for the vSMMU
        # identifier QEMU pairs them by, so smmu-plan sets it by alias.
        root = etree.fromstring(self.planned_xml([base.NIC, base.GPU]).encode())
        ns = {'qemu': 'http://libvirt.org/schemas/domain/qemu/1.0'}
        identifiers = {
            d.get('alias'): p.get('value')
            for d in root.findall('qemu:override/qemu:device', ns)
            for p in d.findall('.//qemu:property[@name="identifier"]', ns)}
        self.assertEqual({'ua-smmuplan-vsmmu0': '1', 'ua-smmuplan-vsmmu1': '2'},
                         identifiers)
        self.assertEqual(['on', 'on'], [
            d.get('cmdqv') for d in root.findall('devices/iommu/driver')])

    def test_the_gpus_nodes_and_reserve_reach_the_guest(self):
        # The GH200 gets memory-less guest NUMA nodes 1-8 with a generic
        # initiator each and a reserve on its root port, through libvirt's
        # QEMU namespace; nova's guest without NUMA cells gets cell 0.
        root = etree.fromstring(self.planned_xml([base.NIC, base.GPU]).encode())
        ns = {'qemu': 'http://libvirt.org/schemas/domain/qemu/1.0'}
        args = [a.get('value')
                for a in root.findall('qemu:commandline/qemu:arg', ns)]
        self.assertEqual(['-machine', 'highmem-mmio-size=1T', '-numa',
                          'node,nodeid=1', '-object',
                          'acpi-generic-initiator,id=ua-smmuplan-gi1,'
                          'pci-dev=ua-smmuplan-dev1,node=1'], args[:6])
        self.assertEqual(8, args.count('-object'))
        self.assertEqual([('0', '0-1')], [
            (c.get('id'), c.get('cpus')) for c in root.findall('cpu/numa/cell')])
        reserve = root.find("qemu:override/qemu:device[@alias="
                            "'ua-smmuplan-pxb1-rp0']//qemu:property", ns)
        self.assertEqual(('pref64-reserve', str(256 << 30)),
                         (reserve.get('name'), reserve.get('value')))

    def test_one_host_smmu_gives_one(self):
        devices, routes = topology(self.planned_xml([base.NIC]))
        self.assertEqual(1, len(devices.findall('iommu')))
        self.assertEqual(1, len(devices.findall(
            "controller[@model='pcie-expander-bus']")))
        self.assertEqual([base.NIC], list(routes))

    def test_no_extra_spec_is_novas_guest_byte_for_byte(self):
        for specs in ({}, {smmu_driver.EXTRA_SPEC: 'none'}):
            ours = self.guest_xml(smmu_driver.SmmuPlanLibvirtDriver,
                                  self.instance([base.NIC, base.GPU], specs))
            novas = self.guest_xml(self.nova_driver(),
                                   self.instance([base.NIC, base.GPU], specs))
            self.assertEqual(novas, ours)
            self.assertNotIn('smmuplan', ours)

    def test_the_image_can_ask_too(self):
        instance = self.instance(
            [base.NIC], image_props={'smmu_plan_topology': 'per_host_smmu'})
        xml = self.guest_xml(smmu_driver.SmmuPlanLibvirtDriver, instance)
        self.assertEqual(1, len(topology(xml)[0].findall('iommu')))

    def test_flavor_and_image_must_agree(self):
        instance = self.instance(
            [base.NIC], extra_specs={smmu_driver.EXTRA_SPEC: 'per_host_smmu'},
            image_props={'smmu_plan_topology': 'none'})
        self.assertRaises(exception.FlavorImageConflict, self.guest_xml,
                          smmu_driver.SmmuPlanLibvirtDriver, instance)

    def test_unknown_value_is_refused(self):
        instance = self.instance(
            [base.NIC], extra_specs={smmu_driver.EXTRA_SPEC: 'per_smmu'})
        e = self.assertRaises(exception.Invalid, self.guest_xml,
                              smmu_driver.SmmuPlanLibvirtDriver, instance)
        self.assertIn('smmu_plan:topology=per_smmu', str(e))

    def test_novas_own_iommu_gives_way(self):
        xml = self.planned_xml([base.NIC, base.GPU])
        self.assertEqual(['smmuv3', 'smmuv3'], [
            i.get('model') for i in topology(xml)[0].findall('iommu')])
        instance = self.instance(
            [base.NIC, base.GPU],
            extra_specs={smmu_driver.EXTRA_SPEC: 'per_host_smmu',
                         'hw:viommu_model': 'smmuv3'})
        with_viommu = self.guest_xml(smmu_driver.SmmuPlanLibvirtDriver,
                                     instance)
        self.assertEqual(2, len(topology(with_viommu)[0].findall('iommu')))
        self.assertNotIn('intremap', with_viommu)

    def test_novas_pcie_root_ports_stay_on_pcie0_below_the_pxbs(self):
        self.flags(num_pcie_ports=8, group='libvirt')
        devices, routes = topology(self.planned_xml([base.NIC, base.GPU]))
        ports = [c for c in devices.findall(
            "controller[@model='pcie-root-port']") if c.find('alias') is None]
        self.assertEqual(8, len(ports))
        lowest_bus_nr = min(r['bus_nr'] for r in routes.values())
        for p in ports:
            self.assertLess(int(p.get('index')), lowest_bus_nr)

    def test_a_device_smmu_plan_refuses_fails_with_its_message(self):
        e = self.assertRaises(cli.SmmuPlanFailed, self.planned_xml,
                              [base.NIC, base.SPLIT_GROUP])
        self.assertIn('0008:01:00.0 cannot be assigned: IOMMU group', str(e))

    def test_a_missing_binary_fails(self):
        self.flags(binary='/nonexistent/smmu-plan', group='smmu_plan')
        e = self.assertRaises(cli.SmmuPlanFailed, self.planned_xml,
                              [base.NIC])
        self.assertIn('/nonexistent/smmu-plan', str(e))

    def test_smmu_plan_runs_in_novas_privsep_daemon(self):
        # Outside the test fixture the entry point goes to the daemon, which
        # nova's tests forbid starting: so the call did not run here.
        self.useFixture(base.fixtures.MockPatchObject(
            base.nova.privsep.sys_admin_pctxt, 'client_mode', True))
        self.assertRaisesRegex(Exception, 'privsep', self.planned_xml,
                               [base.NIC])

    def test_the_privileged_side_builds_its_own_command_line(self):
        argv = privileged.plan_argv([base.NIC], 16, {0: 1})
        self.assertEqual([base.smmu_plan_binary(), 'plan', '--json', '--root',
                          os.path.join(base.EXAMPLE_HOSTS, 'grace-gh200'),
                          '--pcie0-buses', '16', '--device', base.NIC,
                          '--numa-map', '0:1'], argv)
        for devices, buses in ((['0002:01:00.0', '-o/etc/passwd'], 16),
                               (['0002:01:00.0\n'], 16), ([base.NIC], '16 -o x'),
                               ([base.NIC], 255)):
            self.assertRaises(ValueError, privileged.plan_argv, devices, buses,
                              {})
        self.assertRaises(ValueError, privileged.plan_argv, [base.NIC], 16,
                          {'0 --request x': 1})

    def test_not_aarch64_is_refused(self):
        self.libvirt.mock_uname.return_value = fakelibvirt.os_uname(
            'Linux', '', '6.8.0', '', fields.Architecture.X86_64)
        e = self.assertRaises(exception.Invalid, self.planned_xml, [base.NIC])
        self.assertIn('needs an aarch64', str(e))

    def test_without_passthrough_nothing_changes(self):
        ours = self.planned_xml([])
        novas = self.guest_xml(self.nova_driver(), self.instance(
            [], {smmu_driver.EXTRA_SPEC: 'per_host_smmu'}))
        self.assertEqual(novas, ours)


class TestAssignedDevicesKeepNovasSettings(base.DriverTestCase):
    """SR-IOV ports and nova's own hostdev settings, under the vSMMUs."""

    MAC = 'fa:16:3e:11:22:33'

    def test_an_sriov_port_goes_under_the_vsmmu_of_its_vf(self):
        # The GPU through a flavor alias, the ConnectX VF as a neutron port:
        # two host SMMUs, two vSMMUs.
        xml = self.planned_xml([base.GPU], ports=[(base.NIC, self.MAC, 42)])
        devices, routes = topology(xml)
        self.assertEqual(2, len(devices.findall('iommu')))
        self.assertEqual({base.GPU}, set(routes))
        nics = devices.findall("interface[@type='hostdev']")
        self.assertEqual(1, len(nics))
        nic = nics[0]
        self.assertEqual(self.MAC, nic.find('mac').get('address'))
        self.assertEqual('42', nic.find('vlan/tag').get('id'))
        self.assertEqual('yes', nic.find('driver').get('iommufd'))
        self.assertTrue(nic.find('alias').get('name').startswith(
            'ua-smmuplan-dev'))
        # Its root port sits on the pxb planned for the VF's host SMMU, not
        # the GPU's; and the VF is not assigned a second time.
        pxb_of = pxb_bus_nr_of(cli_plan(base.NIC, base.GPU))
        controllers = {int(c.get('index')): c for c in devices.findall(
            "controller[@type='pci']") if c.get('index') is not None}
        port = controllers[int(nic.find('address').get('bus'), 16)]
        pxb = controllers[int(port.find('address').get('bus'), 16)]
        self.assertEqual(pxb_of[base.NIC], int(pxb.find('target').get('busNr')))
        self.assertEqual(0, len([h for h in devices.findall('hostdev')
                                 if h.find('source/address').get('domain')
                                 == '0x0002']))

    def test_novas_managed_setting_stays(self):
        # nova 34 writes managed='no' when the device_spec says so; on any
        # release the planned hostdev keeps what nova wrote.
        real = libvirt_driver.LibvirtDriver._get_guest_pci_device

        def unmanaged(drvr, pci_device):
            dev = real(drvr, pci_device)
            dev.managed = 'no'
            return dev
        with mock.patch.object(libvirt_driver.LibvirtDriver,
                               '_get_guest_pci_device', unmanaged):
            xml = self.planned_xml([base.NIC, base.GPU])
        hostdevs = topology(xml)[0].findall('hostdev')
        self.assertEqual(2, len(hostdevs))
        self.assertEqual(['no', 'no'], [h.get('managed') for h in hostdevs])

    def test_attaching_a_port_to_a_running_guest_is_refused_clearly(self):
        drvr = smmu_driver.SmmuPlanLibvirtDriver(fake.FakeVirtAPI(), False)
        instance = self.instance(
            [base.GPU], extra_specs={smmu_driver.EXTRA_SPEC: 'per_host_smmu'})
        with mock.patch.object(libvirt_driver.LibvirtDriver,
                               'attach_interface') as novas:
            e = self.assertRaises(
                exception.Invalid, drvr.attach_interface, self.context,
                instance, self.image_meta(),
                base.sriov_port(base.NIC, self.MAC, 42))
            self.assertIn('cannot be attached to a running guest', str(e))
            novas.assert_not_called()
            # A guest without the topology attaches as nova does.
            plain = self.instance([base.GPU])
            drvr.attach_interface(self.context, plain, self.image_meta(),
                                  base.sriov_port(base.NIC, self.MAC, 42))
            novas.assert_called_once()

    def test_a_rebuilt_domain_has_the_same_topology(self):
        # Hard reboot and power-on build the domain anew: the same devices,
        # the same topology.
        first = self.planned_xml([base.GPU], ports=[(base.NIC, self.MAC, 42)])
        again = self.planned_xml([base.GPU], ports=[(base.NIC, self.MAC, 42)])
        self.assertEqual(first, again)
        # nova 34 also passes the running domain, re-parsed from libvirt's
        # XML, as old_guest (its firmware elements are carried over).
        params = inspect.signature(
            libvirt_driver.LibvirtDriver._get_guest_xml).parameters
        if 'old_guest' not in params:
            return
        old_guest = vconfig.LibvirtConfigGuest()
        old_guest.parse_str(first)
        instance = self.instance(
            [base.GPU], extra_specs={smmu_driver.EXTRA_SPEC: 'per_host_smmu'})
        rebooted = self.guest_xml(
            smmu_driver.SmmuPlanLibvirtDriver, instance,
            [base.sriov_port(base.NIC, self.MAC, 42)], old_guest=old_guest)
        # Every device, the port and the topology included, as first built
        # (nova's own firmware carry-over may change <os>).
        self.assertEqual(etree.tostring(topology(first)[0]),
                         etree.tostring(topology(rebooted)[0]))


class TestGuestNuma(base.DriverTestCase):
    """nova pins each guest NUMA cell's memory to a host node; the pxbs go
    to the guest cell of their host SMMU's node."""

    def numa_guest(self, host_of_cell):
        cpu_numa = vconfig.LibvirtConfigGuestCPUNUMA()
        numatune = vconfig.LibvirtConfigGuestNUMATune()
        numatune.memory = vconfig.LibvirtConfigGuestNUMATuneMemory()
        for cell, host in enumerate(host_of_cell):
            c = vconfig.LibvirtConfigGuestCPUNUMACell()
            c.id, c.cpus, c.memory = cell, {cell}, 1048576
            cpu_numa.cells.append(c)
            memnode = vconfig.LibvirtConfigGuestNUMATuneMemNode()
            memnode.cellid, memnode.nodeset = cell, [host]
            numatune.memnodes.append(memnode)
            numatune.memory.nodeset.append(host)
        self.useFixture(base.fixtures.MockPatchObject(
            smmu_driver.SmmuPlanLibvirtDriver, '_get_guest_numa_config',
            return_value=libvirt_driver.GuestNumaConfig(
                None, None, cpu_numa, numatune)))

    def test_pxbs_sit_on_the_guest_cell_of_their_host_node(self):
        # grace-gh200: every SMMU on host node 0, which is guest cell 1 here.
        self.numa_guest(host_of_cell=[1, 0])
        devices = topology(self.planned_xml([base.NIC, base.GPU]))[0]
        nodes = [c.find('target/node').text for c in devices.findall(
            "controller[@model='pcie-expander-bus']")]
        self.assertEqual(['1', '1'], nodes)

    def test_a_host_node_without_a_guest_cell_fails(self):
        self.numa_guest(host_of_cell=[1])
        e = self.assertRaises(cli.SmmuPlanFailed, self.planned_xml, [base.NIC])
        self.assertIn('host NUMA node 0', str(e))
        self.assertIn('no guest node in the NUMA map', str(e))


class TestSpawnAndMigration(base.DriverTestCase):

    def spawn(self, instance):
        self.useFixture(base.nova_fixtures.LibvirtImageBackendFixture())
        drvr = smmu_driver.SmmuPlanLibvirtDriver(fake.FakeVirtAPI(), False)
        created = []
        with mock.patch.object(
                drvr, '_create_guest_with_network',
                side_effect=lambda ctx, xml, *a, **k: created.append(xml)), \
                mock.patch.object(drvr, 'get_info', return_value=mock.Mock(
                    state=base.power_state.RUNNING)), \
                mock.patch.object(drvr, '_get_guest_storage_config'), \
                mock.patch.object(drvr, '_get_connection'), \
                mock.patch.object(drvr, '_register_undefined_instance_details'):
            drvr.spawn(self.context, instance, self.image_meta(), [], None,
                       {}, network_info=[])
        return created

    def test_spawn_defines_the_planned_guest(self):
        created = self.spawn(self.instance(
            [base.NIC, base.GPU],
            extra_specs={smmu_driver.EXTRA_SPEC: 'per_host_smmu'}))
        self.assertEqual(1, len(created))
        self.assertEqual(2, len(topology(created[0])[1]))

    def test_a_failing_planner_fails_the_spawn(self):
        instance = self.instance(
            [base.NIC, base.SPLIT_GROUP],
            extra_specs={smmu_driver.EXTRA_SPEC: 'per_host_smmu'})
        self.assertRaises(cli.SmmuPlanFailed, self.spawn, instance)

    def test_live_migration_is_refused_clearly(self):
        drvr = smmu_driver.SmmuPlanLibvirtDriver(fake.FakeVirtAPI(), False)
        instance = self.instance(
            [base.NIC], extra_specs={smmu_driver.EXTRA_SPEC: 'per_host_smmu'})
        e = self.assertRaises(exception.MigrationPreCheckError,
                              drvr.check_can_live_migrate_source,
                              self.context, instance, mock.Mock())
        self.assertIn('cannot be live-migrated', str(e))
        self.assertIn('QEMU blocks migration', str(e))
