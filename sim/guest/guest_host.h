// The host side of the guest ABI: every kut_hal function (kernel_under_test/include/kut/hal.h), on the
// platform's devices and the calling CPU's simulated time (design/GUEST-MODEL.md).
//
// Semantics, per call (costs are charged to the calling CPU's local time):
//  - the calling CPU: the `cpu` argument must name the CPU whose thread runs the call. A mismatch is
//    counted (guest.bad_cpu) and the call acts as the CPU that really runs it. Calls from outside any CPU
//    thread (guest->init) act on CPU `cpu` without timing and cannot wait (hlt, contended locks: refused
//    and counted in guest.bad_cpu).
//  - every call that reaches hardware or other CPUs (mmio, ports, MSRs, locks, switch_to, phys_alloc,
//    cli) is an instruction boundary: with IF = 1 pending interrupts are taken first; then the CPU
//    synchronises, so the access happens at its exact local time (quantum-independent results).
//  - mmio_read/mmio_write: through the AddressMap (the CPU's own LAPIC window first), charging the delay
//    the device annotates; unclaimed addresses read all ones and are counted (guest.unclaimed).
//  - port_in/port_out: the same for port I/O.
//  - rdmsr/wrmsr: Platform::rdmsr/wrmsr; #GP returns KUT_GP and is counted (guest.msr_gp). LAPIC MSRs
//    cost what the LAPIC annotates, others CpuCosts::msr_cycles.
//  - cpuid: cpuid_leaves.h, CpuCosts::cpuid_cycles.
//  - rdtsc: the TSC at the CPU's local time (no wait needed: it is exact), CpuCosts::rdtsc_cycles.
//  - cli/sti/interrupts_enabled/hlt/spend: cpu::Cpu.
//  - locks: SpinLocks. phys_alloc/host_pointer: PhysAllocator over models::SystemMemory.
//  - switch_to: KUT_IDLE_TASK or a task that exists and has not exited; a task selected by another CPU
//    is refused (guest.switch_refused) and the CPU keeps its previous selection.
//  - instrumentation (no cost, no synchronisation): now_ps = the calling CPU's local time; log through
//    the spdlog logger "guest"; metric_add/set/sample into the run's metrics::Registry.
#pragma once

#include "kut/hal.h"
#include "sim/cpu/cpu.h"
#include "sim/cpu/task_table.h"
#include "sim/guest/phys_allocator.h"
#include "sim/guest/spin_locks.h"
#include "sim/metrics/registry.h"

#include <cstdint>
#include <memory>
#include <spdlog/logger.h>
#include <string>
#include <vector>

namespace x86sim::sim {
class Platform;
}

namespace x86sim::sim::guest {

struct HalStats {
    std::uint64_t bad_cpu = 0;
    std::uint64_t msr_gp = 0;
    std::uint64_t unclaimed = 0;
    std::uint64_t switch_refused = 0;
    std::uint64_t switches = 0;
};

class GuestHost {
  public:
    GuestHost(Platform& platform, cpu::TaskTable& tasks, metrics::Registry& registry);
    GuestHost(const GuestHost&) = delete;
    GuestHost& operator=(const GuestHost&) = delete;

    const kut_hal* hal() const { return &hal_; }

    std::uint64_t mmio_read(std::uint32_t cpu, std::uint64_t address, std::uint32_t size);
    void mmio_write(std::uint32_t cpu, std::uint64_t address, std::uint32_t size, std::uint64_t value);
    std::uint32_t port_in(std::uint32_t cpu, std::uint16_t port, std::uint32_t size);
    void port_out(std::uint32_t cpu, std::uint16_t port, std::uint32_t size, std::uint32_t value);
    int rdmsr(std::uint32_t cpu, std::uint32_t index, std::uint64_t* value);
    int wrmsr(std::uint32_t cpu, std::uint32_t index, std::uint64_t value);
    void cpuid(std::uint32_t cpu, std::uint32_t leaf, std::uint32_t subleaf, std::uint32_t out[4]);
    std::uint64_t rdtsc(std::uint32_t cpu);
    void cli(std::uint32_t cpu);
    void sti(std::uint32_t cpu);
    int interrupts_enabled(std::uint32_t cpu);
    void hlt(std::uint32_t cpu);
    void spend(std::uint32_t cpu, std::uint64_t cycles);
    kut_lock_id lock_create(const char* name) { return locks_.create(name); }
    void spin_lock(std::uint32_t cpu, kut_lock_id lock);
    void spin_unlock(std::uint32_t cpu, kut_lock_id lock);
    int spin_trylock(std::uint32_t cpu, kut_lock_id lock);
    std::uint64_t phys_alloc(std::uint64_t size, std::uint64_t align);
    void* host_pointer(std::uint64_t physical, std::uint64_t size);
    void switch_to(std::uint32_t cpu, kut_task_id task);
    std::uint64_t now_ps();
    void log(std::uint32_t cpu, int level, const char* message);
    void metric_add(const char* name, std::uint64_t delta);
    void metric_set(const char* name, double value);
    void metric_sample(const char* name, std::uint64_t picoseconds);

    const HalStats& stats() const { return stats_; }
    const SpinLocks& locks() const { return locks_; }
    // guest.* counters, lock.* and sched.lock_wait.
    void report_metrics(models::MetricSink& sink) const;

  private:
    // The CPU running the call (nullptr outside CPU threads); counts a wrong `cpu` argument.
    cpu::Cpu* calling_cpu(std::uint32_t cpu);
    // Instruction boundary + synchronisation before an access others can observe.
    cpu::Cpu* enter_access(std::uint32_t cpu);
    // enter_access for calls that need a CPU (locks, switches): nullptr, counted as bad_cpu, outside one.
    cpu::Cpu* enter_cpu_only(std::uint32_t cpu);
    unsigned target_index(const cpu::Cpu* caller, std::uint32_t cpu) const;
    // Charges an RDMSR/WRMSR that has been made and turns a refused one into #GP.
    int finish_msr(cpu::Cpu* caller, unsigned target, std::uint32_t index, bool ok);
    // The registry slot of a guest metric name: guests report the same few names on every tick, and a
    // lookup in the sorted registry costs hundreds of instructions. Keyed by the name's text, so a guest
    // reusing a buffer gets the right metric.
    metrics::Registry::Slot metric_slot(const char* name);

    struct CachedSlot {
        std::string name;
        const char* last_pointer; // where the guest last passed this name (usually a string literal)
        metrics::Registry::Slot slot;
    };
    std::vector<CachedSlot> slots_;

    Platform& platform_;
    cpu::TaskTable& tasks_;
    metrics::Registry& registry_;
    SpinLocks locks_;
    PhysAllocator memory_;
    std::shared_ptr<spdlog::logger> logger_;
    HalStats stats_;
    kut_hal hal_{};
};

} // namespace x86sim::sim::guest
