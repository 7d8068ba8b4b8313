#include "hostprobe/probe.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "common/hex.h"
#include "common/printable.h"
#include "common/smmu_name.h"
#include "hostprobe/host_caps.h"
#include "hostprobe/iort_check.h"
#include "hostprobe/sysfs_values.h"

namespace smmu {
namespace {

constexpr std::string_view kPciDevices = "sys/bus/pci/devices";
constexpr std::string_view kIommuClass = "sys/class/iommu";

std::string last_component(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

Error inconsistent(const HostTree& tree, std::string_view path, const std::string& what) {
  return make_error(ErrorKind::HostTree, tree.describe(path) + ": " + what);
}

// `iommus`: the entries of sys/class/iommu (every kind of IOMMU).
Result<std::vector<HostSmmu>> probe_smmus(const HostTree& tree, const std::set<std::string>& iommus) {
  std::vector<HostSmmu> smmus;
  for (const auto& name : iommus) {
    if (name.rfind(kSmmuNamePrefix, 0) != 0) continue;  // SMMUv1/v2, dmar, ivhd...
    std::string path = std::string(kIommuClass) + "/" + name;
    auto base = parse_u64_hex(name.substr(kSmmuNamePrefix.size() - 2));
    // Exactly the kernel's spelling: two spellings of one base are one SMMU.
    if (!base || name != smmu_device_name(*base)) {
      return inconsistent(tree, path, "not an SMMUv3 name of the form smmu3.0x<16 lower-case hex digits>");
    }
    SMMU_TRY(resolved, tree.resolve(path));
    if (!resolved) return inconsistent(tree, path, "broken symlink");
    // <platform device>/iommu/<name>: the node belongs to the platform device.
    std::string platform = *resolved + "/../..";
    SMMU_TRY(numa_text, tree.read_file(platform + "/numa_node"));
    int numa = -1;
    if (numa_text) {
      auto v = parse_int(*numa_text);
      if (!v) return inconsistent(tree, platform + "/numa_node", "not a number");
      numa = *v;
    }
    HostSmmu smmu;
    smmu.name = name;
    smmu.base = *base;
    smmu.numa_node = numa;
    smmus.push_back(std::move(smmu));
  }
  std::sort(smmus.begin(), smmus.end(),
            [](const HostSmmu& a, const HostSmmu& b) { return a.base < b.base; });
  return smmus;
}

class DeviceReader {
 public:
  DeviceReader(const HostTree& tree, std::string dir) : tree_(tree), dir_(std::move(dir)) {}

  // A file every PCI device has; its absence means the device went away
  // (or the tree is broken), told apart by whether the directory remains.
  Result<std::string> required(const char* name) const {
    std::string path = dir_ + "/" + name;
    SMMU_TRY(text, tree_.read_file(path));
    if (text) return std::move(*text);
    SMMU_TRY(kind, tree_.kind(dir_));
    if (kind == NodeKind::Missing) {
      return make_error(ErrorKind::HostTree, tree_.describe(dir_) +
                                                 ": device vanished during the probe; run again");
    }
    return inconsistent(tree_, path, "missing");
  }

  // A hex attribute of at most `max` (vendor and device 0xffff, class
  // 0xffffff): a longer id is not the kernel's and is never truncated.
  Result<uint32_t> required_hex(const char* name, uint32_t max) const {
    SMMU_TRY(text, required(name));
    auto v = parse_u64_hex(text);
    if (!v) return inconsistent(tree_, dir_ + "/" + name, "not a hex number: '" + printable(trim(text)) + "'");
    if (*v > max) {
      return inconsistent(tree_, dir_ + "/" + name, "'" + trim(text) + "' is larger than " + hex(max));
    }
    return static_cast<uint32_t>(*v);
  }

  Result<int> optional_int(const char* name, int fallback) const {
    std::string path = dir_ + "/" + name;
    SMMU_TRY(text, tree_.read_file(path));
    if (!text) return fallback;
    auto v = parse_int(*text);
    if (!v) return inconsistent(tree_, path, "not a number: '" + trim(*text) + "'");
    return *v;
  }

  // Last component of a link's target, or nullopt when there is no link.
  // The probe trusts a well-formed name it confirms elsewhere (an IOMMU in
  // sys/class/iommu, a group it lists, a device it probes) and walks the link
  // only when it cannot: walking every link was a quarter of a probe's time.
  Result<std::optional<std::string>> link_name(const std::string& name) const {
    SMMU_TRY(target, tree_.read_link(dir_ + "/" + name));
    if (!target) return std::optional<std::string>();
    std::string last = last_component(*target);
    if (!is_kernel_name(last)) {
      return inconsistent(tree_, dir_ + "/" + name, "links to '" + printable(last) + "', not a kernel name");
    }
    return std::optional<std::string>(std::move(last));
  }

  // A dangling link is a broken tree; a loop is reported by the walk itself.
  Status must_resolve(const std::string& name) const {
    std::string path = dir_ + "/" + name;
    SMMU_TRY(kind, tree_.kind(path));
    if (kind != NodeKind::Missing) return Ok{};
    SMMU_TRY(target, tree_.read_link(path));
    return inconsistent(tree_, path, "broken symlink (-> " + target.value_or("?") + ")");
  }

  Result<std::optional<Bdf>> link_bdf(const std::string& name) const {
    SMMU_TRY(target, link_name(name));
    if (!target) return std::optional<Bdf>();
    auto bdf = parse_bdf(*target);
    if (!bdf) {
      SMMU_CHECK(must_resolve(name));
      return inconsistent(tree_, dir_ + "/" + name, "does not name a PCI device");
    }
    return std::optional<Bdf>(*bdf);
  }

  const HostTree& tree() const { return tree_; }
  const std::string& dir() const { return dir_; }

 private:
  const HostTree& tree_;
  std::string dir_;
};

Status read_sriov(const DeviceReader& r, PciDevice& d) {
  SMMU_TRY(physfn, r.link_bdf("physfn"));
  d.physfn = physfn;
  SMMU_TRY(total, r.optional_int("sriov_totalvfs", -1));
  d.sriov_totalvfs = total;
  if (total < 0) return Ok{};  // not a PF: no virtfn links to look for
  SMMU_TRY(num, r.optional_int("sriov_numvfs", -1));
  d.sriov_numvfs = num;
  SMMU_TRY(entries, r.tree().list_dir(r.dir()));
  if (!entries) return inconsistent(r.tree(), r.dir(), "device vanished during the probe; run again");
  std::map<int, Bdf> vfs;
  for (const auto& e : *entries) {
    if (e.rfind("virtfn", 0) != 0) continue;
    auto index = parse_int(e.substr(6));
    SMMU_TRY(vf, r.link_bdf(e));
    if (!index || !vf) return inconsistent(r.tree(), r.dir() + "/" + e, "not a VF link");
    vfs.emplace(*index, *vf);
  }
  for (auto& [i, vf] : vfs) d.virtfns.push_back(vf);
  return Ok{};
}

Status read_vfio(const DeviceReader& r, PciDevice& d) {
  SMMU_TRY(cdevs, r.tree().list_dir(r.dir() + "/vfio-dev"));
  if (!cdevs || cdevs->empty()) return Ok{};
  if (cdevs->size() != 1 || cdevs->front().rfind("vfio", 0) != 0) {
    return inconsistent(r.tree(), r.dir() + "/vfio-dev", "expected exactly one vfioN entry");
  }
  d.vfio = cdevs->front();
  SMMU_TRY(node, r.tree().kind("dev/vfio/devices/" + *d.vfio));
  d.vfio_node_present = node != NodeKind::Missing;
  return Ok{};
}

Result<PciDevice> probe_device(const HostTree& tree, const std::string& name,
                               const std::vector<HostSmmu>& smmus,
                               const std::set<std::string>& iommus) {
  std::string dir = std::string(kPciDevices) + "/" + name;
  auto bdf = parse_bdf(name);
  if (!bdf || bdf->str() != name) {
    return inconsistent(tree, dir, "entry is not a PCI address (DDDD:BB:DD.F)");
  }
  DeviceReader r(tree, dir);
  PciDevice d;
  d.bdf = *bdf;
  SMMU_TRY(vendor, r.required_hex("vendor", 0xffff));
  SMMU_TRY(device, r.required_hex("device", 0xffff));
  SMMU_TRY(class_code, r.required_hex("class", 0xffffff));
  d.vendor = static_cast<uint16_t>(vendor);
  d.device = static_cast<uint16_t>(device);
  d.class_code = class_code;
  SMMU_TRY(numa, r.optional_int("numa_node", -1));
  d.numa_node = numa;

  SMMU_TRY(driver, r.link_name("driver"));
  d.driver = driver;
  SMMU_TRY(group, r.link_name("iommu_group"));
  if (group) {
    auto g = parse_int(*group);
    if (!g || *g < 0) {
      SMMU_CHECK(r.must_resolve("iommu_group"));
      return inconsistent(tree, dir + "/iommu_group", "not a group number");
    }
    d.iommu_group = *g;  // confirmed when probe_host lists the group
  }
  SMMU_TRY(iommu, r.link_name("iommu"));
  if (iommu && !iommus.count(*iommu)) SMMU_CHECK(r.must_resolve("iommu"));
  d.iommu = iommu;
  if (iommu) {
    for (size_t i = 0; i < smmus.size(); ++i) {
      if (smmus[i].name == *iommu) d.smmu = i;
    }
  }
  SMMU_CHECK(read_sriov(r, d));
  SMMU_CHECK(read_vfio(r, d));
  SMMU_TRY(resource, r.required("resource"));
  auto bars = parse_resource_bars(resource);
  if (!bars) return inconsistent(tree, dir + "/resource", "malformed");
  d.bars = std::move(*bars);
  return d;
}

// The PF and VFs a device's links name must be devices of this host.
Status check_sriov_links(const HostTree& tree, const Inventory& inv) {
  for (const auto& d : inv.devices) {
    std::string dir = std::string(kPciDevices) + "/" + d.bdf.str();
    if (d.physfn && !inv.find(*d.physfn)) {
      return inconsistent(tree, dir + "/physfn", "broken symlink (no device " + d.physfn->str() + ")");
    }
    for (size_t i = 0; i < d.virtfns.size(); ++i) {
      if (!inv.find(d.virtfns[i])) {
        return inconsistent(tree, dir + "/virtfn" + std::to_string(i),
                            "broken symlink (no device " + d.virtfns[i].str() + ")");
      }
    }
  }
  return Ok{};
}

std::string driver_phrase(const PciDevice& d) {
  return d.driver ? "bound to " + *d.driver : "not bound to any driver";
}

// Assignability of one device given its group's members.
std::string why_not_assignable(const PciDevice& d, const std::vector<std::string>& group_members,
                               const Inventory& inv) {
  if (d.is_bridge()) return "PCI bridge: only endpoints are assigned";
  if (!d.iommu) return "not behind an IOMMU";
  if (!d.smmu) return "behind " + *d.iommu + ", which is not an SMMUv3";
  if (!d.iommu_group) return "no IOMMU group";
  if (!d.vfio) return driver_phrase(d) + ", not to vfio (bind it to vfio-pci)";
  if (!d.vfio_node_present) return "no /dev/vfio/devices/" + *d.vfio + " node (is udev running?)";
  for (const auto& member : group_members) {
    auto bdf = parse_bdf(member);
    const PciDevice* other = bdf ? inv.find(*bdf) : nullptr;
    if (!other) {
      return "IOMMU group " + std::to_string(*d.iommu_group) + " also holds non-PCI device " +
             member + "; a group is assigned whole";
    }
    if (other == &d || other->is_bridge() || other->vfio) continue;
    return "IOMMU group " + std::to_string(*d.iommu_group) + " also holds " + member + " (" +
           driver_phrase(*other) + "); a group is assigned whole";
  }
  return {};
}

}  // namespace

Result<Inventory> probe_host(const HostTree& tree) {
  Inventory inv;
  SMMU_TRY(names, tree.list_dir(kPciDevices));
  if (!names) {
    return make_error(ErrorKind::HostTree, tree.describe(kPciDevices) +
                                               ": missing; is this a host root holding sys/?");
  }
  SMMU_TRY(iommus, iommu_names(tree));
  SMMU_TRY(smmus, probe_smmus(tree, iommus));
  inv.smmus = std::move(smmus);
  for (const auto& name : *names) {
    SMMU_TRY(device, probe_device(tree, name, inv.smmus, iommus));
    inv.devices.push_back(std::move(device));
  }
  std::sort(inv.devices.begin(), inv.devices.end(),
            [](const PciDevice& a, const PciDevice& b) { return a.bdf < b.bdf; });

  std::map<int, std::vector<std::string>> groups;
  for (const auto& d : inv.devices) {
    if (!d.iommu_group || groups.count(*d.iommu_group)) continue;
    std::string path = "sys/kernel/iommu_groups/" + std::to_string(*d.iommu_group) + "/devices";
    SMMU_TRY(members, tree.list_dir(path));
    if (!members) {
      return inconsistent(tree, std::string(kPciDevices) + "/" + d.bdf.str() + "/iommu_group",
                          "broken symlink (no " + path + ")");
    }
    for (const auto& m : *members) {
      if (!is_kernel_name(m)) return inconsistent(tree, path + "/" + printable(m), "not a kernel name");
    }
    groups.emplace(*d.iommu_group, std::move(*members));
  }
  // A device's group lists it (list_dir sorts): a link to another group is
  // a tree no kernel wrote, and would judge the device by strangers. This
  // also catches a bus entry that links to another device's directory (one
  // device read twice under two addresses), without a walk per device.
  for (const auto& d : inv.devices) {
    if (!d.iommu_group) continue;
    const auto& members = groups.at(*d.iommu_group);
    if (!std::binary_search(members.begin(), members.end(), d.bdf.str())) {
      return inconsistent(tree, std::string(kPciDevices) + "/" + d.bdf.str() + "/iommu_group",
                          "names group " + std::to_string(*d.iommu_group) + ", whose devices/ does not list " +
                              d.bdf.str());
    }
  }
  SMMU_CHECK(check_sriov_links(tree, inv));
  static const std::vector<std::string> no_members;
  for (auto& d : inv.devices) {
    const auto& members = d.iommu_group ? groups.at(*d.iommu_group) : no_members;
    d.reason = why_not_assignable(d, members, inv);
    d.assignable = d.reason.empty();
  }
  // A tree the firmware contradicts is broken before any device is opened.
  SMMU_TRY(iort_note, check_host_iort(tree, inv));
  inv.iort_note = iort_note;
  SMMU_CHECK(read_smmu_caps(tree, inv));
  return inv;
}

Result<std::set<std::string>> iommu_names(const HostTree& tree) {
  SMMU_TRY(names, tree.list_dir(kIommuClass));
  if (!names) return std::set<std::string>();
  return std::set<std::string>(names->begin(), names->end());
}

Result<std::optional<std::string>> device_iommu(const HostTree& tree, const Bdf& bdf,
                                                const std::set<std::string>& iommus) {
  DeviceReader r(tree, std::string(kPciDevices) + "/" + bdf.str());
  SMMU_TRY(kind, tree.kind(r.dir()));
  if (kind == NodeKind::Missing) {
    return make_error(ErrorKind::Request, bdf.str() + ": no such PCI device on this host");
  }
  SMMU_TRY(iommu, r.link_name("iommu"));
  if (iommu && !iommus.count(*iommu)) SMMU_CHECK(r.must_resolve("iommu"));
  return iommu;
}

}  // namespace smmu
