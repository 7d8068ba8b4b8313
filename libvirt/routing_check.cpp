#include "libvirt/routing_check.h"

#include <pugixml.hpp>

#include <cstdio>
#include <map>
#include <algorithm>
#include <set>
#include <tuple>
#include <vector>

#include "common/hex.h"
#include "hostprobe/probe.h"
#include "libvirt/assigned_device.h"
#include "libvirt/xml_bounds.h"

namespace smmu {
namespace {

Error refusal(const std::string& what) { return make_error(ErrorKind::DomainXml, what); }

struct Controller {
  std::string model;
  std::optional<unsigned> parent;  // the index of the bus it sits on
  unsigned bus_nr = 0;             // expander buses only
};

struct Hostdev {
  Bdf host;
  unsigned guest_bus = 0;  // controller index its guest address names
};

std::string range_text(unsigned first, unsigned last) { return hex(first, 2) + "-" + hex(last, 2); }

class DomainRouting {
 public:
  explicit DomainRouting(pugi::xml_node devices) {
    for (auto c : devices.children("controller")) {
      if (std::string(c.attribute("type").value()) != "pci") continue;
      Controller ctl{c.attribute("model").value(), std::nullopt,
                     c.child("target").attribute("busNr").as_uint()};
      auto a = c.child("address");
      if (std::string(a.attribute("type").value()) == "pci") ctl.parent = a.attribute("bus").as_uint();
      controllers_[c.attribute("index").as_uint()] = ctl;
    }
    for (auto i : devices.children("iommu")) {
      auto bus = i.child("driver").attribute("pciBus");
      if (std::string(i.attribute("model").value()) == "smmuv3" && bus) {
        if (!vsmmu_of_pxb_.emplace(bus.as_uint(), vsmmu_count_).second) duplicate_bus_ = bus.as_uint();
      }
      ++vsmmu_count_;
    }
    // <hostdev> and <interface type='hostdev'> alike (libvirt/assigned_device.h).
    for (auto h : devices.children()) {
      auto host = assigned_pci_device(h);
      auto dst = h.child("address");
      if (!host || std::string(dst.attribute("type").value()) != "pci") {
        continue;  // not a PCI assignment, or not placed yet: nothing to check
      }
      hostdevs_.push_back({*host, dst.attribute("bus").as_uint()});
    }
  }

  bool has_vsmmus() const { return !vsmmu_of_pxb_.empty(); }
  const std::vector<Hostdev>& hostdevs() const { return hostdevs_; }

  // The expander bus (pxb) a controller index sits under, if any.
  std::optional<unsigned> pxb_above(unsigned index) const {
    for (int hops = 0; hops < 256; ++hops) {
      auto it = controllers_.find(index);
      if (it == controllers_.end() || index == 0) return std::nullopt;
      if (it->second.model == "pcie-expander-bus") return index;
      if (!it->second.parent) return std::nullopt;
      index = *it->second.parent;
    }
    return std::nullopt;  // a loop of controllers: libvirt would refuse it
  }

  std::optional<unsigned> vsmmu_of_pxb(unsigned pxb) const {
    auto it = vsmmu_of_pxb_.find(pxb);
    return it == vsmmu_of_pxb_.end() ? std::nullopt : std::optional<unsigned>(it->second);
  }

  // Each vSMMU on its own root complex: pcie.0 or an expander bus (QEMU
  // refuses two SMMUs on one bus, and one on a root port; docs/qemu.md,
  // Refusals).
  Status check_iommu_buses() const {
    if (duplicate_bus_) {
      return refusal("two smmuv3 iommus name pciBus=" + std::to_string(*duplicate_bus_) +
                     ": QEMU puts one SMMU on a bus; re-plan with smmu-plan apply");
    }
    for (const auto& [bus, vsmmu] : vsmmu_of_pxb_) {
      auto it = controllers_.find(bus);
      if (bus == 0 || (it != controllers_.end() && it->second.model == "pcie-expander-bus")) continue;
      return refusal("vSMMU " + std::to_string(vsmmu) + " names pciBus=" + std::to_string(bus) + ", " +
                     (it == controllers_.end() ? std::string("which no PCI controller has")
                                               : "a " + it->second.model + ", not pcie-root or a pcie-expander-bus") +
                     "; re-plan with smmu-plan apply");
    }
    return Ok{};
  }

  // Buses each bus tree takes: its own plus one per controller below it.
  Status check_bus_ranges() const {
    std::map<unsigned, unsigned> below;  // root index (0 or a pxb) -> controllers under it
    for (const auto& [index, c] : controllers_) {
      if (index == 0 || c.model == "pcie-expander-bus") continue;
      below[pxb_above(index).value_or(0)]++;
    }
    std::vector<std::tuple<unsigned, unsigned, std::string>> ranges = {
        {0, below[0], "pcie.0"}};
    for (const auto& [index, c] : controllers_) {
      if (c.model != "pcie-expander-bus") continue;
      ranges.emplace_back(c.bus_nr, c.bus_nr + below[index],
                          "the pxb of controller index " + std::to_string(index));
    }
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i) {
      const auto& [a_first, a_last, a_name] = ranges[i - 1];
      const auto& [b_first, b_last, b_name] = ranges[i];
      if (b_first <= a_last) {
        return refusal(b_name + " (buses " + range_text(b_first, b_last) + ") overlaps " + a_name +
                       " (buses " + range_text(a_first, a_last) + "); re-plan with smmu-plan apply");
      }
    }
    return Ok{};
  }

 private:
  std::map<unsigned, Controller> controllers_;
  std::map<unsigned, unsigned> vsmmu_of_pxb_;  // pxb controller index -> vSMMU ordinal
  unsigned vsmmu_count_ = 0;
  std::optional<unsigned> duplicate_bus_;  // a pciBus two smmuv3 iommus name
  std::vector<Hostdev> hostdevs_;
};

}  // namespace

Status check_domain_routing(const std::string& domain_xml, const HostTree& host) {
  pugi::xml_document doc;
  if (domain_xml.size() > kMaxDomainXmlBytes) {
    return refusal("the domain XML on stdin is larger than " + std::to_string(kMaxDomainXmlBytes) + " bytes");
  }
  auto parsed = doc.load_string(domain_xml.c_str());
  if (!parsed || std::string(doc.document_element().name()) != "domain") {
    return refusal("cannot read the domain XML on stdin");
  }
  SMMU_CHECK(check_xml_bounds(doc));
  SMMU_CHECK(check_well_formed(domain_xml));
  DomainRouting domain(doc.document_element().child("devices"));
  if (!domain.has_vsmmus()) return Ok{};
  SMMU_CHECK(domain.check_iommu_buses());
  SMMU_CHECK(domain.check_bus_ranges());

  SMMU_TRY(iommus, iommu_names(host));
  std::map<unsigned, std::pair<std::string, Bdf>> host_smmu_of_vsmmu;
  std::map<std::string, std::pair<unsigned, Bdf>> vsmmu_of_host_smmu;
  for (const auto& h : domain.hostdevs()) {
    auto pxb = domain.pxb_above(h.guest_bus);
    auto vsmmu = pxb ? domain.vsmmu_of_pxb(*pxb) : std::nullopt;
    if (!vsmmu) continue;  // on pcie.0 or a pxb without vSMMU: not translated
    SMMU_TRY(iommu, device_iommu(host, h.host, iommus));
    std::string where = "vSMMU " + std::to_string(*vsmmu) + " (pciBus=" + std::to_string(*pxb) + ")";
    if (!iommu || iommu->rfind("smmu3.", 0) != 0) {
      return refusal("hostdev " + h.host.str() + " is behind " + where +
                     " but behind no SMMUv3 on the host");
    }
    auto [seen, fresh] = host_smmu_of_vsmmu.try_emplace(*vsmmu, *iommu, h.host);
    if (!fresh && seen->second.first != *iommu) {
      return refusal("hostdevs " + seen->second.second.str() + " (host " + seen->second.first +
                     ") and " + h.host.str() + " (host " + *iommu + ") share " + where +
                     "; each host SMMU needs its own vSMMU (smmu-plan apply)");
    }
    auto [backed, first] = vsmmu_of_host_smmu.try_emplace(*iommu, *vsmmu, h.host);
    if (!first && backed->second.first != *vsmmu) {
      return refusal("host " + *iommu + " backs two vSMMUs: " + backed->second.second.str() +
                     " is behind vSMMU " + std::to_string(backed->second.first) + ", " +
                     h.host.str() + " behind " + where + "; give them one (smmu-plan apply)");
    }
  }
  return Ok{};
}

}  // namespace smmu
