// High Precision Event Timer block (lapic-pit-msi.md §2.3, HPETSPEC 1.0a). Conformance: §8 check 47.
//
// Implemented: the whole §2.3 register map in one RegisterBank table (capabilities/ID with the period in
// femtoseconds derived from the configured frequency; configuration; level interrupt status (W1C); main
// counter; per-timer config/capability, comparator and FSB route), 32- and 64-bit accesses; one-shot and
// periodic comparators with the Tn_VAL_SET rule; 32-bit timer mode with wraparound; legacy replacement
// routing; INT_ROUTE with a route-capability mask; edge or level interrupts per Tn_INT_TYPE_CNF; FSB (MSI)
// delivery through an ApicBus.
//
// Timing: the main counter runs on its own ClockDomain at `frequency_hz`, free-running from time 0; it
// is computed from simulated time when read (base value + clock edges since ENABLE_CNF was set) and is
// halted, and writable, while ENABLE_CNF = 0. GCAP_ID reports the period rounded to the nearest
// femtosecond, round(10^15 / frequency_hz): 69 841 279 fs (0x0429B17F) at the default 14 318 180 Hz, the
// value ICH-family chipsets report, and 10^15 / period rounds back to frequency_hz. The counter itself
// runs at exactly frequency_hz; the relative mismatch is at most 0.5 fs / period (7e-9 at the default).
//
// Event driven: while ENABLE_CNF = 1, each timer whose match is observable (INT_ENB = 1, or level mode,
// which sets a status bit) has exactly one sc_event pending, for its next comparator match. Other timers,
// and every timer while the counter is halted, schedule nothing; a periodic timer's comparator is advanced
// lazily (on access) for matches nobody could observe. A comparator matches when the counter *becomes*
// equal to it: writing a value equal to the current count means the next match is a full wrap away.
//
// Outputs (all IrqLines, true = asserted; the platform connects the ones it wires):
//   ioapic_output(pin)  IOAPIC inputs 0-31, chosen by Tn_INT_ROUTE_CNF (the route capability bit must be
//                       set or the write of the route is ignored and counted);
//   pic_output(0 | 8)   8259 IRQ0 / IRQ8.
// Legacy replacement (LEG_RT_CNF = 1): timer 0 drives pic_output(0) and ioapic_output(2), timer 1 drives
// pic_output(8) and ioapic_output(8), whatever their INT_ROUTE. The chipset mux that this disconnects is
// modelled too: legacy_inputs() is a sink whose input 0 (PIT OUT0) and input 8 (RTC IRQ8) pass through to
// pic_output(0)+ioapic_output(2) and pic_output(8)+ioapic_output(8) while LEG_RT_CNF = 0 and are cut off
// while it is 1. A platform that wires the PIT straight to the 8259/IOAPIC instead gets no suppression.
// Several sources on one output are OR-ed (shared level); an edge-mode pulse on an output that another
// source holds high is lost (counted as `lost_edges`). Level mode: the output is asserted while the
// timer's status bit is set, INT_ENB = 1 and ENABLE_CNF = 1; writing 1 to the status bit deasserts it.
// Edge mode: a rise and fall at the match time; no status bit is set (HPETSPEC: software ignores it).
// FSB mode: each interrupt is one MSI write (address = route 63:32, data = route 31:0) to the ApicBus set
// with set_msi_bus(); without a bus the message is dropped and counted.
//
// Choices where the specification is silent: a comparator write in periodic mode always sets the period
// and, with VAL_SET, also the accumulator (QEMU hpet.c); VAL_SET clears itself on that write. Main
// counter writes while ENABLE_CNF = 1 are ignored and counted. In 32-bit mode the comparator's upper half
// reads 0 and writes to it are ignored. Tn_INT_STS is only set in level mode. Accesses must be 4 or 8
// bytes, naturally aligned (BadSize / Misaligned otherwise); unmapped offsets read 0.
#pragma once

#include "models/common/apic_bus.h"
#include "models/common/clock_domain.h"
#include "models/common/interrupt_path.h"
#include "models/common/irq_line.h"
#include "models/common/metric_sink.h"
#include "models/common/mmio.h"
#include "models/common/register_bank.h"
#include "models/hpet/hpet_registers.h"

#include <array>
#include <cstdint>
#include <systemc>
#include <vector>

namespace x86sim::models {

struct HpetConfig {
    std::uint64_t frequency_hz = 14'318'180; // 14.31818 MHz (§2.3); must be >= 10 MHz (period <= 100 ns)
    unsigned num_timers = 3;                 // 3..32
    std::uint16_t vendor_id = 0x8086;
    std::uint8_t revision_id = 0x01;
    bool legacy_route_capable = true;
    std::uint32_t periodic_capable_timers = 0x1;  // bit n: Tn_PER_INT_CAP (ICH-family: timer 0 only)
    std::uint32_t route_capability = 0x00F0'0000; // Tn_INT_ROUTE_CAP of every timer (IOAPIC pins 20-23)
    bool fsb_capable = true;                      // Tn_FSB_INT_DEL_CAP
    // Cost of one register access. §6 has no HPET figure; this uses its suggested 100 ns MMIO default.
    std::uint64_t access_cost_ps = 100'000;
};

struct HpetStats {
    std::uint64_t bad_routes = 0;                   // INT_ROUTE writes outside the capability mask
    std::uint64_t counter_writes_while_enabled = 0; // ignored main-counter writes
    std::uint64_t msi_without_bus = 0;              // FSB interrupts with no ApicBus connected
    std::uint64_t lost_edges = 0;                   // edge pulses onto an output held high by another source
    std::uint64_t events_scheduled = 0;
    std::uint64_t match_events = 0;
};

struct HpetTimerDump {
    std::uint64_t config = 0;     // Tn_CONFIG_CAP as software reads it
    std::uint64_t comparator = 0; // the next match value (periodic accumulator brought up to date)
    std::uint64_t period = 0;     // periodic increment
    std::uint64_t fsb_route = 0;
    bool output_asserted = false;        // level mode: this timer holds its output(s) high
    std::uint64_t next_match_ps = ~0ULL; // scheduled event time, or ~0 if none
    std::uint64_t fires = 0;
    std::uint64_t matches = 0;
};

struct HpetDump {
    std::uint64_t capabilities = 0;
    std::uint64_t configuration = 0;
    std::uint64_t interrupt_status = 0;
    std::uint64_t main_counter = 0;
    std::vector<HpetTimerDump> timers;
};

class Hpet : public sc_core::sc_module, public MmioDevice {
  public:
    static constexpr unsigned kPicIrq0 = 0;
    static constexpr unsigned kPicIrq8 = 8;

    explicit Hpet(sc_core::sc_module_name name, HpetConfig config = {});

    MmioResult mmio_read(std::uint64_t offset, unsigned size, std::uint64_t& value) override;
    MmioResult mmio_write(std::uint64_t offset, unsigned size, std::uint64_t value) override;

    IrqLine& ioapic_output(unsigned pin);
    IrqLine& pic_output(unsigned irq);
    IrqLineSink& legacy_inputs() { return legacy_inputs_; }
    void set_msi_bus(ApicBus* bus) { msi_bus_ = bus; }
    void set_interrupt_path_observer(InterruptPathObserver* observer) { observer_.set(observer); }

    const HpetConfig& config() const { return config_; }
    const ClockDomain& clock() const { return clock_; }
    std::uint64_t period_fs() const { return period_fs_; }
    std::uint64_t main_counter() const;
    std::uint64_t fires(unsigned timer) const { return timers_.at(timer).fires; }
    const HpetStats& stats() const { return stats_; }
    const RegisterBank& registers() const { return bank_; }
    HpetDump dump() const;
    // Counters: fires, timer<n>.fires, timer<n>.matches, reads, writes, unmapped, bad_size, misaligned,
    // read_only_writes, bad_routes, counter_writes_while_enabled, msi_without_bus, lost_edges,
    // events_scheduled, match_events.
    void report_metrics(MetricSink& sink) const;

  private:
    struct Timer {
        std::uint64_t config = 0; // software-writable bits only
        std::uint64_t comparator = ~0ULL;
        std::uint64_t period = 0;
        std::uint64_t fsb_route = 0;
        std::uint64_t synced_counter = 0; // main counter value up to which matches were processed
        std::uint64_t driven_outputs = 0; // outputs this timer holds high (level mode)
        std::uint64_t scheduled_cycle = ~0ULL;
        std::uint64_t fires = 0;
        std::uint64_t matches = 0;
    };
    struct PendingMatches {
        std::uint64_t count = 0;
        std::uint64_t comparator = 0; // after advancing past them (periodic)
    };
    class LegacyInputs : public IrqLineSink {
      public:
        explicit LegacyInputs(Hpet& hpet) : hpet_(hpet) {}
        void set_irq_input(unsigned input, bool asserted) override { hpet_.legacy_input(input, asserted); }

      private:
        Hpet& hpet_;
    };
    struct Output {
        IrqLine line;
        std::uint64_t sources = 0; // bit n: timer n; bits 32/33: PIT/RTC pass-through
    };
    static constexpr unsigned kPicOutput0 = hpet::kMaxIoapicPins;
    static constexpr unsigned kPicOutput8 = hpet::kMaxIoapicPins + 1;
    static constexpr unsigned kPitSource = 32;
    static constexpr unsigned kRtcSource = 33;

    void build_registers();
    std::uint64_t cycle_now() const;
    std::uint64_t counter_at(std::uint64_t cycle) const;
    std::uint64_t timer_config_value(unsigned n) const;
    std::uint64_t configuration_value() const;
    bool periodic_capable(unsigned n) const { return ((config_.periodic_capable_timers >> n) & 1) != 0; }
    PendingMatches pending_matches(const Timer& timer, std::uint64_t counter) const;
    void sync(unsigned n, std::uint64_t cycle);
    void sync_all(std::uint64_t cycle);
    void on_match(unsigned n, std::uint64_t matches);
    void schedule(unsigned n, std::uint64_t cycle);
    void on_match_event(unsigned n);
    std::uint64_t destinations(unsigned n) const;
    void drive(unsigned output, unsigned source, bool asserted);
    void refresh_level(unsigned n);
    void refresh_pass_through();
    void legacy_input(unsigned input, bool asserted);

    void write_configuration(std::uint64_t value, std::uint64_t mask);
    void write_interrupt_status(std::uint64_t value, std::uint64_t mask);
    void write_main_counter(std::uint64_t value, std::uint64_t mask);
    void write_timer_config(unsigned n, std::uint64_t value, std::uint64_t mask);
    void write_comparator(unsigned n, std::uint64_t value, std::uint64_t mask);

    HpetConfig config_;
    ClockDomain clock_;
    std::uint64_t period_fs_ = 0;
    RegisterBank bank_;
    std::vector<Timer> timers_;
    std::array<sc_core::sc_event, hpet::kMaxTimers> match_events_;
    std::array<Output, hpet::kMaxIoapicPins + 2> outputs_;
    LegacyInputs legacy_inputs_{*this};
    bool enabled_ = false;
    bool legacy_ = false;
    std::uint64_t counter_base_ = 0; // counter value when halted / when last enabled
    std::uint64_t enable_cycle_ = 0; // clock cycle in which ENABLE_CNF was set
    std::uint64_t status_ = 0;       // GINTR_STA
    bool pit_level_ = false;
    bool rtc_level_ = false;
    std::uint64_t pit_driven_ = 0;
    std::uint64_t rtc_driven_ = 0;
    ApicBus* msi_bus_ = nullptr;
    HopSink observer_;
    HpetStats stats_;
};

} // namespace x86sim::models
