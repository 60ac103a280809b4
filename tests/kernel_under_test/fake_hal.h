// fake_hal.h - a kut_hal for testing the guest kernel without SystemC.
//
// Records every MMIO / port / MSR access, keeps one fake clock (advanced by spend() and by a fixed
// cost per access), models just enough hardware for the kernel to read back sensible values (LAPIC
// ID and timer current count, PIT channel 0 latch and channel 2 OUT on port 0x61, HPET caps and main
// counter, IOAPIC version), decodes ICR writes into IPIs, and implements locks trivially (a test can
// make trylock fail for a named lock).
#pragma once

#include "kut/guest.h"
#include "kut/hal.h"

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace kut_test {

enum class Kind { mmio_read, mmio_write, port_in, port_out, rdmsr, wrmsr };

struct Access {
    Kind kind;
    std::uint32_t cpu;
    std::uint64_t address; // MMIO address, port or MSR index
    std::uint64_t value;
};

struct Ipi {
    std::uint32_t from;
    std::uint32_t destination;
    std::uint32_t low; // vector | delivery | level | shorthand
    std::uint8_t vector() const { return static_cast<std::uint8_t>(low & 0xFF); }
    std::uint32_t shorthand() const { return (low >> 18) & 3; }
    std::uint32_t delivery() const { return (low >> 8) & 7; }
};

class FakeHal {
  public:
    static constexpr std::uint64_t kFsPerSecond = 1'000'000'000'000'000ull;

    explicit FakeHal(std::uint32_t cpus = 4);
    FakeHal(const FakeHal&) = delete;
    FakeHal& operator=(const FakeHal&) = delete;

    kut_hal table{};

    // Platform knobs (set before boot).
    std::uint32_t cpus;
    std::uint64_t cpu_hz = 3'000'000'000;
    std::uint64_t tsc_hz = 3'000'000'000;
    std::uint64_t lapic_timer_hz = 25'000'000;
    std::uint64_t hpet_period_fs = 10'000'000; // 100 MHz (QEMU's)
    bool hpet_legacy_capable = true;
    bool x2apic_mode = false;
    bool tsc_deadline = true;
    // Cost per access, femtoseconds (port I/O ~1 us, lapic-pit-msi.md §6 row 5).
    std::uint64_t port_cost_fs = 1'000'000'000;
    std::uint64_t mmio_cost_fs = 100'000'000;
    std::uint64_t msr_cost_fs = 20'000'000;

    // Observations.
    std::vector<Access> accesses;
    std::vector<Ipi> ipis;
    std::map<std::uint32_t, kut_task_id> switched_to; // last switch_to per CPU
    std::vector<std::pair<std::uint32_t, kut_task_id>> switch_log;
    std::map<std::string, std::uint64_t> counters;
    std::map<std::string, double> gauges;
    std::map<std::string, std::vector<std::uint64_t>> samples;
    std::vector<std::string> lock_names;
    std::set<std::string> busy_locks; // trylock on these fails
    std::vector<std::string> logs;
    std::map<std::uint32_t, unsigned> hlts;
    std::function<void(std::uint32_t)> on_hlt; // what "arrives" while a CPU halts
    std::uint64_t spent_cycles = 0;

    // Time.
    std::uint64_t time_fs = 0;
    std::uint64_t now_ps() const { return time_fs / 1000; }
    void advance_ps(std::uint64_t ps) { time_fs += ps * 1000; }
    void advance_to_ps(std::uint64_t ps) {
        if (ps * 1000 > time_fs) {
            time_fs = ps * 1000;
        }
    }

    // Queries.
    std::vector<Access> filter(Kind kind) const;
    std::vector<std::pair<std::uint16_t, std::uint8_t>> port_writes() const;
    std::uint64_t counter(const std::string& name) const;
    std::uint32_t lapic_reg(std::uint32_t cpu, std::uint32_t reg) const;
    void clear_records();

    // Hardware state the fake keeps.
    std::map<std::uint64_t, std::uint32_t> lapic_regs; // key cpu << 32 | reg
    std::map<std::uint32_t, std::uint64_t> lapic_timer_start_fs;
    std::map<std::uint32_t, std::uint32_t> icr_high;
    std::map<std::uint32_t, std::uint64_t> apic_base;
    std::uint32_t ioregsel = 0;
    std::map<std::uint32_t, std::uint32_t> ioapic_regs;
    std::map<std::uint32_t, std::uint64_t> hpet_regs;
    std::uint64_t hpet_enabled_since_fs = 0;
    bool hpet_enabled = false;
    std::uint8_t port61 = 0;
    std::uint32_t pit_ch0_reload = 0x10000;
    std::uint64_t pit_ch0_start_fs = 0;
    int pit_ch0_byte = 0;
    std::uint16_t pit_ch0_latch = 0;
    int pit_ch0_latch_byte = -1;
    std::uint32_t pit_ch2_count = 0;
    int pit_ch2_byte = 0;
    std::uint64_t pit_ch2_start_fs = 0;
    bool pit_ch2_armed = false;
    std::map<std::uint32_t, std::uint64_t> tsc_deadline_msr;

    static constexpr std::uint64_t kPitPeriodFs = 838'095'110;

    // Implementation (called through the table).
    std::uint64_t mmio_read(std::uint32_t cpu, std::uint64_t address, std::uint32_t size);
    void mmio_write(std::uint32_t cpu, std::uint64_t address, std::uint32_t size, std::uint64_t value);
    std::uint32_t port_in(std::uint32_t cpu, std::uint16_t port);
    void port_out(std::uint32_t cpu, std::uint16_t port, std::uint32_t value);
    int rdmsr(std::uint32_t cpu, std::uint32_t index, std::uint64_t* value);
    int wrmsr(std::uint32_t cpu, std::uint32_t index, std::uint64_t value);
    std::uint32_t lapic_read(std::uint32_t cpu, std::uint32_t reg);
    void lapic_write(std::uint32_t cpu, std::uint32_t reg, std::uint64_t value);
    std::uint64_t hpet_counter() const;
};

// A kut_config with the upstream defaults.
kut_config upstream_config(std::uint32_t cpus);

} // namespace kut_test
