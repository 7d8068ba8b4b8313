// How long a probe takes next to the reads it cannot avoid, how it scales with
// the host, and what planning and emitting cost next to it. A measurement, not
// a test: it prints PASS/MISS per target and always exits 0 (unless it cannot
// set up its hosts).
//
//   ninja -C build smmu-plan-bench && ./build/tests/bench/smmu-plan-bench
//
// The hosts are generated at startup with examples/make_hosts.py into a fresh
// temporary directory, removed at exit (about 30 s of generation). To reuse a
// pre-generated pair instead, point SMMU_BENCH_HOST_DIR at a directory holding
//   host-1x/  from  make_hosts.py --large DIR/host-1x --sockets 4 --vfs 2000
//   host-2x/  from  make_hosts.py --large DIR/host-2x --sockets 4 --vfs 4000
// which is then only read. Google Benchmark flags (--benchmark_filter,
// --benchmark_repetitions, ...) apply; with repetitions the summary uses the
// median.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/subprocess.h"
#include "emit/iort.h"
#include "emit/iort_from_plan.h"
#include "emit/qemu_args.h"
#include "hostprobe/host_tree.h"
#include "hostprobe/probe.h"
#include "libvirt/domain_xml.h"
#include "libvirt/routing_check.h"
#include "planner/limits.h"
#include "planner/plan_json.h"
#include "planner/planner.h"
#include "planner/request.h"

namespace smmu {
namespace {

struct HostSize {
  const char* label;  // "1x": names the benchmark instance and host-<label>/
  const char* vfs;
};
constexpr HostSize kHostSizes[] = {{"1x", "2000"}, {"2x", "4000"}};
constexpr const char* kSockets = "4";

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "smmu-plan-bench: %s\n", message.c_str());
  std::exit(1);
}

int run_command(const std::vector<std::string>& args, bool discard_stdout) {
  Redirects r;
  if (discard_stdout) r.out = "/dev/null";
  return run_process(args, r);
}

// The directory holding host-1x/ and host-2x/: SMMU_BENCH_HOST_DIR as given,
// or a fresh temporary directory this object generates and removes. Held in a
// static so that fail()'s exit() removes it too.
class HostDir {
 public:
  HostDir() : work_(make_temp()) {
    if (const char* given = std::getenv("SMMU_BENCH_HOST_DIR")) {
      path_ = given;
      return;
    }
    path_ = make_temp();
    owned_ = true;
  }
  ~HostDir() {
    if (owned_) std::filesystem::remove_all(path_);
    std::filesystem::remove_all(work_);
  }
  HostDir(const HostDir&) = delete;
  HostDir& operator=(const HostDir&) = delete;

  // A path in a work directory of the bench's own (never the given hosts').
  std::string file(const std::string& name) const { return (work_ / name).string(); }

  std::string host(const HostSize& size) const {
    return (path_ / ("host-" + std::string(size.label))).string();
  }

  // Generates the hosts into a directory of our own; checks a given one.
  void prepare() const {
    for (const auto& size : kHostSizes) {
      if (owned_) {
        int rc = run_command({"/usr/bin/python3", SMMU_SOURCE_DIR "/examples/make_hosts.py",
                              "--large", host(size), "--sockets", kSockets, "--vfs", size.vfs},
                             false);
        if (rc != 0) fail("make_hosts.py failed for " + host(size));
      } else if (!std::filesystem::is_directory(host(size) + "/sys/bus/pci/devices")) {
        fail("SMMU_BENCH_HOST_DIR: " + host(size) + " is not a generated host");
      }
    }
  }

 private:
  static std::filesystem::path make_temp() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "smmu-plan-bench.XXXXXX").string();
    if (!mkdtemp(tmpl.data())) fail("cannot create a temporary directory from " + tmpl);
    return tmpl;
  }

  std::filesystem::path work_;
  std::filesystem::path path_;
  bool owned_ = false;
};

Inventory probe_or_fail(const std::string& root) {
  auto tree = open_disk_tree(root);
  if (!tree) fail(tree.error().message);
  auto inv = probe_host(**tree);
  if (!inv) fail(inv.error().message);
  return std::move(*inv);
}

// A request that uses every guest bus: pcie.0 keeps 0..16, which leaves
// 255 - 16 = 239 buses for the maximum number of vSMMUs, one pxb bus each plus
// one per device. The devices are the lowest BDFs of the first kMaxVsmmus
// SMMUs (by base) with assignable devices, spread as evenly as they go.
PlanRequest maximal_request(const Inventory& inv) {
  PlanRequest request;
  request.pcie0_buses = 16;
  const unsigned vsmmus = limits::kMaxVsmmus;
  const unsigned devices = limits::kLastBus - request.pcie0_buses - vsmmus;
  std::map<size_t, std::vector<Bdf>> assignable_by_smmu;  // inv.devices is sorted by BDF
  for (const auto& d : inv.devices) {
    if (d.assignable) assignable_by_smmu[*d.smmu].push_back(d.bdf);
  }
  if (assignable_by_smmu.size() < vsmmus) {
    fail("the 1x host has assignable devices behind only " +
         std::to_string(assignable_by_smmu.size()) + " SMMUs, not " + std::to_string(vsmmus));
  }
  unsigned index = 0;
  for (const auto& [smmu, bdfs] : assignable_by_smmu) {
    if (index == vsmmus) break;
    size_t share = devices / vsmmus + (index < devices % vsmmus);
    if (bdfs.size() < share) fail("SMMU " + inv.smmus[smmu].name + " has too few assignable devices");
    request.devices.insert(request.devices.end(), bdfs.begin(), bdfs.begin() + share);
    ++index;
  }
  return request;
}

// The bus layout the maximal request must produce, checked once before timing.
void check_uses_every_bus(const Inventory& inv, const PlanRequest& request) {
  auto plan = make_plan(inv, request);
  if (!plan) fail("maximal request: " + plan.error().message);
  const unsigned last_bus = plan->vsmmus.empty() ? 0 : plan->vsmmus.back().buses().last;
  const unsigned first_pxb_bus = plan->vsmmus.empty() ? 0 : plan->vsmmus.front().pxb.bus_nr;
  if (plan->vsmmus.size() != limits::kMaxVsmmus || last_bus != limits::kLastBus ||
      first_pxb_bus != request.pcie0_buses + 1) {
    fail("maximal request: expected " + std::to_string(limits::kMaxVsmmus) +
         " vSMMUs on buses " + std::to_string(request.pcie0_buses + 1) + ".." +
         std::to_string(limits::kLastBus) + ", got " + std::to_string(plan->vsmmus.size()) +
         " on " + std::to_string(first_pxb_bus) + ".." + std::to_string(last_bus));
  }
}

// ---- The benchmarks ----

// The baseline: the reads any probe needs, every device's `iommu` link.
void BM_FindIommuLinks(benchmark::State& state, const std::string& root) {
  const std::vector<std::string> find = {"find", "-L", root + "/sys/bus/pci/devices/",
                                         "-maxdepth", "2", "-name", "iommu"};
  for (auto _ : state) {
    if (run_command(find, true) != 0) {
      state.SkipWithError("find failed");
      break;
    }
  }
}

void BM_Probe(benchmark::State& state, const std::string& root) {
  for (auto _ : state) {
    auto tree = open_disk_tree(root);
    if (!tree) {
      state.SkipWithError(tree.error().message.c_str());
      break;
    }
    auto inv = probe_host(**tree);
    if (!inv) {
      state.SkipWithError(inv.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(inv);
  }
}

void BM_PlanEmitMaximal(benchmark::State& state, const Inventory& inv, const PlanRequest& request) {
  for (auto _ : state) {
    auto plan = make_plan(inv, request);
    if (!plan) {
      state.SkipWithError(plan.error().message.c_str());
      break;
    }
    auto args = qemu_args(*plan, EmitForm::Real);
    auto iort = build_iort(iort_model(*plan, EmitForm::Real));
    benchmark::DoNotOptimize(args);
    benchmark::DoNotOptimize(iort);
  }
}

// A whole process as users run it (an operator's probe, libvirt's hook,
// nova's qemu-args), stdin from `in`, output discarded: what it costs,
// dynamic loading included, next to a bare `/bin/true` or `find -L`.
void BM_Process(benchmark::State& state, std::vector<std::string> argv, std::string in) {
  Redirects quiet{in, "/dev/null", "/dev/null"};
  for (auto _ : state) {
    int rc = run_process(argv, quiet);
    if (rc != 0) {
      state.SkipWithError((argv[0] + " exited " + std::to_string(rc)).c_str());
      break;
    }
  }
}

// The libvirt hook's whole check of a maximal domain (223 hostdevs behind
// 16 vSMMUs) on the large host, as `prepare begin` runs it.
void BM_HookMaximal(benchmark::State& state, const std::string& root, const std::string& xml) {
  for (auto _ : state) {
    auto tree = open_disk_tree(root);
    Status routed = tree ? check_domain_routing(xml, **tree) : Status(tree.error());
    if (!routed) {
      state.SkipWithError(routed.error().message.c_str());
      break;
    }
  }
}

// ---- The summary ----

// Prints as the console reporter does, and keeps each benchmark's real time
// per iteration: the median aggregate when there are repetitions, else the run.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  using ConsoleReporter::ConsoleReporter;

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (run.error_occurred || (run.run_type == Run::RT_Aggregate && !median)) continue;
      const std::string& name = run.run_name.function_name;
      if (median || !seconds_.count(name)) {
        seconds_[name] = run.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
      }
    }
  }

  // nullopt when the benchmark did not run.
  std::optional<double> seconds_per_iteration(const std::string& name) const {
    auto it = seconds_.find(name);
    if (it == seconds_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, double> seconds_;
};

// A ratio of two benchmarks' times and the project's target for it.
struct Figure {
  const char* label;
  const char* numerator;
  const char* denominator;
  double limit;  // the ratio must stay at or below it; 0: for reference only
  bool strict;   // strictly below
};
constexpr Figure kFigures[] = {
    {"probe_1x / find_1x", "BM_Probe/1x", "BM_FindIommuLinks/1x", 1.5, false},
    {"plan_emit / probe_1x", "BM_PlanEmitMaximal", "BM_Probe/1x", 0.10, true},
    {"probe_2x / probe_1x", "BM_Probe/2x", "BM_Probe/1x", 2.2, false},  // "~2x": linear, 10% noise
    {"find_2x / find_1x", "BM_FindIommuLinks/2x", "BM_FindIommuLinks/1x", 0, false},
    // A cached --qemu answer is one stat and one small file: not a slower run.
    {"qemu_asked / shipped", "BM_Process/qemu-args-asked", "BM_Process/qemu-args-shipped", 1.25, false},
    // The probe as an operator starts it, next to the bare reads as a process.
    {"probe_proc / find_1x", "BM_Process/probe-json-1x", "BM_FindIommuLinks/1x", 1.5, false},
};

// A process's time beyond a baseline process's, and the target for it.
struct Overhead {
  const char* label;
  const char* process;
  const char* baseline;
  double limit_ms;
};
constexpr Overhead kOverheads[] = {
    {"--version - true", "BM_Process/version", "BM_Process/true", 5},
    {"hook - true", "BM_Process/hook-maximal", "BM_Process/true", 10},
};

void print_summary(const RecordingReporter& reporter) {
  std::printf("\nsummary (real time per iteration):\n");
  for (const auto& o : kOverheads) {
    auto process = reporter.seconds_per_iteration(o.process);
    auto baseline = reporter.seconds_per_iteration(o.baseline);
    if (!process || !baseline) {
      std::printf("  %-22s n/a (not run)\n", o.label);
      continue;
    }
    double ms = (*process - *baseline) * 1e3;
    std::printf("  %-22s %7.3f ms  target <= %.0f ms  %s\n", o.label, ms, o.limit_ms, ms <= o.limit_ms ? "PASS" : "MISS");
  }
  if (auto hook = reporter.seconds_per_iteration("BM_HookMaximal")) {
    std::printf("  %-22s %7.3f ms  target <  100 ms  %s\n", "hook, maximal domain", *hook * 1e3,
                *hook < 0.1 ? "PASS" : "MISS");
  }
  for (const auto& f : kFigures) {
    auto num = reporter.seconds_per_iteration(f.numerator);
    auto den = reporter.seconds_per_iteration(f.denominator);
    if (!num || !den || *den <= 0) {
      std::printf("  %-22s n/a (not run)\n", f.label);
      continue;
    }
    double ratio = *num / *den;
    std::printf("  %-22s %7.3f", f.label, ratio);
    if (f.limit == 0) {
      std::printf("  (reference)\n");
      continue;
    }
    bool met = f.strict ? ratio < f.limit : ratio <= f.limit;
    std::printf("  target %s %.2f  %s\n", f.strict ? "< " : "<=", f.limit, met ? "PASS" : "MISS");
  }
}

}  // namespace
}  // namespace smmu

int main(int argc, char** argv) {
  using namespace smmu;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  static HostDir host_dir;  // static: removed at exit, also after fail()
  host_dir.prepare();
  const Inventory inventory_1x = probe_or_fail(host_dir.host(kHostSizes[0]));
  const PlanRequest maximal = maximal_request(inventory_1x);
  check_uses_every_bus(inventory_1x, maximal);

  for (const auto& size : kHostSizes) {
    std::string suffix = std::string("/") + size.label;
    benchmark::RegisterBenchmark(("BM_FindIommuLinks" + suffix).c_str(), BM_FindIommuLinks,
                                 host_dir.host(size))
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("BM_Probe" + suffix).c_str(), BM_Probe, host_dir.host(size))
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  const std::string maximal_xml = *merge_topology(*make_plan(inventory_1x, maximal), EmitForm::Real,
                                                  default_domain_xml(EmitForm::Real));
  benchmark::RegisterBenchmark("BM_HookMaximal", BM_HookMaximal, host_dir.host(kHostSizes[0]),
                               maximal_xml)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  // qemu-args as processes: the maximal plan in a file, the fake QEMU's
  // answer cached in a directory of the bench's own.
  const std::string plan_file = host_dir.file("maximal.plan.json");
  {
    auto plan = make_plan(inventory_1x, maximal);
    if (!plan) fail(plan.error().message);
    std::ofstream(plan_file) << plan_to_json(*plan).dump(2);
  }
  setenv("XDG_CACHE_HOME", host_dir.file("cache").c_str(), 1);
  const std::vector<std::string> qemu_args_cmd = {SMMU_PLAN_BINARY, "qemu-args", "--plan", plan_file};
  auto with = [&](std::vector<std::string> extra) {
    auto argv = qemu_args_cmd;
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  };
  const auto asked = with({"--qemu", SMMU_SOURCE_DIR "/tests/data/fake-qemu/good"});
  if (run_command(asked, true) != 0) fail("qemu-args --qemu (fake QEMU) failed");  // warms the cache
  // Whole processes: the baseline, --version, the probe of the 1x host, the
  // hook file as libvirt runs it (the maximal domain on stdin),
  // qemu-args for a shipped and an asked (cached) QEMU.
  const std::string domain_file = host_dir.file("maximal.xml");
  std::ofstream(domain_file) << maximal_xml;
  struct Process {
    const char* name;
    std::vector<std::string> argv;
    std::string in = "/dev/null";  // stdin
  };
  const Process processes[] = {
      {"true", {"/bin/true"}},
      {"version", {SMMU_PLAN_BINARY, "--version"}},
      {"probe-json-1x", {SMMU_PLAN_BINARY, "probe", "--json", "--root", host_dir.host(kHostSizes[0])}},
      // The hook file as libvirt runs it: the kernel starts smmu-plan as its interpreter.
      {"hook-maximal", {SMMU_HOOK_FILE, "guest", "prepare", "begin", "-", "--root", host_dir.host(kHostSizes[0])},
       domain_file},
      {"qemu-args-shipped", with({"--qemu-caps", "11.1"})},
      {"qemu-args-asked", asked},
  };
  for (const auto& p : processes) {
    benchmark::RegisterBenchmark((std::string("BM_Process/") + p.name).c_str(), BM_Process, p.argv, p.in)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RegisterBenchmark("BM_PlanEmitMaximal", BM_PlanEmitMaximal, inventory_1x, maximal)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();

  RecordingReporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Color
                                                   : benchmark::ConsoleReporter::OO_None);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_summary(reporter);
  benchmark::Shutdown();
  return 0;
}
