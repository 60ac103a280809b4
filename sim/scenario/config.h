// The typed scenario: one plain struct per section of the YAML shape in design/SCENARIOS.md, with
// every default filled in. Units are already converted: *_ps picoseconds, *_hz Hz, *_bytes bytes.
//
// Source locations: Config::locations maps the dotted path of every key present in the file (or set
// by an override) to where its VALUE was written, e.g.
//   "platform.cpus", "platform.devices.0.nvme.bdf", "workload.2.task.period", "timeline.3.at",
//   "timeline.3.storm.rate", "kernel.tick.hz", "expect.1".
// List items use their index; the one-key item maps keep their kind ("nvme", "task", "storm"...).
// Config::where(path) returns the location of the path or of its nearest present ancestor (so a
// defaulted key reports at its enclosing map), which is what later stages (the platform builder)
// should use: throw ScenarioError(config.where("platform.devices.0.nvme.bdf"), "...").
#pragma once

#include "sim/scenario/diagnostic.h"
#include "sim/scenario/units.h"
#include "sim/scenario/yaml_tree.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace x86sim::scenario {

// ---------------------------------------------------------------- platform

enum class LapicMode { xapic, x2apic };

struct LapicConfig {
    LapicMode mode = LapicMode::xapic;
    std::uint64_t timer_clock_hz = 25'000'000; // the LAPIC timer's input (bus/crystal) clock
};

struct PitConfig {
    bool enabled = true;
};

// Writing a `hpet:` or `iommu:` section enables the block unless it says `enabled: false`.
struct HpetConfig {
    bool enabled = false;
    std::uint64_t freq_hz = 14'318'180;
};

struct IoapicConfig {
    bool enabled = true;
};

struct IommuConfig {
    bool enabled = false;
    std::uint32_t iotlb_entries = 64;
    bool interrupt_remapping = false;
};

// PCI bus:device.function, written "bb:dd.f" in hex (bus 00-ff, device 00-1f, function 0-7).
struct Bdf {
    std::uint8_t bus = 0;
    std::uint8_t device = 0;
    std::uint8_t function = 0;

    std::uint16_t requester_id() const {
        return static_cast<std::uint16_t>((bus << 8) | (device << 3) | function);
    }
    std::string to_string() const; // "00:03.0"
    bool operator==(const Bdf&) const = default;
};

struct NvmeNamespaceConfig {
    std::uint64_t size_bytes = 1ULL << 30;
};

struct NvmeMediaConfig {
    std::uint64_t read_latency_ps = 80'000'000;  // 80us
    std::uint64_t write_latency_ps = 20'000'000; // 20us
    std::uint32_t channels = 8;
};

enum class WriteCache { volatile_cache, none }; // YAML: volatile | none

struct BackingConfig {
    enum class Kind { ram, file };
    Kind kind = Kind::ram;
    std::string path; // Kind::file: the PATH of "file:PATH"
};

struct NvmeConfig {
    std::string name;
    Bdf bdf;
    std::vector<NvmeNamespaceConfig> namespaces{NvmeNamespaceConfig{}}; // default: one 1 GiB namespace
    std::uint32_t max_queues = 8;                                       // I/O queue pairs
    NvmeMediaConfig media;
    WriteCache write_cache = WriteCache::volatile_cache;
    BackingConfig backing;
};

struct TestdevConfig {
    std::string name;
    Bdf bdf;
    std::uint32_t vectors = 1; // MSI-X vectors, 1..2048
};

using DeviceConfig = std::variant<NvmeConfig, TestdevConfig>;
const std::string& device_name(const DeviceConfig& device);
std::string_view device_kind(const DeviceConfig& device); // "nvme" | "testdev"

struct PlatformConfig {
    std::uint32_t cpus = 1;
    std::uint64_t cpu_freq_hz = 3'000'000'000;
    std::uint64_t tsc_freq_hz = 3'000'000'000; // default: cpu_freq
    LapicConfig lapic;
    PitConfig pit;
    HpetConfig hpet;
    IoapicConfig ioapic;
    std::uint64_t ecam_base = 0xB000'0000;
    IommuConfig iommu;
    std::uint64_t memory_bytes = 512ULL << 20;
    std::uint64_t quantum_ps = 1'000'000; // 1us; 0 = exact ordering
    std::vector<DeviceConfig> devices;
};

// ---------------------------------------------------------------- kernel (the guest's switches)

enum class TickSource { pit, hpet, lapic };
enum class TickMode { periodic, oneshot, tsc_deadline }; // YAML: periodic | oneshot | tsc-deadline

struct TickConfig {
    TickSource source = TickSource::pit;
    TickMode mode = TickMode::periodic;
    // At most one of hz / divisor. Neither: the upstream rate (PIT divisor 4847 = 246.17 Hz for
    // pit/hpet, 1000 Hz for lapic) — the kernel decides; divisor is for source pit only.
    std::optional<std::uint64_t> hz;
    std::optional<std::uint32_t> divisor; // of the PIT's 1.193182 MHz clock, 1..65536
};

enum class SchedLock { global, per_cpu };        // global | per-cpu
enum class SchedBalance { none, work_stealing }; // none | work-stealing
enum class SchedWakeup { lazy_ipi, targeted };   // lazy-ipi | targeted

struct SchedConfig {
    SchedLock lock = SchedLock::global;
    SchedBalance balance = SchedBalance::none;
    std::uint32_t switch_ticks = 3; // ticks per time slice (upstream TICK_INTERVAL 3)
    SchedWakeup wakeup = SchedWakeup::lazy_ipi;
};

enum class IrqDelivery { intx, msi, msix };
enum class ValidateMsi { none, remap };

struct IrqConfig {
    IrqDelivery delivery = IrqDelivery::intx;
    ValidateMsi validate_msi = ValidateMsi::none;
};

enum class DmaStreaming { direct, bounce };

struct DmaConfig {
    bool iommu = false;
    DmaStreaming streaming = DmaStreaming::direct;
};

enum class ThreadCreate { upstream, ipc3, ipc2 };

struct ProcConfig {
    ThreadCreate thread_create = ThreadCreate::upstream;
};

// Defaults are the upstream kernel ("before" of the fix plan).
struct KernelConfig {
    TickConfig tick;
    SchedConfig sched;
    IrqConfig irq;
    DmaConfig dma;
    ProcConfig proc;
};

// ---------------------------------------------------------------- workload

enum class RunKind { cpu, periodic, sleep, yield, pingpong };

// "rt:N" (N 0..9) selects the real-time class; "nice:N" or a plain integer N (-20..19) is a normal
// task's nice value (weight as in the kernel's prio = 20 + nice table). Default nice 0.
struct Priority {
    enum class Class { normal, rt };
    Class cls = Class::normal;
    int level = 0; // rt: 0..9; normal: nice -20..19
    bool operator==(const Priority&) const = default;
};

// Which keys apply depends on `run` (others are errors):
//   cpu: burst            periodic: period, work     sleep: period, burst
//   yield: burst          pingpong: pairs, work       all: name, count, run, priority
struct TaskConfig {
    std::string name;
    std::uint32_t count = 1;
    RunKind run = RunKind::cpu;
    std::uint64_t burst_ps = 10'000'000'000; // 10ms of CPU per burst
    std::uint64_t period_ps = 0;             // periodic: release period; sleep: sleep time
    std::uint64_t work_ps = 0;               // periodic: work per period; pingpong: work per hop
    Priority priority;
    std::uint32_t pairs = 1; // pingpong
};

enum class IoPattern { randread, randwrite, read, write };

struct IoConfig {
    std::string name;
    std::string device; // an nvme device name
    IoPattern pattern = IoPattern::randread;
    std::uint64_t block_bytes = 4096; // multiple of 512
    std::uint32_t qd = 1;
    std::uint32_t jobs = 1;
    std::uint64_t ops = 0; // total I/Os; 0 = until the end of the run
};

struct ThreadsConfig {
    std::string name;
    std::uint64_t create = 1; // threads to create
};

using WorkloadEntry = std::variant<TaskConfig, IoConfig, ThreadsConfig>;
const std::string& workload_name(const WorkloadEntry& entry);

// ---------------------------------------------------------------- timeline

struct StormAction {
    std::string device; // a testdev
    std::uint32_t vector = 0;
    std::uint64_t rate_per_s = 0;
    std::uint64_t for_ps = 0;
};

enum class FaultKind { drop_completion, drop_interrupt, media_error };

struct FaultAction {
    std::string device; // an nvme device
    FaultKind kind = FaultKind::drop_completion;
    std::uint32_t count = 1;
};

struct DmaAction {
    std::string device; // a testdev
    bool write = true;  // write: ADDRESS | read: ADDRESS
    std::uint64_t address = 0;
    std::uint64_t bytes = 0;
};

struct PowerFailAction {};

struct MemWriteAction { // MMIO/memory write from a CPU
    std::uint64_t addr = 0;
    std::uint64_t value = 0;
    unsigned size = 4; // 1 | 2 | 4 | 8
    std::uint32_t cpu = 0;
};

struct MemReadAction {
    std::uint64_t addr = 0;
    unsigned size = 4;
    std::uint32_t cpu = 0;
};

struct WrmsrAction {
    std::uint32_t cpu = 0;
    std::uint32_t index = 0;
    std::uint64_t value = 0;
};

struct RdmsrAction {
    std::uint32_t cpu = 0;
    std::uint32_t index = 0;
};

struct PortOutAction {
    std::uint16_t port = 0;
    std::uint32_t value = 0;
    unsigned size = 1; // 1 | 2 | 4
};

struct PortInAction {
    std::uint16_t port = 0;
    unsigned size = 1;
};

using TimelineAction = std::variant<StormAction, FaultAction, DmaAction, PowerFailAction, MemWriteAction,
                                    MemReadAction, WrmsrAction, RdmsrAction, PortOutAction, PortInAction>;

// Kept in file order (indices match locations); entries with equal `at` run in file order, so a
// consumer should stable-sort by at_ps.
struct TimelineEvent {
    std::uint64_t at_ps = 0;
    TimelineAction action;
};

// ---------------------------------------------------------------- expectations and variants

enum class ExpectOp { eq, ne, lt, le, gt, ge, approx, between };
std::string_view op_name(ExpectOp op);

struct Tolerance {
    double value = 0; // absolute, or percent of the expected value when `percent`
    bool percent = false;
    std::string text; // as written ("1%")
};

// { metric: NAME, OP: VALUE } | { metric, approx: V, tolerance: T } | { metric, between: [a, b] }.
// Values are numbers or unit strings (times in seconds, frequencies in Hz, sizes in bytes).
struct Expectation {
    std::string metric;
    ExpectOp op = ExpectOp::eq;
    double value = 0;                     // between: the low bound
    double high = 0;                      // between only
    Tolerance tolerance;                  // approx only (default 1%)
    std::string expected_text;            // "1.5ms", "[0, 10]", "1000 ± 1%"
    Quantity quantity = Quantity::number; // the unit the value was written in (checked against the metric's)
    SourceLocation where;
};

struct VariantOverride {
    std::string path;     // dotted path, e.g. "kernel.tick"
    NodePtr value;        // the YAML value, with locations in the file
    SourceLocation where; // the entry's key
};

struct VariantSpec {
    std::string name;
    SourceLocation where;
    std::vector<VariantOverride> overrides; // in file order
};

// ---------------------------------------------------------------- the whole scenario

struct Config {
    std::string name;
    std::string description;
    std::uint64_t seed = 1;
    // End of the run in simulated picoseconds: `duration:`, or `until:` (an absolute end time; runs
    // start at t = 0, so the two mean the same and exactly one must be given).
    std::uint64_t duration_ps = 0;
    bool end_given_as_until = false;
    PlatformConfig platform;
    std::optional<KernelConfig> kernel; // nullopt: no guest (hardware-only scenario)
    std::vector<WorkloadEntry> workload;
    std::vector<TimelineEvent> timeline;
    std::vector<Expectation> expect;
    std::vector<VariantSpec> variants; // file order

    std::map<std::string, SourceLocation> locations;
    SourceLocation where(std::string_view dotted_path) const;
};

} // namespace x86sim::scenario
