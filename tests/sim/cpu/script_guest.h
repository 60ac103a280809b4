// Test support for the host side of the guest boundary: a guest whose entry points are std::functions a
// test sets (so CPU, HAL and workload behaviour can be checked without the reference kernel), a machine
// that runs it on a real Platform through GuestSession, and an interrupt injector that delivers fixed
// vectors through the fabric at exact simulated times.
#pragma once

#include "kut/guest.h"
#include "models/common/interrupt_path.h"
#include "sim/metrics/registry.h"
#include "sim/platform/guest_session.h"
#include "sim/platform/platform.h"
#include "sim/scenario/config.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

namespace x86sim::test {

inline constexpr std::uint64_t kLapic = 0xFEE0'0000ULL;
inline constexpr std::uint64_t kSvr = 0xF0;
inline constexpr std::uint64_t kEoi = 0xB0;
inline constexpr std::uint64_t kTpr = 0x80;
inline constexpr std::uint64_t kIcrLow = 0x300;
inline constexpr std::uint64_t kIcrHigh = 0x310;
inline constexpr std::uint64_t kLvtTimer = 0x320;
inline constexpr std::uint64_t kTmict = 0x380;
inline constexpr std::uint64_t kTdcr = 0x3E0;

// Default CPU costs at 3 GHz (sim/cpu/cpu_costs.h): 200 and 100 cycles, rounded up to whole ps.
inline constexpr std::uint64_t kEntryPs = 66'667;
inline constexpr std::uint64_t kExitPs = 33'334;
inline constexpr std::uint64_t kSyscallEntryPs = 33'334;
inline constexpr std::uint64_t kXapicAccessPs = 100'000; // LapicConfig::xapic_mmio_access_ps

struct GuestEvent {
    std::string what; // "irq", "ap_start", "syscall", "lock", ...
    std::uint64_t time_ps = 0;
    std::uint32_t cpu = 0;
    std::uint64_t value = 0; // vector, syscall number, ...
    bool operator==(const GuestEvent&) const = default;
};

class ScriptGuest {
  public:
    ScriptGuest();
    ~ScriptGuest();
    const kut_guest* table() const { return &table_; }

    // Entry points (defaults: boot enables the LAPIC; interrupt records "irq" and writes EOI; idle halts;
    // task_new selects the task; syscall records "syscall" and returns 0).
    std::function<void(std::uint32_t)> boot;
    std::function<void(std::uint32_t, std::uint8_t)> ap_start;
    std::function<void(std::uint32_t, std::uint8_t)> interrupt;
    std::function<std::int64_t(std::uint32_t, kut_task_id, std::uint32_t, std::uint64_t)> syscall;
    std::function<void(std::uint32_t, kut_task_id, std::int32_t, std::int32_t)> task_new;
    std::function<void(std::uint32_t)> idle;

    // HAL helpers for the scripts.
    const kut_hal* hal = nullptr;
    std::uint64_t now() const { return hal->now_ps(hal->host); }
    void lapic_write(std::uint32_t cpu, std::uint64_t offset, std::uint32_t value) const;
    std::uint32_t lapic_read(std::uint32_t cpu, std::uint64_t offset) const;
    void enable_lapic(std::uint32_t cpu) const { lapic_write(cpu, kSvr, 0x1FF); }
    void eoi(std::uint32_t cpu) const { lapic_write(cpu, kEoi, 0); }
    void record(std::string what, std::uint32_t cpu, std::uint64_t value = 0);

    std::vector<GuestEvent> events;
    std::vector<GuestEvent> of(const std::string& what) const;

  private:
    kut_guest table_{};
};

// A platform with the script guest attached (GuestSession), built from `config` (kernel: defaulted).
class Machine {
  public:
    explicit Machine(scenario::Config config, ScriptGuest& guest);
    sim::Platform& platform() { return *platform_; }
    metrics::Registry& registry() { return registry_; }
    // Runs to `end_ps` (absolute) and collects the session's metrics into registry().
    void run_to(std::uint64_t end_ps);

  private:
    scenario::Config config_;
    metrics::Registry registry_;
    std::unique_ptr<sim::Platform> platform_;
    std::unique_ptr<sim::GuestSession> session_;
};

// A scenario config for tests: `cpus` CPUs at 3 GHz, LAPIC timer clock 100 MHz, quantum as given.
scenario::Config test_config(unsigned cpus, std::uint64_t quantum_ps, std::uint64_t duration_ps);

// Delivers a fixed, edge-triggered vector to APIC `apic_id` through the fabric at absolute time `at_ps`.
class Injector : public sc_core::sc_module {
  public:
    SC_HAS_PROCESS(Injector);
    Injector(sc_core::sc_module_name name, sim::Platform& platform);
    void at(std::uint64_t at_ps, std::uint32_t apic_id, std::uint8_t vector);

  private:
    void run();
    struct Shot {
        std::uint64_t at_ps;
        std::uint32_t apic_id;
        std::uint8_t vector;
    };
    sim::Platform& platform_;
    std::vector<Shot> shots_;
};

// Records every hop of one kind.
class HopRecorder : public models::InterruptPathObserver {
  public:
    void on_hop(const models::InterruptHop& hop) override { hops.push_back(hop); }
    std::vector<models::InterruptHop> of(models::HopKind kind) const;
    std::vector<models::InterruptHop> hops;
};

// Runs `body` in a forked child and returns what it printed into the string it returns (for
// comparisons across several simulations: SystemC runs once per process).
std::string run_in_child(const std::function<std::string()>& body);

} // namespace x86sim::test
