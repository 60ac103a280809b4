// LAPIC core: reset and mode transitions (§1.1, §1.5), acceptance, priority and dispatch (§1.4),
// EOI (§1.3.3), error latching (§1.3.6), metrics and the debugger dump.
#include "models/lapic/lapic.h"

#include "models/common/time.h"
#include "models/lapic/lapic_layout.h"
#include "models/tsc/tsc.h"

#include <bit>
#include <cstdio>

namespace x86sim::models {

using namespace lapic_layout;

namespace {
RegisterBank::Options xapic_bank_options() {
    RegisterBank::Options options;
    options.unmapped_fill = 0;
    options.require_natural_alignment = true;
    options.allowed_sizes = 0b0100; // aligned 32-bit accesses only (§1.2)
    return options;
}
} // namespace

Lapic::Lapic(sc_core::sc_module_name name, const LapicConfig& config)
    : sc_module(name), config_(config), bank_(std::string(this->name()) + ".regs", xapic_bank_options()),
      timer_clock_(std::string(this->name()) + ".timer", config.timer_clock_hz) {
    build_register_table();
    cache_register_pointers();
    SC_METHOD(on_timer_event);
    sensitive << timer_event_;
    dont_initialize();
    power_on_reset();
}

void Lapic::bind_tsc(Tsc* tsc) {
    tsc_ = tsc;
    if (tsc_ != nullptr) {
        // A write to IA32_TSC moves every deadline in simulated time.
        tsc_->add_write_listener([this] {
            if (timer_mode() == TimerMode::TscDeadline) {
                schedule_timer();
            }
        });
    }
}

// ---- reset and modes ---------------------------------------------------------------------------

void Lapic::power_on_reset() {
    apic_base_ = kDefaultBase | kApicBaseEnable | (config_.bsp ? kApicBaseBsp : 0);
    mode_ = ApicMode::XApic;
    reset_state();
    notify_base_listener();
}

void Lapic::init_reset() {
    // §1.5: INIT = RESET values except the APIC ID and IA32_APIC_BASE (so the mode is kept).
    const auto id = id_reg_->value;
    reset_state();
    id_reg_->value = id;
}

void Lapic::reset_state() {
    bank_.reset();
    irr_ = {};
    isr_ = {};
    tmr_ = {};
    esr_accumulated_ = 0;
    error_interrupt_armed_ = true;
    extint_message_pending_ = false;
    icr_busy_until_ps_ = 0;
    counting_ = false;
    count_divisor_ = divisor_of(static_cast<std::uint32_t>(tdcr_reg_->value));
    tsc_deadline_ = 0;
    timer_event_.cancel();
    timer_event_scheduled_ = false;
    if (mode_ == ApicMode::X2Apic) {
        ldr_reg_->value = x2apic_ldr();
    }
    update_intr();
}

void Lapic::on_mode_change(ApicMode from, ApicMode to) {
    switch (to) {
    case ApicMode::Disabled:
        // §1.1 / §9: the SDM says state *may* return to power-up values; see LapicConfig::reenable_state.
        if (config_.reenable_state == ApicReenableState::PowerUp) {
            reset_state();
        } else {
            timer_event_.cancel();
            timer_event_scheduled_ = false;
        }
        break;
    case ApicMode::XApic:
        // From disabled only. SDM 10.12.5: only the x2APIC ID survives x2APIC -> disabled -> xAPIC.
        id_reg_->value = (config_.apic_id & 0xFFU) << 24;
        if ((ldr_reg_->value & 0x00FF'FFFFULL) != 0) {
            ldr_reg_->value = 0; // a derived x2APIC LDR kept by the Preserve choice is not an xAPIC LDR
        }
        schedule_timer();
        break;
    case ApicMode::X2Apic:
        // From xAPIC only. SDM 10.12.5: LDR re-derived, written xAPIC ID discarded, ICR high not kept.
        id_reg_->value = (config_.apic_id & 0xFFU) << 24;
        ldr_reg_->value = x2apic_ldr();
        icr_high_reg_->value = 0;
        break;
    }
    (void)from;
    update_intr();
}

bool Lapic::software_enabled() const {
    return (svr_reg_->value & kSvrSoftwareEnable) != 0;
}

// ---- priorities --------------------------------------------------------------------------------

int Lapic::highest_bit(const VectorBits& bits) {
    // Two 32-bit register words at a time: this runs several times per interrupt (PPR, dispatch).
    for (int pair = 3; pair >= 0; --pair) {
        const auto index = static_cast<std::size_t>(pair * 2);
        const std::uint64_t value = static_cast<std::uint64_t>(bits[index + 1]) << 32 | bits[index];
        if (value != 0) {
            return pair * 64 + 63 - std::countl_zero(value);
        }
    }
    return -1;
}

std::uint8_t Lapic::tpr() const {
    return static_cast<std::uint8_t>(tpr_reg_->value & 0xFF);
}

std::uint8_t Lapic::ppr() const {
    // §1.3.2: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0 (TPR[3:0] kept on equality).
    const int isrv = highest_bit(isr_);
    const std::uint8_t isr_class = isrv < 0 ? 0 : static_cast<std::uint8_t>(isrv & 0xF0);
    const std::uint8_t task = tpr();
    return (task & 0xF0) >= isr_class ? task : isr_class;
}

void Lapic::write_cr8(std::uint64_t value) {
    tpr_reg_->value = (value & 0xF) << 4;
    update_intr();
}

int Lapic::highest_deliverable() const {
    // §1.4 step 6: the highest IRR vector is deliverable iff its class is above PPR's class.
    const int vector = highest_bit(irr_);
    if (vector >= 0 && (vector & 0xF0) > (ppr() & 0xF0)) {
        return vector;
    }
    return -1;
}

bool Lapic::dispatch_allowed() const {
    if (mode_ == ApicMode::Disabled) {
        return false;
    }
    return software_enabled() ||
           config_.software_disabled_fixed != SoftwareDisabledFixedPolicy::LatchWithoutDispatch;
}

bool Lapic::extint_pending() const {
    if (mode_ == ApicMode::Disabled) {
        return false;
    }
    if (extint_message_pending_) {
        return true;
    }
    if (!lint_level_[0] && !lint_level_[1]) {
        return false; // the common case: no LINT input is high (runs on every INTR re-evaluation)
    }
    for (unsigned input = 0; input < 2; ++input) {
        const auto value = lvt_register(input == 0 ? LvtEntry::Lint0 : LvtEntry::Lint1)->value;
        const auto mode = static_cast<DeliveryMode>((value >> kLvtDeliveryModeShift) & 7);
        if ((value & kLvtMasked) == 0 && mode == DeliveryMode::ExtInt && lint_level_[input]) {
            return true; // ExtINT is level-sensitive: pending while the 8259's INT output is high
        }
    }
    return false;
}

void Lapic::update_intr() {
    const bool asserted = (dispatch_allowed() && highest_deliverable() >= 0) || extint_pending();
    if (asserted != intr_asserted_) {
        intr_asserted_ = asserted;
        if (pins_ != nullptr) {
            pins_->intr_changed(asserted);
        }
    }
}

std::uint8_t Lapic::arbitration_priority() const {
    // P4-class APICs arbitrate lowest-priority delivery on TPR (§1.3.2); a software-disabled APIC
    // would drop the message, so it only wins when nobody else matches.
    return software_enabled() ? tpr() : 0xFF;
}

// ---- acceptance (§1.4) -------------------------------------------------------------------------

void Lapic::accept(const InterruptRequest& request) {
    if (mode_ == ApicMode::Disabled) {
        return;
    }
    switch (request.delivery) {
    case DeliveryMode::Fixed:
    case DeliveryMode::LowestPriority:
        if (request.trigger == TriggerMode::Level && !request.level_asserted) {
            ++stats_.level_deasserts_ignored; // a level de-assert message carries no interrupt
            return;
        }
        accept_fixed(request.vector, request.trigger == TriggerMode::Level, request.source_kind,
                     request.source_id);
        return;
    case DeliveryMode::Init:
        if (request.trigger == TriggerMode::Level && !request.level_asserted) {
            ++stats_.init_deasserts_ignored; // INIT level de-assert: no effect on P4-class (check 31)
            return;
        }
        init_reset();
        signal_core(DeliveryMode::Init, 0);
        return;
    case DeliveryMode::Nmi:
    case DeliveryMode::Smi:
    case DeliveryMode::StartUp:
        signal_core(request.delivery, request.vector);
        return;
    case DeliveryMode::ExtInt:
        extint_message_pending_ = true;
        update_intr();
        return;
    case DeliveryMode::Reserved3:
        break;
    }
    ++stats_.rejected;
    report_hop(HopKind::Rejected, request.vector, static_cast<std::uint64_t>(request.delivery));
}

bool Lapic::accept_fixed(std::uint8_t vector, bool level, InterruptSourceKind source, std::uint64_t detail) {
    if (mode_ == ApicMode::Disabled) {
        return false;
    }
    if (!software_enabled() && config_.software_disabled_fixed == SoftwareDisabledFixedPolicy::Drop) {
        ++stats_.rejected; // §1.4 step 3 (KVM's choice; see LapicConfig)
        report_hop(HopKind::Rejected, vector, detail);
        return false;
    }
    if (vector < 16) {
        // §1.3.6 bit 6: received illegal vector; no IRR bit 0-15 is ever set.
        ++stats_.rejected;
        report_hop(HopKind::Rejected, vector, detail);
        record_error(kEsrReceiveIllegalVector);
        return false;
    }
    ++stats_.accepted;
    if (test_bit(irr_, vector)) {
        ++stats_.irr_coalesced; // §1.4 step 5: merges with the pending one
        report_hop(HopKind::Coalesced, vector, detail);
    } else {
        set_bit(irr_, vector);
        report_hop(HopKind::IrrSet, vector, detail);
    }
    if (level) {
        set_bit(tmr_, vector);
    } else {
        clear_bit(tmr_, vector);
    }
    (void)source;
    update_intr();
    return true;
}

void Lapic::signal_core(DeliveryMode mode, std::uint8_t vector) {
    switch (mode) {
    case DeliveryMode::Nmi:
        ++stats_.nmi;
        report_hop(HopKind::Nmi, -1);
        if (pins_ != nullptr) {
            pins_->nmi();
        }
        break;
    case DeliveryMode::Smi:
        ++stats_.smi;
        if (pins_ != nullptr) {
            pins_->smi();
        }
        break;
    case DeliveryMode::Init:
        ++stats_.init;
        report_hop(HopKind::Init, -1);
        if (pins_ != nullptr) {
            pins_->init();
        }
        break;
    case DeliveryMode::StartUp:
        ++stats_.startup;
        report_hop(HopKind::StartUp, vector, sipi_start_address(vector));
        if (pins_ != nullptr) {
            pins_->startup(vector);
        }
        break;
    default:
        break;
    }
}

// ---- INTA and EOI ------------------------------------------------------------------------------

std::uint8_t Lapic::acknowledge() {
    if (extint_pending()) {
        // ExtINT bypasses IRR/ISR/TPR: the 8259 supplies the vector in its INTA cycle (§1.3.8).
        extint_message_pending_ = false;
        const std::uint8_t vector = extint_source_ != nullptr
                                        ? extint_source_->acknowledge_extint()
                                        : static_cast<std::uint8_t>(svr_reg_->value & kSvrVectorMask);
        ++stats_.extint_acknowledged;
        report_hop(HopKind::Acknowledge, vector, 1);
        update_intr();
        return vector;
    }
    const int vector = dispatch_allowed() ? highest_deliverable() : -1;
    if (vector < 0) {
        // §1.4 step 7: nothing deliverable any more (TPR raised after INTR): spurious vector,
        // IRR and ISR unchanged.
        const auto spurious = static_cast<std::uint8_t>(svr_reg_->value & kSvrVectorMask);
        ++stats_.spurious;
        report_hop(HopKind::Spurious, spurious);
        update_intr();
        return spurious;
    }
    clear_bit(irr_, static_cast<unsigned>(vector));
    set_bit(isr_, static_cast<unsigned>(vector));
    ++stats_.acknowledged;
    report_hop(HopKind::Acknowledge, vector);
    update_intr();
    return static_cast<std::uint8_t>(vector);
}

void Lapic::end_of_interrupt() {
    // §1.3.3: clears the highest-priority ISR bit; no effect when ISR is empty.
    const int vector = highest_bit(isr_);
    if (vector < 0) {
        ++stats_.eoi_empty;
        return;
    }
    clear_bit(isr_, static_cast<unsigned>(vector));
    ++stats_.eoi;
    report_hop(HopKind::Eoi, vector);
    if (test_bit(tmr_, static_cast<unsigned>(vector))) {
        // Level-triggered LINT: clear Remote IRR of the LVT carrying this vector (check 42).
        std::array<bool, 2> reevaluate{};
        for (unsigned input = 0; input < 2; ++input) {
            auto* reg = lvt_register(input == 0 ? LvtEntry::Lint0 : LvtEntry::Lint1);
            if ((reg->value & kLvtRemoteIrr) != 0 &&
                (reg->value & kLvtVectorMask) == static_cast<unsigned>(vector)) {
                reg->value &= ~static_cast<std::uint64_t>(kLvtRemoteIrr);
                reevaluate[input] = true;
            }
        }
        if ((svr_reg_->value & kSvrSuppressEoiBroadcast) == 0) {
            ++stats_.eoi_broadcasts;
            if (bus_ != nullptr) {
                bus_->broadcast_eoi(static_cast<std::uint8_t>(vector));
            }
        }
        for (unsigned input = 0; input < 2; ++input) {
            if (reevaluate[input]) {
                evaluate_lint(input, false); // a still-asserted level line is delivered again
            }
        }
    }
    update_intr();
}

// ---- errors (§1.3.6) ---------------------------------------------------------------------------

void Lapic::record_error(std::uint32_t esr_bits) {
    esr_accumulated_ |= esr_bits;
    ++stats_.errors;
    if (!error_interrupt_armed_ || mode_ == ApicMode::Disabled) {
        return;
    }
    const auto lvt_error = lvt_register(LvtEntry::Error)->value;
    if ((lvt_error & kLvtMasked) != 0) {
        return; // recorded, no interrupt (errors are recorded while LVT Error is masked)
    }
    error_interrupt_armed_ = false; // re-armed by the next ESR write
    ++stats_.error_interrupts;
    accept_fixed(static_cast<std::uint8_t>(lvt_error & kLvtVectorMask), false,
                 InterruptSourceKind::LocalVector, esr_bits);
}

// ---- observability -----------------------------------------------------------------------------

void Lapic::report_hop(HopKind kind, int vector, std::uint64_t detail) const {
    if (!observer_.wants(kind)) {
        return;
    }
    InterruptHop hop;
    hop.time_ps = now_ps();
    hop.kind = kind;
    hop.cpu = config_.cpu_index;
    hop.vector = vector;
    hop.source = name();
    hop.detail = detail;
    observer_.send(hop);
}

std::uint32_t Lapic::lvt(LvtEntry entry) const {
    const auto* reg = lvt_register(entry);
    return reg != nullptr ? static_cast<std::uint32_t>(reg->value) : 0;
}

std::uint64_t Lapic::bad_accesses() const {
    const auto& bank = bank_.stats();
    return bank.unmapped + bank.read_only_writes + bank.write_only_reads + bank.bad_size + bank.misaligned +
           stats_.msr_gp + stats_.undecoded_mmio;
}

void Lapic::report_metrics(MetricSink& sink) const {
    sink.counter("timer.fires", stats_.timer_fires);
    if (stats_.timer_fires > 0) {
        sink.gauge("timer.first_fire", static_cast<double>(stats_.timer_first_fire_ps) / 1e12);
        sink.gauge("timer.last_fire", static_cast<double>(stats_.timer_last_fire_ps) / 1e12);
    }
    sink.counter("irr_coalesced", stats_.irr_coalesced);
    sink.counter("spurious", stats_.spurious);
    sink.counter("eoi", stats_.eoi);
    sink.counter("eoi_empty", stats_.eoi_empty);
    sink.counter("eoi_broadcasts", stats_.eoi_broadcasts);
    sink.counter("accepted", stats_.accepted);
    sink.counter("rejected", stats_.rejected);
    sink.counter("acknowledged", stats_.acknowledged);
    sink.counter("extint_acknowledged", stats_.extint_acknowledged);
    sink.counter("ipis_sent", stats_.ipis_sent);
    sink.counter("ipis_dropped", stats_.ipis_dropped);
    sink.counter("nmi", stats_.nmi);
    sink.counter("smi", stats_.smi);
    sink.counter("init", stats_.init);
    sink.counter("startup", stats_.startup);
    sink.counter("errors", stats_.errors);
    sink.counter("error_interrupts", stats_.error_interrupts);
    sink.counter("lvt_masked_events", stats_.lvt_masked_events);
    sink.counter("bad_accesses", bad_accesses());
    sink.counter("msr_gp", stats_.msr_gp);
    sink.counter("undecoded_mmio", stats_.undecoded_mmio);
    sink.counter("lvt_invalid_mode", stats_.lvt_invalid_mode);
    sink.counter("init_deasserts_ignored", stats_.init_deasserts_ignored);
    sink.counter("level_deasserts_ignored", stats_.level_deasserts_ignored);
    sink.counter("bad_inputs", stats_.bad_inputs);
}

std::string Lapic::to_hex(const VectorBits& bits) {
    std::string text;
    text.reserve(64);
    char word[9];
    for (int index = 7; index >= 0; --index) {
        std::snprintf(word, sizeof word, "%08x", bits[static_cast<std::size_t>(index)]);
        text += word;
    }
    return text;
}

LapicStateDump Lapic::dump() const {
    LapicStateDump state;
    auto add = [&](const char* name, std::uint64_t value) { state.registers.emplace_back(name, value); };
    add("apic_base", apic_base_);
    add("mode", static_cast<std::uint64_t>(mode_));
    add("id", read_id());
    for (const auto& reg : bank_.registers()) {
        const auto offset = reg.spec.offset;
        if (offset == kId || (offset >= kIsr && offset < kEsr)) {
            continue; // ID above; ISR/TMR/IRR as hex strings below
        }
        if (offset == kPpr) {
            add("ppr", ppr());
        } else if (offset == kTimerCurrentCount) {
            add("timer_current_count", timer_current_count());
        } else {
            state.registers.emplace_back(reg.spec.name, reg.value);
        }
    }
    add("esr_accumulated", esr_accumulated_);
    add("tsc_deadline", tsc_deadline_);
    add("intr", intr_asserted_ ? 1 : 0);
    add("next_timer_event_ps", next_timer_event_ps());
    state.irr = to_hex(irr_);
    state.isr = to_hex(isr_);
    state.tmr = to_hex(tmr_);
    return state;
}

} // namespace x86sim::models
