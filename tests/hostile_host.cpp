// Hostile saved host trees (probe/plan --root DIR): grace-gh200 copied and
// broken the way a crafted or half-copied tree is. A broken tree is exit 3
// and never a partial inventory; a tree naming hardware the plan cannot
// carry is exit 5.
#include "cli/exit_codes.h"
#include "tests/hostile_table.h"

namespace smmu::test {
namespace hostile_host {

using namespace smmu::cli;

constexpr const char* kArea = "Host";
constexpr const char* kGpu = "0009:01:00.0";  // behind smmu3.0x0000000016000000, vfio2

using Mutation = std::function<void(const std::string& root)>;

// A setup: grace-gh200 copied to the row's directory, `mutate`d, and
// `command` run on it with --root.
RowSetup on_host(Mutation mutate, std::vector<std::string> command = {"probe"}) {
  return [mutate, command](const std::string& dir) {
    std::string root = copy_host(dir);
    mutate(root);
    Invocation run{command};
    run.args.insert(run.args.end(), {"--root", root});
    return run;
  };
}

std::string gpu(const std::string& root) { return device_dir(root, kGpu); }
std::string bus_entry(const std::string& root, const std::string& name) {
  return root + "/sys/bus/pci/devices/" + name;
}
std::string iommu_entry(const std::string& root, const std::string& name) {
  return root + "/sys/class/iommu/" + name;
}
std::string firmware_iort(const std::string& root) { return root + "/sys/firmware/acpi/tables/IORT"; }
std::string gpu_hw_info(const std::string& root) { return root + "/dev/vfio/devices/vfio2"; }

// Where the GPU's bus entry and its SMMU's class entry point.
constexpr const char* kGpuDir = "../../../devices/pci0009:00/0009:00:00.0/0009:01:00.0";
constexpr const char* kSmmuDir = "../../devices/platform/arm-smmu-v3.9.auto/iommu/smmu3.0x0000000016000000";

}  // namespace hostile_host

std::vector<HostileRow> host_tree_rows() {
  using namespace hostile_host;
  const std::vector<std::string> plan_all = {"plan", "--all-assignable"};
  return {
      // Attribute files that are no sysfs attribute: nothing may block or
      // read without end.
      {"FifoAsAttribute", kArea, on_host([](auto& root) { make_fifo(gpu(root) + "/vendor"); }), kExitHostTree,
       "0009:01:00.0/vendor: not a regular file (a FIFO)"},
      {"HugeAttribute", kArea,
       on_host([](auto& root) { write_file(gpu(root) + "/class", repeated("0", 2 << 20)); }), kExitHostTree,
       "0009:01:00.0/class: larger than 1048576 bytes"},
      {"CharDeviceAsAttribute", kArea,
       on_host([](auto& root) { make_char_device(gpu(root) + "/vendor", 1, 5); }), kExitHostTree,
       "0009:01:00.0/vendor: not a regular file (a character device)", /*needs_root=*/true},
      // Links that loop or lead out of the root: resolved inside it.
      {"SymlinkLoop", kArea,
       on_host([](auto& root) { make_link(gpu(root) + "/iommu_group", "iommu_group"); }), kExitHostTree,
       "0009:01:00.0/iommu_group: cannot look up: symlink loop"},
      {"LinkClimbingOutOfTheRoot", kArea,
       on_host([](auto& root) { make_link(gpu(root) + "/iommu_group", repeated("../", 16) + "etc"); }),
       kExitHostTree, "0009:01:00.0/iommu_group: broken symlink"},
      {"AbsoluteLinkToTheHostsFile", kArea,
       on_host([](auto& root) { make_link(gpu(root) + "/class", "/etc/passwd"); }), kExitHostTree,
       "0009:01:00.0/class: missing"},
      // One device read twice under two addresses.
      {"DeviceListedTwice", kArea,
       on_host([](auto& root) { make_link(bus_entry(root, "0009:02:00.0"), kGpuDir); }), kExitHostTree,
       "names group 10, whose devices/ does not list 0009:02:00.0"},
      {"GroupLinkNotInItsMemberList", kArea, on_host([](auto& root) {
         make_link(gpu(root) + "/iommu_group", "../../../../kernel/iommu_groups/9");
       }),
       kExitHostTree, "names group 9, whose devices/ does not list 0009:01:00.0"},
      // Names no kernel writes: refused, and quoted escaped in one line.
      {"SmmuNamesDifferingInHexCase", kArea, on_host([](auto& root) {
         make_link(iommu_entry(root, "smmu3.0x000000001600000a"), kSmmuDir);
         make_link(iommu_entry(root, "smmu3.0x000000001600000A"), kSmmuDir);
       }),
       kExitHostTree,
       "smmu3.0x000000001600000A: not an SMMUv3 name of the form smmu3.0x<16 lower-case hex digits>"},
      {"SmmuNameWithTrailingNewline", kArea,
       on_host([](auto& root) { make_link(iommu_entry(root, "smmu3.0x0000000016000000\n"), kSmmuDir); }),
       kExitHostTree, "smmu3.0x0000000016000000\\x0a: not an SMMUv3 name"},
      {"DeviceNameWithTrailingNewline", kArea,
       on_host([](auto& root) { make_link(bus_entry(root, "0009:01:00.0\n"), kGpuDir); }), kExitHostTree,
       "devices/0009:01:00.0\\x0a: entry is not a PCI address"},
      {"DeviceNameNotUtf8", kArea,
       on_host([](auto& root) { make_link(bus_entry(root, "\xff\xfe"), kGpuDir); }), kExitHostTree,
       "devices/\\xff\\xfe: entry is not a PCI address"},
      {"DriverNameNotUtf8", kArea, on_host([](auto& root) {
         make_link(gpu(root) + "/driver", "../../../../bus/pci/drivers/vfio\xff\x1b");
       }),
       kExitHostTree, "0009:01:00.0/driver: links to 'vfio\\xff\\x1b', not a kernel name"},
      // Not an SMMUv3 (an Intel IOMMU's name, say, here not UTF-8): no
      // business of the probe's, which lists the rest as JSON.
      {"OtherIommuNameNotUtf8IsIgnored", kArea,
       on_host([](auto& root) { make_link(iommu_entry(root, "dmar\xff\xfe"), kSmmuDir); },
               {"probe", "--json"}),
       kExitOk, "\"smmu3.0x0000000016000000\""},
      // Attribute values out of what the kernel writes.
      {"SixDigitVendorId", kArea,
       on_host([](auto& root) { write_file(gpu(root) + "/vendor", "0x10de00\n"); }), kExitHostTree,
       "0009:01:00.0/vendor: '0x10de00' is larger than 0xffff"},
      {"NumaNodeOfTwoLines", kArea,
       on_host([](auto& root) { write_file(gpu(root) + "/numa_node", "1\n2\n"); }), kExitHostTree,
       "0009:01:00.0/numa_node: not a number: '1\\x0a2'"},
      {"BarLargerThan2To63", kArea, on_host([](auto& root) {
         write_file(gpu(root) + "/resource", "0x0000000000000000 0x8000000000000000 0x000000000014220c\n");
       }),
       kExitHostTree, "0009:01:00.0/resource: malformed"},
      // A 2^63-byte BAR is PCI's largest, so the probe takes it; no guest
      // address space holds it.
      {"BarOf2To63AtTheTop", kArea,
       on_host(
           [](auto& root) {
             write_file(gpu(root) + "/resource",
                        "0x8000000000000000 0xffffffffffffffff 0x000000000014220c\n");
           },
           plan_all),
       kExitNoFit, "more than the 64 TiB a 48-bit guest address space holds"},
      // The firmware's IORT, cut short.
      {"FirmwareIortTruncated", kArea, on_host([](auto& root) {
         write_file(firmware_iort(root), read_file(firmware_iort(root)).substr(0, 100));
       }),
       kExitHostTree, "IORT: IORT byte offset 0x4: length field says 848 bytes but only 100 are present"},
      {"FirmwareIortHeaderTruncated", kArea, on_host([](auto& root) {
         write_file(firmware_iort(root), read_file(firmware_iort(root)).substr(0, 30));
       }),
       kExitHostTree, "the IORT header needs 48 bytes, got 30"},
      // Recorded IOMMU_GET_HW_INFO answers (hostprobe/hw_info_text.h).
      {"HwInfoMalformed", kArea,
       on_host([](auto& root) { write_file(gpu_hw_info(root), "type 2\nidr 0x1 0x2\n"); }), kExitHostTree,
       "dev/vfio/devices/vfio2: line 2: 'idr' takes 6 numbers"},
      {"HwInfoWithEscapeSequence", kArea, on_host([](auto& root) {
         write_file(gpu_hw_info(root), "unavailable denied\x1b[2J\x1b]0;owned\a\n");
       }),
       kExitHostTree, "vfio2: line 1: byte 0x1b is not ASCII text"},
      {"HwInfoNotUtf8InJson", kArea,
       on_host([](auto& root) { write_file(gpu_hw_info(root), "unavailable denied \xff\xfe\n"); },
               {"probe", "--json"}),
       kExitHostTree, "vfio2: line 1: byte 0xff is not ASCII text"},
      {"HwInfoAsFifo", kArea, on_host([](auto& root) { make_fifo(gpu_hw_info(root)); }), kExitHostTree,
       "vfio2: neither a vfio character device nor a recorded hw_info answer"},
      // A saved tree never reaches hardware: no ioctl on its device nodes.
      {"HwInfoAsCharDevice", kArea, on_host([](auto& root) { make_char_device(gpu_hw_info(root), 1, 3); }),
       kExitHostTree, "vfio2: a device node in a saved tree", /*needs_root=*/true},
  };
}

}  // namespace smmu::test
