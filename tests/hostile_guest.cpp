// Hostile guest reports (verify --plan P --guest-iort F [--guest-smmu-map F]
// [--guest-pci F] [--guest-srat F] [--guest-numa F] [--guest-bridge-windows
// F]) against the booted GPU sample's plan, stand-in form: the sample's own
// tables broken where a decoder can be led astray (lengths, offsets,
// references), and report lines no guest prints. A report it cannot read is
// exit 9; a well-formed table that says otherwise than the plan, exit 8.
//
// The sample IORT (236 bytes): header, then an ITS group at 0x30, the SMMUv3
// at 0x48 (ID mappings at +0x44) and the root complex at 0xa0, whose 2 ID
// mappings start at 0xc4 (mapping[0]'s output reference at 0xd0).
#include <cstdint>

#include "cli/exit_codes.h"
#include "tests/hostile_table.h"

namespace smmu::test {
namespace hostile_guest {

using namespace smmu::cli;

constexpr const char* kArea = "Guest";

using Bytes = std::function<std::string()>;

Bytes sample(const std::string& name) {
  return [name] { return read_file(guest_sample(name)); };
}

// A table with the little-endian field of `size` bytes at `at` set to `value`.
Bytes with_field(Bytes table, size_t at, size_t size, uint32_t value) {
  return [=] {
    std::string bytes = table();
    for (size_t i = 0; i < size; ++i) bytes.at(at + i) = static_cast<char>(value >> (8 * i));
    return bytes;
  };
}

Bytes cut(Bytes table, size_t size) {
  return [=] { return table().substr(0, size); };
}

Bytes text(std::string lines) {
  return [lines] { return lines; };
}

const Bytes kIort = sample("gpu-gh200.iort.bin");

// A setup: verify with the IORT `iort` and, when given, the report `flag`
// ("--guest-pci") holding `report`.
RowSetup verify(Bytes iort, std::string flag = {}, Bytes report = {}) {
  return [=](const std::string& dir) {
    Invocation run{{"verify", "--plan", guest_sample("gpu-gh200.plan.json"), "--stand-ins", "--guest-iort",
                    dir + "/iort.bin"}};
    write_file(dir + "/iort.bin", iort());
    if (!flag.empty()) {
      write_file(dir + "/report", report());
      run.args.insert(run.args.end(), {flag, dir + "/report"});
    }
    return run;
  };
}

RowSetup report(std::string flag, Bytes report) { return verify(kIort, std::move(flag), std::move(report)); }

// An IORT with the field of `size` bytes at `at` set to `value`.
RowSetup iort_field(size_t at, size_t size, uint32_t value) {
  return verify(with_field(kIort, at, size, value));
}

// The report `flag` (the IORT too) a file that never ends.
RowSetup endless(std::string flag) {
  return [flag](const std::string& dir) {
    auto run = verify(kIort)(dir);
    if (flag == "--guest-iort") {
      run.args.back() = "/dev/zero";
    } else {
      run.args.insert(run.args.end(), {flag, "/dev/zero"});
    }
    return run;
  };
}

}  // namespace hostile_guest

std::vector<HostileRow> guest_report_rows() {
  using namespace hostile_guest;
  return {
      // The IORT's own lengths lie.
      {"IortTruncated", kArea, verify(cut(kIort, 118)), kExitGuestReport,
       "IORT byte offset 0x4: length field says 236 bytes but only 118 are present"},
      {"IortEmpty", kArea, verify(text("")), kExitGuestReport, "the IORT header needs 48 bytes, got 0"},
      {"IortEndless", kArea, endless("--guest-iort"), kExitGuestReport,
       "/dev/zero: larger than 1048576 bytes"},
      {"IortNotAnIort", kArea, verify(text(repeated("SRAT", 64))), kExitGuestReport,
       "IORT byte offset 0x0: signature is not \"IORT\""},
      {"IortLengthFieldPastTheData", kArea, iort_field(4, 4, 0xffffffff), kExitGuestReport,
       "length field says 4294967295 bytes but only 236 are present"},
      {"IortLengthFieldInsideTheHeader", kArea, iort_field(4, 4, 10), kExitGuestReport,
       "length field 10 is shorter than the IORT header"},
      // Node offsets and lengths pointing outside, or going nowhere.
      {"NodeArrayOutsideTheTable", kArea, iort_field(40, 4, 0xfffffff0), kExitGuestReport,
       "node array offset 0xfffffff0 is outside the table (length 0xec)"},
      {"NodeCountPastTheTable", kArea, iort_field(36, 4, 0xffffffff), kExitGuestReport,
       "node header runs past the end of the table"},
      {"NodeOfLengthZero", kArea, iort_field(0x31, 2, 0), kExitGuestReport,
       "IORT byte offset 0x31: node length 0 is shorter than a node header"},
      {"NodeLengthPastTheTable", kArea, iort_field(0x31, 2, 0xffff), kExitGuestReport,
       "node length 65535 runs past the end of the table"},
      {"IdMappingsPastTheirNode", kArea, iort_field(0xa8, 4, 0xffffffff), kExitGuestReport,
       "4294967295 ID mappings at 0x24 runs past the end of the node at 0xa0"},
      {"MappingToOutsideTheTable", kArea, iort_field(0xd0, 4, 0xfffff000), kExitGuestReport,
       "ID mapping output reference 0xfffff000 is not the offset of any node"},
      {"MappingIntoTheMiddleOfANode", kArea, iort_field(0xd0, 4, 0x4a), kExitGuestReport,
       "ID mapping output reference 0x4a is not the offset of any node"},
      // A well-formed loop (the root complex mapping to itself): decoded
      // without following it, and a difference from the plan.
      {"MappingLoopingToItsOwnNode", kArea, iort_field(0xd0, 4, 0xa0), kExitMismatch,
       "Root complex node @0xa0: mapping[0].output_ref 0x48 != 0xa0 (plan != guest)"},
      // Report lines no guest prints; quoted in the message, escaped.
      {"SmmuMapLineWithoutBdf", kArea, report("--guest-smmu-map", text("smmu3.0x000000000c000000\n")),
       kExitGuestReport, "SMMU map line 1: expected '<smmu> <bdf>', got 'smmu3.0x000000000c000000'"},
      {"SmmuMapEscapeSequence", kArea,
       report("--guest-smmu-map", text("smmu3.0x000000000c000000 0000:fd:00.0\x1b[2J\n")), kExitGuestReport,
       "got 'smmu3.0x000000000c000000 0000:fd:00.0\\x1b[2J'"},
      // The name is printed with the differences on stdout: a terminal's
      // ESC sequence there would reach the operator's terminal.
      {"SmmuMapNameWithEscapeSequence", kArea,
       report("--guest-smmu-map", text("smmu\x1b[2J\xff 0000:fd:00.0\n")), kExitGuestReport,
       "SMMU map line 1: expected '<smmu> <bdf>', got 'smmu\\x1b[2J\\xff 0000:fd:00.0'"},
      {"PciListMalformedAddress", kArea, report("--guest-pci", text("0000:fd:00.0\n0000:zz:00.0\n")),
       kExitGuestReport, "PCI list: '0000:zz:00.0' is not a PCI address"},
      {"PciListNulByte", kArea, report("--guest-pci", text(std::string("0000:fd:00.0\0\n", 14))),
       kExitGuestReport, "PCI list: '0000:fd:00.0\\x00' is not a PCI address"},
      {"PciListEndless", kArea, endless("--guest-pci"), kExitGuestReport,
       "/dev/zero: larger than 1048576 bytes"},
      {"NumaRangePastAnyNode", kArea, report("--guest-numa", text("has_generic_initiator 1-99999999999\n")),
       kExitGuestReport, "NUMA line 1: expected 'has_generic_initiator <nodes>' or 'max_nodes <n>'"},
      {"NumaRangeReversed", kArea, report("--guest-numa", text("has_generic_initiator 8-1\n")),
       kExitGuestReport, "got 'has_generic_initiator 8-1'"},
      {"BridgeWindowWithoutEnd", kArea, report("--guest-bridge-windows", text("0000:fd:00.0 0xc000000000\n")),
       kExitGuestReport, "bridge window line 1: expected '<bdf> <start> <end>'"},
      {"BridgeWindowPast2To64", kArea,
       report("--guest-bridge-windows", text("0000:fd:00.0 0xffffffffffffffffff 0x1\n")), kExitGuestReport,
       "got '0000:fd:00.0 0xffffffffffffffffff 0x1'"},
      {"BridgeWindowEndingBeforeItStarts", kArea,
       report("--guest-bridge-windows", text("0000:fd:00.0 0x2000 0x1000\n")), kExitGuestReport,
       "got '0000:fd:00.0 0x2000 0x1000'"},
      {"SratGarbage", kArea, report("--guest-srat", text("SRAT" + repeated("\xff", 100))), kExitGuestReport,
       "SRAT byte offset 4: length field says 4294967295 bytes, 104 are present"},
      {"SratStructureOfLengthZero", kArea,
       report("--guest-srat", with_field(sample("gpu-gh200.srat.bin"), 49, 1, 0)), kExitGuestReport,
       "SRAT byte offset 49: structure length 0 runs past the table"},
  };
}

}  // namespace smmu::test
