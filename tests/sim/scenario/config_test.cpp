// The SCENARIOS.md shape read into typed config, defaults, and semantic checks.
#include "scenario_test_util.h"

#include <gtest/gtest.h>

namespace x86sim::scenario {
namespace {

using test::errors_of;
using test::minimal;
using test::only_error;

// The example of design/SCENARIOS.md, verbatim.
const std::string full_example = R"(name: tick-pit-vs-lapic              # required, [a-z0-9-]+
description: >                       # optional, shown by `x86sim list`
  Periodic RT probe latency with PIT at 148 Hz versus LAPIC TSC-deadline at 1000 Hz.
seed: 42                             # optional, default 1
duration: 2s                         # simulated time to run (required unless `until` is given)

platform:
  cpus: 4                            # logical CPUs, each with its own LAPIC
  cpu_freq: 3GHz
  tsc_freq: 3GHz                     # invariant TSC
  lapic: { mode: x2apic, timer_clock: 100MHz }      # mode: xapic | x2apic
  pit: { enabled: true }
  hpet: { enabled: true, freq: 14.31818MHz }
  ioapic: { enabled: true }
  ecam_base: 0xB0000000
  iommu: { enabled: true, iotlb_entries: 64, interrupt_remapping: true }
  memory: 512MiB
  devices:
    - nvme:
        name: nvme0
        bdf: "00:03.0"
        namespaces: [{ size: 1GiB }]
        max_queues: 8
        media: { read_latency: 80us, write_latency: 20us, channels: 8 }
        write_cache: volatile        # volatile | none ; volatile loses unflushed data on power_fail
        backing: ram                 # ram | file:PATH
    - testdev:                       # DMA + interrupt generator (storms, stray DMA)
        name: storm0
        bdf: "00:04.0"
        vectors: 4

kernel:                              # the guest kernel's configuration ("before"/"after" switches); no `kernel:` = no guest
  tick: { source: lapic, mode: tsc-deadline, hz: 1000 }   # source: pit | hpet | lapic ; mode: periodic | oneshot | tsc-deadline
                                     # pit also takes `divisor:` (of its 1.193182 MHz clock) instead of `hz:` (upstream: 4847)
  sched:
    lock: per-cpu                    # global | per-cpu
    balance: work-stealing           # none | work-stealing
    switch_ticks: 1                  # ticks of a time slice
    wakeup: targeted                 # lazy-ipi (upstream: broadcast IPI 0x40, runs at next switch) | targeted
  irq: { delivery: msix, validate_msi: remap }   # delivery: intx | msi | msix ; validate_msi: none | remap
  dma: { iommu: true, streaming: bounce }        # streaming: direct | bounce
  proc: { thread_create: ipc2 }                   # upstream (6 round trips + 3 kernel writes) | ipc3 | ipc2

workload:                            # simulated user programs, scheduled by the guest kernel
  - task: { name: hog, count: 4, run: cpu, burst: 50ms }
  - task: { name: probe, run: periodic, period: 3ms, work: 20us, priority: rt:5 }
  - io:   { name: fio1, device: nvme0, pattern: randread, block: 4KiB, qd: 32, jobs: 4, ops: 100000 }
  - task: { name: pp, run: pingpong, pairs: 2 }   # a wakes b, b wakes a: wakeup-heavy
  - task: { name: lazy, run: sleep, period: 10ms }  # run: cpu | periodic | sleep | yield | pingpong
  - threads: { name: spawner, create: 1000 }      # thread creation benchmark

timeline:                            # actions at simulated times
  - at: 100ms
    storm: { device: storm0, vector: 0, rate: 2MHz, for: 5ms }
  - at: 200ms
    fault: { device: nvme0, kind: drop_completion, count: 1 }
  - at: 300ms
    dma: { device: storm0, write: 0x1000000, bytes: 4KiB }   # a stray DMA
  - at: 400ms
    power_fail: {}
  - at: 1us                          # register pokes, for hardware-only scenarios without a guest
    write: { addr: 0xfee00380, value: 1000, size: 4, cpu: 0 }
  - at: 2us
    wrmsr: { cpu: 0, index: 0x6e0, value: 6000 }

expect:                              # checked at the end; any failure -> exit code 1
  - { metric: sched.tick_hz, approx: 1000, tolerance: 1% }
  - { metric: sched.wakeup_latency.p99, lt: 1.5ms }
  - { metric: iommu.faults, eq: 0 }

variants:                            # for `x86sim compare`: named overrides of the keys above
  before: { kernel.tick: { source: pit, hz: 148 }, kernel.sched.lock: global }
  after:  { kernel.tick: { source: lapic, mode: tsc-deadline, hz: 1000 } }
)";

TEST(Config, FullExampleOfScenariosMd) {
    const Scenario scenario = load_scenario_text(full_example, "example.yaml");
    const Config& c = scenario.config;
    EXPECT_EQ(c.name, "tick-pit-vs-lapic");
    EXPECT_EQ(c.description,
              "Periodic RT probe latency with PIT at 148 Hz versus LAPIC TSC-deadline at 1000 Hz.\n");
    EXPECT_EQ(c.seed, 42U);
    EXPECT_EQ(c.duration_ps, 2'000'000'000'000U);
    EXPECT_EQ(c.platform.cpus, 4U);
    EXPECT_EQ(c.platform.cpu_freq_hz, 3'000'000'000U);
    EXPECT_EQ(c.platform.lapic.mode, LapicMode::x2apic);
    EXPECT_EQ(c.platform.lapic.timer_clock_hz, 100'000'000U);
    EXPECT_TRUE(c.platform.hpet.enabled);
    EXPECT_EQ(c.platform.hpet.freq_hz, 14'318'180U);
    EXPECT_EQ(c.platform.ecam_base, 0xB000'0000U);
    EXPECT_TRUE(c.platform.iommu.interrupt_remapping);
    EXPECT_EQ(c.platform.memory_bytes, 512ULL << 20);
    ASSERT_EQ(c.platform.devices.size(), 2U);
    const auto& nvme = std::get<NvmeConfig>(c.platform.devices[0]);
    EXPECT_EQ(nvme.name, "nvme0");
    EXPECT_EQ(nvme.bdf, (Bdf{0, 3, 0}));
    EXPECT_EQ(nvme.bdf.to_string(), "00:03.0");
    EXPECT_EQ(nvme.namespaces.at(0).size_bytes, 1ULL << 30);
    EXPECT_EQ(nvme.media.read_latency_ps, 80'000'000U);
    EXPECT_EQ(nvme.write_cache, WriteCache::volatile_cache);
    EXPECT_EQ(std::get<TestdevConfig>(c.platform.devices[1]).vectors, 4U);
    ASSERT_TRUE(c.kernel.has_value());
    EXPECT_EQ(c.kernel->tick.source, TickSource::lapic);
    EXPECT_EQ(c.kernel->tick.mode, TickMode::tsc_deadline);
    EXPECT_EQ(c.kernel->tick.hz, 1000U);
    EXPECT_EQ(c.kernel->sched.lock, SchedLock::per_cpu);
    EXPECT_EQ(c.kernel->sched.balance, SchedBalance::work_stealing);
    EXPECT_EQ(c.kernel->sched.wakeup, SchedWakeup::targeted);
    EXPECT_EQ(c.kernel->irq.delivery, IrqDelivery::msix);
    EXPECT_EQ(c.kernel->dma.streaming, DmaStreaming::bounce);
    EXPECT_EQ(c.kernel->proc.thread_create, ThreadCreate::ipc2);
    ASSERT_EQ(c.workload.size(), 6U);
    const auto& probe = std::get<TaskConfig>(c.workload[1]);
    EXPECT_EQ(probe.run, RunKind::periodic);
    EXPECT_EQ(probe.period_ps, 3'000'000'000U);
    EXPECT_EQ(probe.priority, (Priority{Priority::Class::rt, 5}));
    const auto& fio = std::get<IoConfig>(c.workload[2]);
    EXPECT_EQ(fio.qd, 32U);
    EXPECT_EQ(fio.ops, 100000U);
    EXPECT_EQ(std::get<ThreadsConfig>(c.workload[5]).create, 1000U);
    ASSERT_EQ(c.timeline.size(), 6U);
    const auto& storm = std::get<StormAction>(c.timeline[0].action);
    EXPECT_EQ(storm.rate_per_s, 2'000'000U);
    EXPECT_EQ(storm.for_ps, 5'000'000'000U);
    EXPECT_EQ(std::get<DmaAction>(c.timeline[2].action).address, 0x1000000U);
    EXPECT_TRUE(std::holds_alternative<PowerFailAction>(c.timeline[3].action));
    EXPECT_EQ(std::get<MemWriteAction>(c.timeline[4].action).addr, 0xfee00380U);
    EXPECT_EQ(std::get<WrmsrAction>(c.timeline[5].action).index, 0x6e0U);
    ASSERT_EQ(c.expect.size(), 3U);
    EXPECT_EQ(c.expect[0].op, ExpectOp::approx);
    EXPECT_TRUE(c.expect[0].tolerance.percent);
    EXPECT_DOUBLE_EQ(c.expect[1].value, 0.0015);
    EXPECT_EQ((variant_names(scenario)), (std::vector<std::string>{"before", "after"}));
}

TEST(Config, LocationsOfTypedFields) {
    const Config c = load_scenario_text(full_example, "example.yaml").config;
    EXPECT_EQ(c.where("platform.cpus"), (SourceLocation{"example.yaml", 8, 9}));
    EXPECT_EQ(c.where("platform.devices.0.nvme.bdf"), (SourceLocation{"example.yaml", 21, 14}));
    EXPECT_EQ(c.where("timeline.0.storm.rate"), (SourceLocation{"example.yaml", 54, 47}));
    // A defaulted key reports at its enclosing map.
    EXPECT_EQ(c.where("platform.devices.1.testdev.max_queues"), c.where("platform.devices.1.testdev"));
    EXPECT_EQ(c.where("no.such.thing"), (SourceLocation{"example.yaml", 1, 1}));
}

TEST(Config, DefaultsOfAMinimalScenario) {
    const Config c = load_scenario_text(minimal, "m.yaml").config;
    EXPECT_EQ(c.seed, 1U);
    EXPECT_EQ(c.platform.cpus, 1U);
    EXPECT_EQ(c.platform.tsc_freq_hz, c.platform.cpu_freq_hz);
    EXPECT_EQ(c.platform.lapic.timer_clock_hz, 25'000'000U);
    EXPECT_EQ(c.platform.quantum_ps, 1'000'000U);
    EXPECT_EQ(c.platform.memory_bytes, 512ULL << 20);
    EXPECT_EQ(c.platform.ecam_base, 0xB000'0000U);
    EXPECT_TRUE(c.platform.pit.enabled);
    EXPECT_FALSE(c.platform.hpet.enabled);
    EXPECT_FALSE(c.kernel.has_value());
    EXPECT_TRUE(c.workload.empty());
}

TEST(Config, TscDefaultsToCpuFreqAndQuantumMayBeZero) {
    const Config c =
        load_scenario_text(minimal + "platform: { cpu_freq: 2GHz, quantum: 0 }\n", "m.yaml").config;
    EXPECT_EQ(c.platform.tsc_freq_hz, 2'000'000'000U);
    EXPECT_EQ(c.platform.quantum_ps, 0U);
}

TEST(Config, UntilIsAnAlternativeEndTime) {
    const Config c = load_scenario_text("name: t\nuntil: 3ms\n", "m.yaml").config;
    EXPECT_EQ(c.duration_ps, 3'000'000'000U);
    EXPECT_TRUE(c.end_given_as_until);
    EXPECT_EQ(only_error("name: t\nduration: 1ms\nuntil: 3ms\n"),
              "s.yaml:3:1: error: give either 'duration' or 'until' (an absolute end time), not both");
}

TEST(Config, EmptyKernelSectionSelectsUpstreamDefaults) {
    const Config c = load_scenario_text(minimal + "kernel: {}\n", "m.yaml").config;
    ASSERT_TRUE(c.kernel.has_value());
    EXPECT_EQ(c.kernel->tick.source, TickSource::pit);
    EXPECT_EQ(c.kernel->sched.lock, SchedLock::global);
    EXPECT_EQ(c.kernel->sched.switch_ticks, 3U);
    EXPECT_EQ(c.kernel->proc.thread_create, ThreadCreate::upstream);
}

TEST(Config, NameRules) {
    EXPECT_EQ(
        only_error("name: Tick_1\nduration: 1ms\n"),
        "s.yaml:1:7: error: name: use lowercase letters, digits and '-' only ([a-z0-9-]+), got 'Tick_1'");
}

TEST(Config, TimelineAfterTheEndIsAnError) {
    EXPECT_EQ(only_error(minimal + "timeline:\n  - at: 2ms\n    power_fail: {}\n"),
              "s.yaml:4:9: error: timeline.0.at: 2 ms is after the end of the run (1 ms)");
}

TEST(Config, TimelineEntryNeedsExactlyOneAction) {
    EXPECT_NE(only_error(minimal + "timeline:\n  - at: 0\n    power_fail: {}\n    rdmsr: { index: 0x10 }\n")
                  .find("s.yaml:4:5: error: timeline.0: each timeline entry needs exactly one action"),
              std::string::npos);
}

TEST(Config, DeviceReferences) {
    const std::string platform = minimal +
                                 "platform:\n  devices:\n    - nvme: { name: nvme0, bdf: \"00:03.0\" }\n"
                                 "    - testdev: { name: storm0, bdf: \"00:04.0\", vectors: 2 }\n";
    EXPECT_EQ(
        only_error(platform + "timeline:\n  - at: 0\n    storm: { device: strom0, rate: 1kHz, for: 1us }\n"),
        "s.yaml:9:22: error: timeline.0.storm.device: no device named 'strom0' in platform.devices; did you "
        "mean 'storm0'? (testdev devices: storm0)");
    EXPECT_EQ(
        only_error(platform + "timeline:\n  - at: 0\n    storm: { device: nvme0, rate: 1kHz, for: 1us }\n"),
        "s.yaml:9:22: error: timeline.0.storm.device: 'nvme0' is a nvme device; storm needs a testdev "
        "device");
    EXPECT_EQ(only_error(platform +
                         "timeline:\n  - at: 0\n    storm: { device: storm0, vector: 2, rate: 1kHz, "
                         "for: 1us }\n"),
              "s.yaml:9:38: error: timeline.0.storm.vector: 'storm0' has 2 vector(s), numbered from 0");
    EXPECT_EQ(
        only_error(platform + "kernel: {}\nworkload:\n  - io: { name: f, device: storm0 }\n"),
        "s.yaml:9:28: error: workload.0.io.device: 'storm0' is a testdev device; io needs a nvme device");
}

TEST(Config, DuplicateNames) {
    EXPECT_EQ(only_error(minimal +
                         "kernel: {}\nworkload:\n  - task: { name: a, run: cpu }\n  - threads: { name: a, "
                         "create: 1 }\n"),
              "s.yaml:6:22: error: workload.1.threads.name: duplicate workload name 'a'");
    EXPECT_EQ(only_error(minimal + "platform:\n  devices:\n    - testdev: { name: d, bdf: \"00:04.0\" }\n"
                                   "    - testdev: { name: d, bdf: \"00:05.0\" }\n"),
              "s.yaml:6:24: error: platform.devices.1.testdev.name: duplicate device name 'd'");
}

TEST(Config, WorkloadNeedsAKernel) {
    EXPECT_NE(only_error(minimal + "workload:\n  - task: { name: a, run: cpu }\n")
                  .find("workload: simulated programs need a guest kernel"),
              std::string::npos);
}

TEST(Config, TaskKeysMustApplyToTheRunKind) {
    EXPECT_EQ(only_error(minimal + "kernel: {}\nworkload:\n  - task: { name: a, run: cpu, pairs: 2 }\n"),
              "s.yaml:5:32: error: workload.0.task.pairs: does not apply to run: cpu (only to pingpong)");
    EXPECT_EQ(only_error(minimal +
                         "kernel: {}\nworkload:\n  - task: { name: a, run: periodic, period: 1ms, work: "
                         "2ms }\n"),
              "s.yaml:5:56: error: workload.0.task.work: work (2 ms) is longer than the period (1 ms)");
}

TEST(Config, Priorities) {
    auto priority_of = [](const std::string& text) {
        const Config c = load_scenario_text(
                             minimal + "kernel: {}\nworkload:\n  - task: { name: a, run: cpu, priority: \"" +
                                 text + "\" }\n",
                             "m.yaml")
                             .config;
        return std::get<TaskConfig>(c.workload[0]).priority;
    };
    EXPECT_EQ(priority_of("rt:0"), (Priority{Priority::Class::rt, 0}));
    EXPECT_EQ(priority_of("rt:9"), (Priority{Priority::Class::rt, 9}));
    EXPECT_EQ(priority_of("-5"), (Priority{Priority::Class::normal, -5}));
    EXPECT_EQ(priority_of("nice:19"), (Priority{Priority::Class::normal, 19}));
    EXPECT_FALSE(
        errors_of(minimal + "kernel: {}\nworkload:\n  - task: { name: a, run: cpu, priority: rt:10 }\n")
            .empty());
    EXPECT_FALSE(errors_of(minimal + "kernel: {}\nworkload:\n  - task: { name: a, run: cpu, priority: 20 }\n")
                     .empty());
}

TEST(Config, KernelNeedsMatchingHardware) {
    EXPECT_EQ(
        only_error(minimal + "kernel: { tick: { source: hpet } }\n"),
        "s.yaml:3:27: error: kernel.tick.source: hpet, but the platform has no HPET (add platform.hpet: { "
        "enabled: true })");
    EXPECT_EQ(only_error(minimal + "kernel: { tick: { source: hpet, mode: tsc-deadline } }\n"
                                   "platform: { hpet: {} }\n"),
              "s.yaml:3:39: error: kernel.tick.mode: tsc-deadline needs source: lapic");
    EXPECT_EQ(only_error(minimal + "kernel: { tick: { source: pit, hz: 100, divisor: 4847 } }\n"),
              "s.yaml:3:41: error: kernel.tick: give either 'hz' or 'divisor', not both");
    EXPECT_NE(only_error(minimal + "kernel: { dma: { iommu: true } }\n").find("the platform has no IOMMU"),
              std::string::npos);
}

TEST(Config, CpuIndicesMustExist) {
    EXPECT_EQ(only_error(minimal + "timeline:\n  - at: 0\n    wrmsr: { cpu: 1, index: 0x6e0, value: 1 }\n"),
              "s.yaml:5:19: error: timeline.0.wrmsr.cpu: CPU 1 does not exist (platform.cpus is 1)");
}

TEST(Config, AccessSizesAndValues) {
    EXPECT_EQ(
        only_error(minimal + "timeline:\n  - at: 0\n    write: { addr: 0xfee000b0, value: 0, size: 3 }\n"),
        "s.yaml:5:48: error: timeline.0.write.size: access size must be one of 1, 2, 4, 8 bytes");
    EXPECT_EQ(only_error(minimal + "timeline:\n  - at: 0\n    out: { port: 0x43, value: 0x100 }\n"),
              "s.yaml:5:31: error: timeline.0.out.value: does not fit in 1 bytes");
}

TEST(Config, ExpectationMetricsAreCheckedAgainstTheCatalog) {
    EXPECT_EQ(only_error(minimal + "expect:\n  - { metric: sched.tick_hzz, gt: 1 }\n"),
              "s.yaml:4:15: error: expect.0.metric: unknown metric 'sched.tick_hzz'; did you mean "
              "'sched.tick_hz'?");
    EXPECT_EQ(only_error(minimal + "expect:\n  - { metric: nvme1.iops, gt: 1 }\n"),
              "s.yaml:4:15: error: expect.0.metric: unknown metric 'nvme1.iops' ('nvme1' is not a device in "
              "platform.devices)");
    EXPECT_EQ(
        only_error(minimal + "expect:\n  - { metric: cpu1.lapic.eoi, gt: 1 }\n"),
        "s.yaml:4:15: error: expect.0.metric: unknown metric 'cpu1.lapic.eoi' (the platform has 1 CPU(s), "
        "numbered from 0); did you mean 'cpu0.lapic.eoi'?");
    EXPECT_EQ(
        only_error(minimal + "expect:\n  - { metric: sched.tick_hz, lt: 1ms }\n"),
        "s.yaml:4:5: error: expect.0: metric 'sched.tick_hz' is in hz but the expected value is a time");
    EXPECT_TRUE(errors_of(minimal + "expect:\n  - { metric: cpu0.lapic.timer.fires, ge: 1 }\n"
                                    "  - { metric: sched.wakeup_latency.max, le: 2ms }\n")
                    .empty());
}

TEST(Config, ExpectationShapes) {
    EXPECT_NE(only_error(minimal + "expect:\n  - { metric: pit.fires, gt: 1, lt: 5 }\n")
                  .find("each expectation needs exactly one operator"),
              std::string::npos);
    EXPECT_EQ(only_error(minimal + "expect:\n  - { metric: pit.fires, gt: 1, tolerance: 1% }\n"),
              "s.yaml:4:33: error: expect.0.tolerance: only applies to 'approx'");
    EXPECT_EQ(only_error(minimal + "expect:\n  - { metric: pit.fires, between: [5, 1] }\n"),
              "s.yaml:4:35: error: expect.0.between: low bound is above the high bound");
    EXPECT_EQ(only_error(minimal + "expect:\n  - { metric: pit.fires, eq: lots }\n"),
              "s.yaml:4:30: error: expect.0.eq: expected a number or a time, frequency or size, got 'lots'");
}

TEST(Config, BdfAndBackingFormats) {
    EXPECT_EQ(only_error(minimal + "platform:\n  devices:\n    - testdev: { name: d, bdf: \"00:20.0\" }\n"),
              "s.yaml:5:32: error: platform.devices.0.testdev.bdf: expected a PCI address \"bb:dd.f\" (hex "
              "bus 00-ff, "
              "device 00-1f, function 0-7), got '00:20.0'");
    const Config c =
        load_scenario_text(minimal + "platform:\n  devices:\n    - nvme: { name: n, bdf: \"0a:1f.7\", "
                                     "backing: \"file:/tmp/disk.img\", write_cache: none }\n",
                           "m.yaml")
            .config;
    const auto& nvme = std::get<NvmeConfig>(c.platform.devices[0]);
    EXPECT_EQ(nvme.bdf, (Bdf{0x0a, 0x1f, 7}));
    EXPECT_EQ(nvme.backing.kind, BackingConfig::Kind::file);
    EXPECT_EQ(nvme.backing.path, "/tmp/disk.img");
    EXPECT_EQ(nvme.write_cache, WriteCache::none);
}

TEST(Config, SeedOption) {
    LoadOptions options;
    options.seed = 77;
    EXPECT_EQ(load_scenario_text(minimal, "m.yaml", options).config.seed, 77U);
    EXPECT_EQ(load_scenario_text(minimal + "seed: 0x10\n", "m.yaml").config.seed, 16U);
}

} // namespace
} // namespace x86sim::scenario

namespace x86sim::scenario {
namespace {

TEST(Config, TimelineValueMetricsNameReadEntries) {
    const std::string pokes = test::minimal + "timeline:\n  - at: 0\n    read: { addr: 0xfee00390 }\n"
                                              "  - at: 0\n    write: { addr: 0xfee00380, value: 1 }\n";
    EXPECT_TRUE(test::errors_of(pokes + "expect:\n  - { metric: timeline.0.value, eq: 0 }\n"
                                        "  - { metric: timeline.gp_faults, eq: 0 }\n")
                    .empty());
    EXPECT_EQ(
        test::only_error(pokes + "expect:\n  - { metric: timeline.1.value, eq: 0 }\n"),
        "s.yaml:9:15: error: expect.0.metric: unknown metric 'timeline.1.value' (timeline entry 1 is not a "
        "read, rdmsr or in action); did you mean 'timeline.0.value'?");
    EXPECT_EQ(
        test::only_error(pokes + "expect:\n  - { metric: timeline.2.value, eq: 0 }\n"),
        "s.yaml:9:15: error: expect.0.metric: unknown metric 'timeline.2.value' (the timeline has 2 entries, "
        "numbered from 0); did you mean 'timeline.0.value'?");
}

} // namespace
} // namespace x86sim::scenario
