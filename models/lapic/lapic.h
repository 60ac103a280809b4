// Local APIC (xAPIC and x2APIC) with its timer: lapic-pit-msi.md §1 (1.1-1.7), §3 (crystal-fed timer),
// §6 (access costs), §8 checks 1-42 and 51, §9 choices.
//
// What it implements
//  - IA32_APIC_BASE (MSR 0x1B) with the disabled/xAPIC/x2APIC state machine and its #GP cases (§1.1);
//    CPUID.01H:EDX[9] follows EN (apic_present_cpuid()).
//  - ONE register table (lapic_registers.cpp) backing both the xAPIC MMIO page and the x2APIC MSRs
//    0x800-0x8FF (offset = (msr - 0x800) << 4), with the x2APIC rules of §1.2/§1.6: RO writes, WO reads,
//    reserved bits and absent registers #GP; 64-bit ICR at 0x830; SELF IPI 0x83F; LDR derived from the
//    32-bit ID; MSRs 0x840-0xBFF #GP.
//  - ESR accumulate/latch protocol and LVT Error interrupt re-arming (§1.3.6), SVR software enable with
//    forced LVT masks (§1.3.5), all LVTs incl. CMCI (§1.3.8), TPR/PPR (APR reads 0, §1.3.2), IRR/ISR/TMR,
//    the acceptance/priority/dispatch algorithm of §1.4, EOI with level broadcast / directed EOI
//    (§1.3.3), ICR with all delivery modes, shorthands, physical/logical flat/cluster/x2APIC-cluster
//    destinations (§1.3.4, §1.3.7), the xAPIC ICR delivery-status bit held for the fabric latency.
//  - LINT0/LINT1 as IrqLineSink inputs 0/1: edge/level fixed with Remote IRR (check 42), NMI, SMI,
//    INIT, ExtINT (the INTA cycle asks the ExtIntSource for the vector; ExtINT bypasses IRR/ISR/TPR).
//  - The timer: one-shot, periodic, TSC-deadline, divide configuration (§1.3.9, §1.3.10). Event driven:
//    one sc_event + one SC_METHOD scheduled only for the next unmasked expiry; TMCCT is computed on read
//    from the time of the last (re)start, through an exact ClockDomain in the timer clock: one-shot with
//    TMICT = N and divisor d fires at write time + duration_of(N * d). A masked timer keeps counting
//    (lazily; it schedules no event and sets no IRR); a masked TSC deadline still clears MSR 0x6E0 at
//    expiry (lazily, on the next read or LVT write).
//
// Documented model choices (§1.7, §9). Defaults follow the SDM where it speaks and the model algorithm
// of §1.4 where it is silent; the emulator alternatives are LapicConfig options:
//  - Fixed/lowest-priority messages while software-disabled (SVR[8] = 0): default Drop (§1.4 step 3,
//    KVM) while already-pending IRR bits are still dispatched (SDM 10.4.7.2 "held ... require handling
//    by the CPU"); LatchAndDispatch = Bochs; LatchWithoutDispatch = QEMU-TCG.
//  - IA32_APIC_BASE.EN cleared: default PowerUp - the register state returns to its power-up values
//    (SDM 10.4.3 "may return to power-up state", Bochs-like; check 41) with the initial APIC ID
//    (SDM 10.12.5: only the x2APIC ID survives); Preserve = KVM (registers untouched).
//  - TDCR change while counting: default RescaleRemaining - the current count is kept and counts down at
//    the new rate from the write (the divider feeds the counter; KVM); ApplyOnNextStart = Bochs.
//    (Sub-divisor progress at the moment of the change is dropped.)
//  - LVT timer one-shot <-> periodic change: default Disarm (SDM 10.5.4.1: a mode-changing LVT write
//    disarms the timer; TMICT and TMCCT read 0); KeepCounting = KVM/Bochs. Changes into or out of
//    TSC-deadline mode always disarm (TMICT = 0, deadline = 0; check 14).
//  - Timer mode 11b (reserved): an xAPIC write keeps the previous mode bits; in x2APIC mode it #GPs.
//  - xAPIC MMIO accepts aligned 4-byte accesses only (SDM: other widths undefined). Anything else is
//    dropped, reads return 0, and it is counted as a bad access (no ESR bit). Reserved offsets set ESR
//    bit 7 (P4-class, §1.2); writes to read-only registers are ignored (and counted). APR and RRD read 0.
//  - When the MMIO window is not decoded (APIC disabled or in x2APIC mode) mmio_read returns all ones
//    (an unclaimed bus read), writes are dropped; both return AccessStatus::Unmapped and are counted
//    (`undecoded_mmio`). The platform can ask mmio_decoded() and route elsewhere.
//  - xAPIC ID is read-only (Nehalem and later); `xapic_id_writable` makes it RW (older parts).
//  - An xAPIC-mode APIC matches a 32-bit message destination by its low 8 bits (real-hardware
//    aliasing noted in §1.3.4; KVM does not alias).
//  - Lowest-priority arbitration priority = TPR (P4-class, §1.3.2), 0xFF while software-disabled so
//    that a disabled APIC only wins when no enabled one matches. APR reads 0.
//  - Lowest-priority IPIs from the ICR set ESR bit 4 and are dropped in x2APIC mode (check 35); in
//    xAPIC mode they are sent (`lowest_priority_ipi_supported`).
//  - P4-class ICR rules (Table 10-3): level/trigger bits are ignored (sent as edge/assert), except the
//    INIT level de-assert pattern, which is forwarded and ignored by every receiver (check 31);
//    Self/AllIncludingSelf with a non-fixed mode, and reserved modes 011/111, are dropped and counted.
//  - A received fixed level-triggered *de-assert* is ignored (counted); the fabric filters MSI ones.
//  - INIT accepted from the bus: the APIC performs its INIT reset (§1.5, ID and APIC_BASE kept) and then
//    raises CpuInterruptPins::init().
//  - LVT delivery status (bit 12) always reads 0: delivery to the core is immediate. LINT polarity
//    (bit 13) is stored only: IrqLine levels are already "active".
//  - LINT1 programmed level-triggered behaves as edge (SDM: level not supported on LINT1). Rewriting a
//    LINT entry as anything but level-triggered fixed clears its Remote IRR.
//  - CR8 (read_cr8/write_cr8) aliases TPR[7:4] (§1.3.2); the CPU model calls it for MOV CR8.
//  - IPIs, MSIs and IOAPIC messages are accepted synchronously (a function call); the fabric's latency
//    is reported to the caller (InterruptFabric::delivery_latency_ps) and mirrored by icr_busy_ps.
//
// Not modelled: P6/Pentium specifics (APR arbitration, focus processor, remote read, checksum and
// accept errors, INIT de-assert resync), AMD extended APIC space, the SDM's "may raise an illegal
// vector error when writing a masked LVT with vector < 16", C-state timer stop (ARAT is assumed),
// interrupt-shadow/IF (the CPU model's job), SMI/SIPI semantics beyond signalling the core.
#pragma once

#include "models/common/apic_bus.h"
#include "models/common/clock_domain.h"
#include "models/common/interrupt_path.h"
#include "models/common/irq_line.h"
#include "models/common/metric_sink.h"
#include "models/common/mmio.h"
#include "models/common/register_bank.h"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <systemc>
#include <utility>
#include <vector>

namespace x86sim::models {

class Tsc;

enum class ApicMode : std::uint8_t { Disabled, XApic, X2Apic };

enum class LvtEntry : std::uint8_t { Cmci, Timer, Thermal, PerfMon, Lint0, Lint1, Error, Count_ };

enum class SoftwareDisabledFixedPolicy : std::uint8_t { Drop, LatchAndDispatch, LatchWithoutDispatch };
enum class ApicReenableState : std::uint8_t { PowerUp, Preserve };
enum class TimerDivideChangePolicy : std::uint8_t { RescaleRemaining, ApplyOnNextStart };
enum class TimerModeSwitchPolicy : std::uint8_t { Disarm, KeepCounting };

struct LapicConfig {
    std::uint32_t apic_id = 0; // x2APIC ID (32 bits); the xAPIC ID is its low 8 bits
    int cpu_index = 0;
    bool bsp = false;
    // Timer input clock: the core crystal (CPUID.15H:ECX, §3, §6 row 12: 25 MHz SKX/Denverton), or
    // e.g. 100'000'000 for a bus-clocked part (Nehalem-Broadwell).
    std::uint64_t timer_clock_hz = 25'000'000;
    bool has_cmci = false;                     // LVT CMCI present (MCG_CAP.CMCI_P); Version[23:16] = 6
    bool tsc_deadline_supported = true;        // CPUID.01H:ECX[24]; also needs bind_tsc()
    bool directed_eoi_supported = false;       // Version[24]: SVR[12] writable
    bool x2apic_supported = true;              // CPUID.01H:ECX[21]
    bool xapic_id_writable = false;            // pre-Nehalem behaviour
    bool lowest_priority_ipi_supported = true; // xAPIC mode only; x2APIC always refuses (check 35)
    std::uint8_t version = 0x14;               // Version[7:0]: integrated APIC (P4/Xeon; KVM reports 0x14)
    unsigned max_phys_addr_bits = 46;          // MAXPHYADDR for IA32_APIC_BASE reserved bits
    // §6 suggested defaults: "LAPIC register access 100 ns (xAPIC MMIO) and ~50 cycles (x2APIC MSR)".
    std::uint64_t xapic_mmio_access_ps = 100'000;
    std::uint64_t x2apic_msr_access_ps = 25'000; // 50 core cycles at 2 GHz
    // §6: "ICR delivery-status busy for the fabric latency" (fabric default 150 ns).
    std::uint64_t icr_busy_ps = 150'000;
    SoftwareDisabledFixedPolicy software_disabled_fixed = SoftwareDisabledFixedPolicy::Drop;
    ApicReenableState reenable_state = ApicReenableState::PowerUp;
    TimerDivideChangePolicy divide_change = TimerDivideChangePolicy::RescaleRemaining;
    TimerModeSwitchPolicy oneshot_periodic_switch = TimerModeSwitchPolicy::Disarm;
};

struct LapicStats {
    std::uint64_t accepted = 0;      // fixed/lowest-priority vectors put into IRR (coalesced included)
    std::uint64_t irr_coalesced = 0; // vector already pending in IRR: the edge merged (lost)
    std::uint64_t rejected = 0;      // fixed messages refused (illegal vector, software-disabled)
    std::uint64_t acknowledged = 0;  // INTA cycles that returned an IRR vector
    std::uint64_t extint_acknowledged = 0;
    std::uint64_t spurious = 0;       // INTA cycles answered with the SVR vector
    std::uint64_t eoi = 0;            // EOIs that cleared an ISR bit
    std::uint64_t eoi_empty = 0;      // EOIs with ISR empty (no effect)
    std::uint64_t eoi_broadcasts = 0; // level EOIs sent to the IOAPICs
    std::uint64_t ipis_sent = 0;
    std::uint64_t ipis_dropped = 0; // illegal/unsupported ICR or SELF IPI commands
    std::uint64_t nmi = 0;
    std::uint64_t smi = 0;
    std::uint64_t init = 0;
    std::uint64_t init_deasserts_ignored = 0;
    std::uint64_t startup = 0;
    std::uint64_t level_deasserts_ignored = 0;
    std::uint64_t timer_fires = 0;         // timer expiries that requested an interrupt
    std::uint64_t timer_first_fire_ps = 0; // simulated time of the first / last of them
    std::uint64_t timer_last_fire_ps = 0;
    std::uint64_t errors = 0; // ESR error events
    std::uint64_t error_interrupts = 0;
    std::uint64_t lvt_masked_events = 0; // local events suppressed by an LVT mask
    std::uint64_t lvt_invalid_mode = 0;  // local events with a reserved/disallowed delivery mode
    std::uint64_t msr_gp = 0;            // RDMSR/WRMSR answered with #GP
    std::uint64_t undecoded_mmio = 0;    // MMIO while the xAPIC window is not decoded
    std::uint64_t bad_inputs = 0;        // set_irq_input on an input other than 0/1
};

// Named registers plus IRR/ISR/TMR as 64-digit hex strings (vector 255 is the leftmost bit).
struct LapicStateDump {
    std::vector<std::pair<std::string, std::uint64_t>> registers;
    std::string irr;
    std::string isr;
    std::string tmr;
};

class Lapic : public sc_core::sc_module, public ApicBusTarget, public MmioDevice, public IrqLineSink {
  public:
    static constexpr std::uint32_t kMsrApicBase = 0x1B;
    static constexpr std::uint32_t kMsrTscDeadline = 0x6E0;
    static constexpr std::uint32_t kMsrX2apicFirst = 0x800;
    static constexpr std::uint32_t kMsrX2apicLast = 0xBFF; // architecturally reserved range (§1.2)
    static constexpr std::uint64_t kDefaultBase = 0xFEE0'0000ULL;
    static constexpr std::uint64_t kApicBaseBsp = 1ULL << 8;
    static constexpr std::uint64_t kApicBaseExtd = 1ULL << 10;
    static constexpr std::uint64_t kApicBaseEnable = 1ULL << 11;

    // ESR bits (§1.3.6).
    static constexpr std::uint32_t kEsrRedirectableIpi = 1U << 4;
    static constexpr std::uint32_t kEsrSendIllegalVector = 1U << 5;
    static constexpr std::uint32_t kEsrReceiveIllegalVector = 1U << 6;
    static constexpr std::uint32_t kEsrIllegalRegisterAddress = 1U << 7;

    // SIPI start address (§1.3.7: start IP = vector << 12).
    static constexpr std::uint64_t sipi_start_address(std::uint8_t vector) {
        return static_cast<std::uint64_t>(vector) << 12;
    }
    // Whether `index` is an MSR this model answers (IA32_APIC_BASE, TSC_DEADLINE, 0x800-0xBFF).
    static bool handles_msr(std::uint32_t index);

    SC_HAS_PROCESS(Lapic);
    Lapic(sc_core::sc_module_name name, const LapicConfig& config);

    // Wiring. Every pointer may be null (tests); a null TSC disables TSC-deadline mode.
    void bind_cpu(CpuInterruptPins* pins) { pins_ = pins; }
    void bind_bus(ApicBus* bus) { bus_ = bus; }
    void bind_tsc(Tsc* tsc);
    void set_extint_source(ExtIntSource* source) { extint_source_ = source; }
    void set_observer(InterruptPathObserver* observer) { observer_.set(observer); }
    // Called when the xAPIC window moves or starts/stops being decoded (for the platform's router).
    void set_base_listener(std::function<void(std::uint64_t base, bool decoded)> listener) {
        base_listener_ = std::move(listener);
    }

    // RESET (power-up values, §1.5) and INIT (same, keeping the APIC ID and IA32_APIC_BASE).
    void power_on_reset();
    void init_reset();

    // xAPIC MMIO window; `offset` relative to the APIC base. delay_ps = xapic_mmio_access_ps.
    MmioResult mmio_read(std::uint64_t offset, unsigned size, std::uint64_t& value) override;
    MmioResult mmio_write(std::uint64_t offset, unsigned size, std::uint64_t value) override;
    // MSRs: IA32_APIC_BASE, IA32_TSC_DEADLINE, x2APIC 0x800-0xBFF. false = #GP. The cost of the last
    // MMIO or MSR access is last_access_cost_ps() (x2apic_msr_access_ps for MSRs).
    bool rdmsr(std::uint32_t index, std::uint64_t& value);
    bool wrmsr(std::uint32_t index, std::uint64_t value);
    std::uint64_t last_access_cost_ps() const { return last_access_cost_ps_; }

    ApicMode mode() const { return mode_; }
    std::uint64_t apic_base_msr() const { return apic_base_; }
    std::uint64_t mmio_base() const { return apic_base_ & base_address_mask(); }
    bool mmio_decoded() const { return mode_ == ApicMode::XApic; }
    bool apic_present_cpuid() const { return mode_ != ApicMode::Disabled; } // CPUID.01H:EDX[9]
    bool software_enabled() const;
    bool tsc_deadline_available() const { return config_.tsc_deadline_supported && tsc_ != nullptr; }

    // CPU side: INTR level and the INTA cycle (§1.4 step 7). acknowledge() moves the highest
    // deliverable IRR vector to ISR and returns it, answers ExtINT through the ExtIntSource, or returns
    // the SVR spurious vector when nothing is deliverable any more.
    bool intr_pending() const { return intr_asserted_; }
    std::uint8_t acknowledge();
    // MOV to/from CR8 in 64-bit mode (§1.3.2): CR8[3:0] <-> TPR[7:4]; a write clears TPR[3:0].
    std::uint64_t read_cr8() const { return tpr() >> 4; }
    void write_cr8(std::uint64_t value);

    // LINT0 = input 0, LINT1 = input 1.
    void set_irq_input(unsigned input, bool asserted) override;
    // A local event of the thermal sensor, the performance counters (PMI) or machine check (CMCI).
    // The timer and error LVTs are driven internally; LINTs through set_irq_input.
    void raise_local_interrupt(LvtEntry entry);

    // ApicBusTarget
    std::uint32_t apic_id() const override;
    bool accepts_messages() const override { return mode_ != ApicMode::Disabled; }
    bool matches_destination(std::uint32_t destination, DestinationMode mode) const override;
    std::uint8_t arbitration_priority() const override;
    void accept(const InterruptRequest& request) override;

    // Inspection (no side effects).
    bool irr_bit(std::uint8_t vector) const { return test_bit(irr_, vector); }
    bool isr_bit(std::uint8_t vector) const { return test_bit(isr_, vector); }
    bool tmr_bit(std::uint8_t vector) const { return test_bit(tmr_, vector); }
    std::uint8_t tpr() const;
    std::uint8_t ppr() const;
    std::uint32_t lvt(LvtEntry entry) const;
    std::uint32_t timer_current_count() const;
    std::uint64_t tsc_deadline() const;
    // Next scheduled timer expiry in absolute ps (0: none scheduled).
    std::uint64_t next_timer_event_ps() const { return timer_event_scheduled_ ? timer_event_ps_ : 0; }
    const LapicConfig& config() const { return config_; }
    const LapicStats& stats() const { return stats_; }
    const RegisterBankStats& register_stats() const { return bank_.stats(); }
    std::uint64_t bad_accesses() const;

    // Counters (the platform prefixes "cpuN.lapic."): timer.fires, irr_coalesced, spurious, eoi,
    // accepted, ipis_sent, errors, bad_accesses, ...
    void report_metrics(MetricSink& sink) const;
    LapicStateDump dump() const;

  private:
    using VectorBits = std::array<std::uint32_t, 8>;

    // Register table (lapic_registers.cpp).
    struct X2apicRule {
        bool present = false;
        bool readable = false;
        bool writable = false;
        std::uint64_t writable_bits = 0; // WRMSR bits that may be 1 (others #GP) ...
        std::uint64_t ignored_bits = 0;  // ... except these read-only bits, tolerated and dropped
    };
    void build_register_table();
    void cache_register_pointers();
    X2apicRule x2apic_rule(std::uint32_t offset) const;
    bool x2apic_rdmsr(std::uint32_t index, std::uint64_t& value);
    bool x2apic_wrmsr(std::uint32_t index, std::uint64_t value);
    bool write_apic_base(std::uint64_t value);
    bool general_protection();

    // Register callbacks.
    std::uint64_t read_id() const;
    std::uint64_t read_icr_low() const;
    void write_tpr(std::uint64_t value);
    void write_svr(std::uint32_t old_value);
    void write_esr();
    void write_lvt(LvtEntry entry, std::uint32_t old_value); // after the store
    void write_icr_low(std::uint64_t value);

    // Acceptance, dispatch, EOI (lapic.cpp).
    bool accept_fixed(std::uint8_t vector, bool level, InterruptSourceKind source, std::uint64_t detail);
    int highest_deliverable() const;
    bool dispatch_allowed() const;
    bool extint_pending() const;
    void update_intr();
    void end_of_interrupt();
    void record_error(std::uint32_t esr_bits);
    void signal_core(DeliveryMode mode, std::uint8_t vector);
    void reset_state();
    void on_mode_change(ApicMode from, ApicMode to);
    void notify_base_listener();
    std::uint64_t base_address_mask() const;

    // LVT delivery (lapic_lvt.cpp).
    bool deliver_lvt(LvtEntry entry);
    void evaluate_lint(unsigned input, bool rising_edge);
    void mask_all_lvts();
    Register* lvt_register(LvtEntry entry) const { return lvt_regs_[static_cast<std::size_t>(entry)]; }

    // ICR / IPI (lapic_icr.cpp).
    void send_ipi(std::uint32_t command, std::uint32_t destination);
    void send_self_ipi(std::uint8_t vector);
    std::uint32_t x2apic_ldr() const;

    // Timer (lapic_timer.cpp).
    enum class TimerMode : std::uint8_t { OneShot = 0, Periodic = 1, TscDeadline = 2, Reserved = 3 };
    TimerMode timer_mode() const;
    static TimerMode timer_mode_of(std::uint32_t lvt_value);
    static std::uint32_t divisor_of(std::uint32_t tdcr);
    void write_initial_count(std::uint64_t value);
    void write_divide_config(std::uint64_t value);
    void write_tsc_deadline(std::uint64_t value);
    void on_timer_lvt_change(std::uint32_t old_value, std::uint32_t new_value);
    std::uint64_t decrements_at(std::uint64_t time_ps) const;
    std::uint32_t count_at(std::uint64_t time_ps, TimerMode mode) const;
    bool oneshot_expired_at(std::uint64_t time_ps) const;
    std::uint64_t next_expiry_after(std::uint64_t time_ps, TimerMode mode) const;
    void settle_masked_timer(TimerMode mode);
    void rebase_to_last_reload(std::uint64_t time_ps);
    void schedule_timer();
    void on_timer_event();
    void fire_timer();

    static bool test_bit(const VectorBits& bits, unsigned vector) {
        return (bits[vector >> 5] >> (vector & 31)) & 1U;
    }
    static void set_bit(VectorBits& bits, unsigned vector) { bits[vector >> 5] |= 1U << (vector & 31); }
    static void clear_bit(VectorBits& bits, unsigned vector) { bits[vector >> 5] &= ~(1U << (vector & 31)); }
    static int highest_bit(const VectorBits& bits);
    static std::string to_hex(const VectorBits& bits);

    void report_hop(HopKind kind, int vector, std::uint64_t detail = 0) const;

    LapicConfig config_;
    RegisterBank bank_;
    std::array<X2apicRule, 0x40> x2apic_rules_{}; // indexed by offset >> 4 (MSR - 0x800)

    // Hot registers, cached after the table is built (the bank's storage never moves afterwards).
    Register* id_reg_ = nullptr;
    Register* tpr_reg_ = nullptr;
    Register* ldr_reg_ = nullptr;
    Register* dfr_reg_ = nullptr;
    Register* svr_reg_ = nullptr;
    Register* esr_reg_ = nullptr;
    Register* icr_low_reg_ = nullptr;
    Register* icr_high_reg_ = nullptr;
    Register* tmict_reg_ = nullptr;
    Register* tdcr_reg_ = nullptr;
    std::array<Register*, static_cast<std::size_t>(LvtEntry::Count_)> lvt_regs_{};

    ApicMode mode_ = ApicMode::XApic;
    std::uint64_t apic_base_ = 0;
    VectorBits irr_{};
    VectorBits isr_{};
    VectorBits tmr_{};
    std::uint32_t esr_accumulated_ = 0;
    bool error_interrupt_armed_ = true;
    bool intr_asserted_ = false;
    bool extint_message_pending_ = false;
    std::array<bool, 2> lint_level_{};
    std::uint64_t icr_busy_until_ps_ = 0;
    std::uint64_t last_access_cost_ps_ = 0;

    // Timer: counting state of the current countdown segment (see lapic_timer.cpp).
    ClockDomain timer_clock_;
    bool counting_ = false;
    std::uint64_t count_base_ps_ = 0;        // time at which the segment started
    std::uint32_t count_base_remaining_ = 0; // count value at count_base_ps_
    std::uint32_t count_initial_ = 0;        // reload value (TMICT at start)
    std::uint32_t count_divisor_ = 2;        // divisor in effect for this segment
    std::uint64_t tsc_deadline_ = 0;
    sc_core::sc_event timer_event_;
    bool timer_event_scheduled_ = false;
    std::uint64_t timer_event_ps_ = 0;

    CpuInterruptPins* pins_ = nullptr;
    ApicBus* bus_ = nullptr;
    Tsc* tsc_ = nullptr;
    ExtIntSource* extint_source_ = nullptr;
    HopSink observer_;
    std::function<void(std::uint64_t, bool)> base_listener_;

    LapicStats stats_;
};

} // namespace x86sim::models
