// Hostile libvirt domain XML given to apply --domain-xml FILE [-o OUT],
// libvirt-xml --domain-xml BASE -o OUT and unplug --format libvirt
// --domain-xml FILE -o OUT, with grace-gh200's plan: XML built to exhaust a
// parser or pull in the host's files, and domains the plan cannot be merged
// into. Each is exit 11, the domain file untouched, no plan written.
#include "cli/exit_codes.h"
#include "tests/hostile_table.h"

namespace smmu::test {
namespace hostile_domain {

using namespace smmu::cli;

constexpr const char* kArea = "Domain";

enum class Use {
  Apply,       // apply --domain-xml FILE: rewritten in place
  ApplyTo,     // apply --domain-xml FILE -o OUT, OUT an earlier file
  LibvirtXml,  // libvirt-xml --domain-xml BASE -o OUT, OUT new
  Unplug,      // unplug --device <the NIC> --format libvirt --domain-xml FILE -o OUT, OUT new
};

// A setup writing the domain `make` returns and grace-gh200's plan, for the
// shipped QEMU 11.1 (no QEMU on PATH is asked).
RowSetup domain(std::function<std::string()> make, Use use = Use::Apply) {
  return [make, use](const std::string& dir) {
    std::string xml = dir + "/domain.xml", out = dir + "/out.xml";
    const char* command = use == Use::LibvirtXml ? "libvirt-xml" : use == Use::Unplug ? "unplug" : "apply";
    Invocation run{{command, "--plan", write_plan(dir, gh200_plan_json()), "--qemu-caps", "11.1", "--domain-xml", xml}};
    if (use == Use::Unplug) run.args.insert(run.args.end(), {"--device", "0002:01:00.0", "--format", "libvirt"});
    write_file(xml, make());
    if (use == Use::ApplyTo) write_file(out, "<domain>an earlier apply's</domain>\n");
    if (use != Use::Apply) run.args.insert(run.args.end(), {"-o", out});
    return run;
  };
}

constexpr const char* kOs = "<os><type arch='aarch64' machine='virt'>hvm</type></os>";

// An aarch64 virt domain with `devices` after its pcie-root.
std::string with_devices(const std::string& devices) {
  return std::string("<domain type='kvm'><name>vm</name>") + kOs +
         "<devices><controller type='pci' index='0' model='pcie-root'/>" + devices + "</devices></domain>";
}

std::string with_os(const std::string& os) { return replaced(with_devices(""), kOs, os); }

std::string rng_aliased(const std::string& alias) {
  return "<rng model='virtio'><backend model='random'>/dev/urandom</backend><alias name='" + alias +
         "'/></rng>";
}

// A DOCTYPE declaring `entities`, whose entity &use; names the machine (it
// shows in the message refusing it) and the domain.
std::string entity_domain(const std::string& entities, const std::string& use) {
  return "<?xml version='1.0'?><!DOCTYPE domain [" + entities + "]><domain type='kvm'><name>&" + use +
         ";</name><os><type arch='aarch64' machine='&" + use + ";'>hvm</type></os><devices/></domain>";
}

// A billion laughs: lol9 expands to 10^9 "lol".
std::string laughs() {
  std::string entities = "<!ENTITY lol0 'lol'>";
  for (int i = 1; i <= 9; ++i) {
    entities +=
        "<!ENTITY lol" + std::to_string(i) + " '" + repeated("&lol" + std::to_string(i - 1) + ";", 10) + "'>";
  }
  return entity_domain(entities, "lol9");
}

}  // namespace hostile_domain

std::vector<HostileRow> domain_xml_rows() {
  using namespace hostile_domain;
  return {
      // Built to exhaust a parser or a walk: refused by the bounds.
      {"Nesting10000Deep", kArea,
       domain([] { return with_devices(repeated("<a>", 10000) + repeated("</a>", 10000)); }), kExitDomainXml,
       "domain XML: nested deeper than 64 levels"},
      {"ThreeHundredThousandElements", kArea,
       domain([] { return with_devices(repeated("<x/>", 300000)); }, Use::LibvirtXml), kExitDomainXml,
       "domain XML: more than 20000 nodes"},
      // The same read by unplug (and hotplug) --format libvirt: bounded alike.
      {"UnplugNesting10000Deep", kArea,
       domain([] { return with_devices(repeated("<a>", 10000) + repeated("</a>", 10000)); }, Use::Unplug),
       kExitDomainXml, "domain XML: nested deeper than 64 levels"},
      {"UnplugOverFourMiB", kArea,
       domain([] { return with_devices("<!--" + repeated("x", 4 << 20) + "-->"); }, Use::Unplug), kExitDomainXml,
       "domain.xml: larger than 4194304 bytes"},
      {"UnplugExternalEntity", kArea,
       domain([] { return entity_domain("<!ENTITY xxe SYSTEM 'file:///etc/passwd'>", "xxe"); }, Use::Unplug),
       kExitDomainXml, "domain XML is not well-formed: "},
      {"UnplugWithoutOurRootPort", kArea, domain([] { return with_devices(""); }, Use::Unplug), kExitDomainXml,
       "domain XML: no pcie-root-port with alias 'ua-smmuplan-pxb0-rp0'"},
      {"OverFourMiB", kArea,
       domain([] { return with_devices("<!--" + repeated("x", 4 << 20) + "-->"); }, Use::ApplyTo),
       kExitDomainXml, "domain.xml: larger than 4194304 bytes"},
      // Names of hundreds of kilobytes, within the bounds.
      {"HugeAliasWithOurPrefix", kArea,
       domain([] { return with_devices(rng_aliased("ua-smmuplan-pxb" + repeated("1", 300000) + "x")); }),
       kExitDomainXml, "<rng> has alias 'ua-smmuplan-pxb1111"},
      {"HugeMachineVersion", kArea, domain([] {
         return with_os("<os><type arch='aarch64' machine='virt-" + repeated("1", 300000) +
                        ".0x'>hvm</type></os>");
       }),
       kExitDomainXml, "is not the aarch64 virt machine (virt or virt-X.Y)"},
      // Entities: never a file of the host's (no row may show /etc/passwd)
      // nor an expansion. libxml2, as libvirt reads it, refuses each (its
      // reason varies with its release: the prefix is ours), but for the
      // parameter entity: libxml2 2.9.14 (Debian 12) refuses its use as
      // undeclared, 2.15.4 (sid, the arm64 unit run) keeps it a reference
      // and the machine check refuses "&p;".
      {"ExternalEntity", kArea,
       domain([] { return entity_domain("<!ENTITY xxe SYSTEM 'file:///etc/passwd'>", "xxe"); },
              Use::LibvirtXml),
       kExitDomainXml, "domain XML is not well-formed: "},
      {"ExternalParameterEntity", kArea,
       domain([] { return entity_domain("<!ENTITY % p SYSTEM 'file:///etc/passwd'> %p;", "p"); }),
       kExitDomainXml, "domain XML"},
      {"EntityExpansionBomb", kArea, domain(laughs), kExitDomainXml, "domain XML is not well-formed: "},
      // pugixml reads these, libvirt would not.
      {"LessThanInAnAttribute", kArea,
       domain([] { return with_devices("<controller type='p<x/>ci' index='0' model='pcie-root'/>"); }),
       kExitDomainXml, "domain XML is not well-formed: "},
      {"AttributeTwice", kArea,
       domain([] { return with_devices("<rng model='virtio' model='x'><backend model='random'/></rng>"); }),
       kExitDomainXml, "domain XML is not well-formed: "},
      // libxml2 reads on past a namespace error; libvirt would not bind the
      // prefix as pugixml does (docs/libvirt.md). Found by fuzz.domain_merge.
      {"QemuPrefixNoXmlName", kArea,
       domain([] {
         return replaced(with_devices(""), "<domain type='kvm'>",
                         "<domain type='kvm' xmlns:8qemu='http://libvirt.org/schemas/domain/qemu/1.0'>");
       }),
       kExitDomainXml, "domain XML is not namespace-well-formed: "},
      // Not XML, not a domain, not a guest the plan fits.
      {"Truncated", kArea, domain([] { return replaced(with_devices(""), "</devices></domain>", ""); }),
       kExitDomainXml, "domain XML: Start-end tags mismatch"},
      {"Empty", kArea, domain([] { return std::string(); }, Use::ApplyTo), kExitDomainXml,
       "domain XML: No document element found"},
      {"NotADomain", kArea, domain([] { return std::string("<network><name>default</name></network>"); }),
       kExitDomainXml, "domain XML: the root element is not <domain>"},
      {"NoOs", kArea, domain([] { return with_os(""); }), kExitDomainXml,
       "no <os><type arch='aarch64' machine='virt'>: vSMMUs need an aarch64 virt guest"},
      {"MachineVirtualX", kArea,
       domain([] { return with_os("<os><type arch='aarch64' machine='virtual-x'>hvm</type></os>"); }),
       kExitDomainXml, "machine 'virtual-x' is not the aarch64 virt machine"},
      {"NotAarch64", kArea,
       domain([] { return with_os("<os><type arch='x86_64' machine='q35'>hvm</type></os>"); },
              Use::LibvirtXml),
       kExitDomainXml, "the domain is x86_64; vSMMUs need an aarch64 guest"},
      // What the merge would silently break: refused instead.
      {"TwoDevicesElements", kArea,
       domain([] {
         return replaced(with_devices(""), "</devices></domain>",
                         "</devices><devices><iommu model='smmuv3'/></devices></domain>");
       }),
       kExitDomainXml, "domain XML: <domain> has 2 <devices> elements; libvirt's schema allows one: merge them"},
      {"AVirtualIommuOfItsOwn", kArea, domain([] { return with_devices("<iommu model='smmuv3'/>"); }),
       kExitDomainXml, "the domain has its own <iommu model='smmuv3'>"},
      {"UserDeviceWithOurAliasPrefix", kArea,
       domain([] { return with_devices(rng_aliased("ua-smmuplan-mine")); }), kExitDomainXml,
       "<rng> has alias 'ua-smmuplan-mine', which starts with smmu-plan's 'ua-smmuplan-'"},
      // Found by fuzz.domain_merge: a second alias with our prefix behind
      // one of the operator's.
      {"DeviceWithTwoAliases", kArea, domain([] {
         return with_devices("<rng model='virtio'><backend model='random'>/dev/urandom</backend>"
                             "<alias name='ua-mine'/><alias name='ua-smmuplan-pxb0'/></rng>");
       }),
       kExitDomainXml, "<rng> has more than one <alias>; libvirt's schema allows one"},
      {"UserDiskWithOurDeviceAlias", kArea,
       domain(
           [] {
             return with_devices("<disk type='file' device='disk'><alias name='ua-smmuplan-dev0'/></disk>");
           },
           Use::ApplyTo),
       kExitDomainXml, "<disk> has alias 'ua-smmuplan-dev0'"},
      // Only an <interface type='hostdev'> (a VF) may carry our alias: we
      // move those, and one of another type would be replaced.
      {"NetworkInterfaceWithOurDeviceAlias", kArea, domain([] {
         return with_devices(
             "<interface type='network'><source network='default'/><alias name='ua-smmuplan-dev0'/>"
             "</interface>");
       }),
       kExitDomainXml, "<interface> has alias 'ua-smmuplan-dev0'"},
      // A VF's source address is the host's: only the guest address counts.
      {"HostdevInterfaceOnABusThePlanNeeds", kArea, domain([] {
         return with_devices(
             "<interface type='hostdev'><source><address type='pci' domain='0x0000' bus='0x01' "
             "slot='0x00' function='0x4'/></source><address type='pci' domain='0x0000' bus='0xfd' "
             "slot='0x00' function='0x0'/></interface>");
       }),
       kExitDomainXml, "a <interface> sits on PCI bus 253, which no controller of the domain has"},
      {"UserDeviceOnABusThePlanNeeds", kArea, domain([] {
         return with_devices(
             "<interface type='network'><source network='default'/><address type='pci' "
             "domain='0x0000' bus='0xfd' slot='0x00' function='0x0'/></interface>");
       }),
       kExitDomainXml, "a <interface> sits on PCI bus 253, which no controller of the domain has"},
      {"ControllerIndexInThePxbBuses", kArea,
       domain([] { return with_devices("<controller type='pci' index='252' model='pcie-root-port'/>"); }),
       kExitDomainXml, "PCI controller index 252 reaches the pxb buses from 252"},
  };
}

}  // namespace smmu::test
