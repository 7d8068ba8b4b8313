"""nova guest-config objects for what smmu-plan adds to a domain.

smmu-plan writes the topology as libvirt XML (`smmu-plan apply`); these
classes read those elements back into nova.virt.libvirt.config objects, so
the guest nova defines carries smmu-plan's XML unchanged while nova code can
still look at the parts (bus numbers, NUMA nodes, guest addresses):

  <controller model='pcie-expander-bus'>  SmmuPlanPCIController (bus_nr, numa_node)
  <controller model='pcie-root-port'>     SmmuPlanPCIController (chassis, port)
  <hostdev type='pci'>                    SmmuPlanHostdevPCI (iommufd, guest address)
  <interface type='hostdev'>              SmmuPlanInterface (nova's own reading, kept as written)
  <iommu model='smmuv3'>                  SmmuPlanIOMMU (pci_bus, driver options)
  <qemu:override>, <qemu:commandline>     SmmuPlanGuest.qemu_elements
  <cpu><numa> cell 0, for GPU nodes        numa_from_domain_xml (nova's guest had none)

Every such element carries an alias starting with ALIAS_PREFIX.
"""
import copy

from lxml import etree
from nova.virt.libvirt import config as vconfig

ALIAS_PREFIX = 'ua-smmuplan-'
QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0'


class PciAddress(object):
    """<address type='pci' .../>, attributes kept as smmu-plan wrote them."""

    def __init__(self, domain, bus, slot, function, multifunction=None):
        self.domain, self.bus, self.slot = domain, bus, slot
        self.function, self.multifunction = function, multifunction

    @classmethod
    def parse(cls, element):
        if element is None or element.get('type') != 'pci':
            return None
        return cls(element.get('domain'), element.get('bus'),
                   element.get('slot'), element.get('function'),
                   element.get('multifunction'))

    def format(self):
        a = etree.Element('address', type='pci', domain=self.domain,
                          bus=self.bus, slot=self.slot,
                          function=self.function)
        if self.multifunction:
            a.set('multifunction', self.multifunction)
        return a


def _alias(element):
    a = element.find('alias')
    return a.get('name') if a is not None else None


def _append_alias_and_address(dev, alias, address):
    if alias:
        dev.append(etree.Element('alias', name=alias))
    if address is not None:
        dev.append(address.format())


class SmmuPlanPCIController(vconfig.LibvirtConfigGuestController):
    """A pcie-expander-bus (pxb-pcie) or one of its pcie-root-ports."""

    def __init__(self, **kwargs):
        super(SmmuPlanPCIController, self).__init__(**kwargs)
        self.type = 'pci'
        self.model_name = None
        self.bus_nr = None      # expander bus: first guest bus number
        self.numa_node = None   # expander bus: guest NUMA node
        self.chassis = None     # root port
        self.port = None        # root port
        self.alias = None
        self.address = None

    def parse_dom(self, xmldoc):
        self.index = int(xmldoc.get('index'))
        self.model = xmldoc.get('model')
        model = xmldoc.find('model')
        self.model_name = model.get('name') if model is not None else None
        target = xmldoc.find('target')
        if target is not None:
            self.bus_nr = _int_or_none(target.get('busNr'))
            node = target.find('node')
            self.numa_node = int(node.text) if node is not None else None
            self.chassis = _int_or_none(target.get('chassis'))
            self.port = target.get('port')
        self.alias = _alias(xmldoc)
        self.address = PciAddress.parse(xmldoc.find('address'))

    def format_dom(self):
        c = super(SmmuPlanPCIController, self).format_dom()
        if self.model_name:
            c.append(etree.Element('model', name=self.model_name))
        target = etree.Element('target')
        if self.bus_nr is not None:
            target.set('busNr', str(self.bus_nr))
            if self.numa_node is not None:
                etree.SubElement(target, 'node').text = str(self.numa_node)
        if self.chassis is not None:
            target.set('chassis', str(self.chassis))
            target.set('port', self.port)
        c.append(target)
        _append_alias_and_address(c, self.alias, self.address)
        return c


class SmmuPlanHostdevPCI(vconfig.LibvirtConfigGuestHostdevPCI):
    """A planned host device: iommufd-backed, at its planned guest address."""

    def __init__(self, **kwargs):
        super(SmmuPlanHostdevPCI, self).__init__(**kwargs)
        self.iommufd = False
        self.guest_address = None

    def parse_dom(self, xmldoc):
        super(SmmuPlanHostdevPCI, self).parse_dom(xmldoc)
        self.mode = xmldoc.get('mode')
        self.type = xmldoc.get('type')
        self.managed = xmldoc.get('managed')
        driver = xmldoc.find('driver')
        self.iommufd = driver is not None and driver.get('iommufd') == 'yes'
        self.guest_address = PciAddress.parse(xmldoc.find('address'))

    def format_dom(self):
        dev = super(SmmuPlanHostdevPCI, self).format_dom()
        if self.iommufd:
            dev.insert(0, etree.Element('driver', iommufd='yes'))
        _append_alias_and_address(dev, self.alias, self.guest_address)
        return dev


class SmmuPlanInterface(vconfig.LibvirtConfigGuestInterface):
    """An SR-IOV port (vnic_type direct) moved under its vSMMU. nova reads
    it as its own interface (MAC, VLAN, source_dev for attach and detach);
    the element goes to libvirt exactly as smmu-plan wrote it: nova's
    format has no place for iommufd, the alias or the guest address."""

    def __init__(self, **kwargs):
        super(SmmuPlanInterface, self).__init__(**kwargs)
        self.element = None

    def parse_dom(self, xmldoc):
        super(SmmuPlanInterface, self).parse_dom(xmldoc)
        self.element = copy.deepcopy(xmldoc)

    def format_dom(self):
        return copy.deepcopy(self.element)


class SmmuPlanIOMMU(vconfig.LibvirtConfigGuestIOMMU):
    """One vSMMU: <iommu model='smmuv3'> on the expander bus `pci_bus`."""

    def __init__(self, **kwargs):
        super(SmmuPlanIOMMU, self).__init__(**kwargs)
        self.model = 'smmuv3'
        self.driver_options = []  # [(attribute, value)] as smmu-plan wrote
        self.alias = None

    @property
    def pci_bus(self):
        return int(dict(self.driver_options)['pciBus'])

    def parse_dom(self, xmldoc):
        self.model = xmldoc.get('model')
        driver = xmldoc.find('driver')
        self.driver_options = list(driver.items()) if driver is not None else []
        self.alias = _alias(xmldoc)

    def format_dom(self):
        # Not LibvirtConfigGuestIOMMU's: its driver attributes are intel's.
        iommu = vconfig.LibvirtConfigGuestDevice.format_dom(self)
        iommu.set('model', self.model)
        driver = etree.SubElement(iommu, 'driver')
        for name, value in self.driver_options:
            driver.set(name, value)
        _append_alias_and_address(iommu, self.alias, None)
        return iommu


def _int_or_none(text):
    return int(text, 0) if text is not None else None


def _config_for(element):
    if element.tag == 'controller':
        return SmmuPlanPCIController()
    if element.tag == 'hostdev':
        return SmmuPlanHostdevPCI()
    if element.tag == 'iommu':
        return SmmuPlanIOMMU()
    if element.tag == 'interface' and element.get('type') == 'hostdev':
        return SmmuPlanInterface()
    raise ValueError('smmu-plan wrote an unexpected <%s>' % element.tag)


class SmmuPlanGuest(vconfig.LibvirtConfigGuest):
    """nova's guest plus the domain-level elements smmu-plan wrote in
    libvirt's QEMU namespace (<qemu:override>: vSMMU properties libvirt has no
    attribute for, such as the CMDQV `identifier`)."""

    qemu_elements = ()

    @classmethod
    def adopt(cls, guest, qemu_elements):
        guest.__class__ = cls
        guest.qemu_elements = list(qemu_elements)

    def format_dom(self):
        novas = super(SmmuPlanGuest, self).format_dom()
        if not self.qemu_elements:
            return novas
        # libvirt reads its QEMU namespace only when <domain> declares it.
        nsmap = dict(novas.nsmap, qemu=QEMU_NS)
        root = etree.Element(novas.tag, attrib=dict(novas.attrib), nsmap=nsmap)
        root.extend(list(novas))
        for element in self.qemu_elements:
            root.append(copy.deepcopy(element))
        return root


def qemu_elements_from_domain_xml(xml):
    """The domain's children in libvirt's QEMU namespace, in order."""
    root = etree.fromstring(xml.encode())
    return [e for e in root
            if isinstance(e.tag, str) and e.tag.startswith('{%s}' % QEMU_NS)]


def numa_from_domain_xml(xml):
    """The domain's <cpu><numa>, or None. smmu-plan adds cell 0 (every vCPU,
    all memory) to a guest without cells when it gives GPUs guest NUMA nodes
    1.., as QEMU needs the guest's own node 0 below them."""
    numa = etree.fromstring(xml.encode()).find('cpu/numa')
    if numa is None:
        return None
    config = vconfig.LibvirtConfigGuestCPUNUMA()
    config.parse_dom(numa)
    return config


def topology_from_domain_xml(xml):
    """The config objects of every element smmu-plan added, in its order."""
    devices = etree.fromstring(xml.encode()).find('devices')
    topology = []
    for element in devices:
        alias = _alias(element) if isinstance(element.tag, str) else None
        if alias and alias.startswith(ALIAS_PREFIX):
            obj = _config_for(element)
            obj.parse_dom(element)
            topology.append(obj)
    return topology
