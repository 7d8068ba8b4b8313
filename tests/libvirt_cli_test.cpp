// libvirt-xml and apply through the CLI: refusals write nothing and leave
// the domain file untouched. (Validation against a libvirt new enough for
// the plan runs in e2e.libvirt.*, with the test bed's libvirt 12.8 schemas.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli/exit_codes.h"
#include "planner/plan_json.h"
#include "tests/run_cli.h"
#include "tests/sample_plans.h"
#include "tests/test_paths.h"

namespace smmu::test {
namespace {

namespace fs = std::filesystem;
using namespace smmu::cli;

std::string slurp(const std::string& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

struct Files {
  std::string dir = make_temp_dir();
  std::string plan = dir + "/plan.json";
  std::string domain = dir + "/domain.xml";
  Files() {
    std::ofstream(plan) << plan_to_json(two_pxb_plan()).dump(2);
    std::ofstream(domain) << "<domain type='kvm'><name>vm</name><devices>"
                             "<controller type='pci' index='0' model='pcie-root'/>"
                             "<iommu model='virtio'/></devices></domain>";
  }
};

TEST(LibvirtCli, AConflictingDomainIsRefusedUntouched) {
  Files f;
  std::string before = slurp(f.domain);
  auto r = run_cli({"apply", "--plan", f.plan, "--domain-xml", f.domain});
  EXPECT_EQ(r.exit_code, kExitDomainXml);
  EXPECT_NE(r.err.find("its own <iommu model='virtio'>"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(f.domain), before);
  EXPECT_EQ(std::distance(fs::directory_iterator(f.dir), fs::directory_iterator()), 2);
}

TEST(LibvirtCli, AnOldLocalLibvirtIsRefusedWithTheVersionNeeded) {
  Files f;
  auto r = run_cli({"libvirt-xml", "--plan", f.plan, "--libvirt-schemas", "/nonexistent", "-o",
                    f.dir + "/out.xml"});
  EXPECT_EQ(r.exit_code, kExitDomainXml);
  EXPECT_NE(r.err.find("no libvirt schema at /nonexistent/"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(f.dir + "/out.xml"));
  if (!fs::exists("/usr/share/libvirt/schemas/domaincommon.rng")) return;
  auto old = run_cli({"libvirt-xml", "--plan", f.plan});
  if (old.exit_code == 0) return;  // a libvirt new enough: e2e covers it
  EXPECT_EQ(old.exit_code, kExitDomainXml);
  EXPECT_NE(old.err.find("is too old"), std::string::npos) << old.err;
  EXPECT_EQ(old.out, "");
}

TEST(LibvirtCli, MalformedDomainFile) {
  Files f;
  std::ofstream(f.domain) << "<domain><devices>";
  auto r = run_cli({"apply", "--plan", f.plan, "--domain-xml", f.domain});
  EXPECT_EQ(r.exit_code, kExitDomainXml);
  EXPECT_NE(r.err.find("domain XML: "), std::string::npos);
  auto missing = run_cli({"apply", "--plan", f.plan, "--domain-xml", f.dir + "/none.xml"});
  EXPECT_EQ(missing.exit_code, kExitDomainXml);
}

}  // namespace
}  // namespace smmu::test
