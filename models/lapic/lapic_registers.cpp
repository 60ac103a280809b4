// The LAPIC register table and its two access paths: the xAPIC MMIO page and the x2APIC MSRs
// (lapic-pit-msi.md §1.1, §1.2, §1.6; §8 checks 1-5, 15, 36-40).
#include "models/common/time.h"
#include "models/lapic/lapic.h"
#include "models/lapic/lapic_layout.h"

#include <string>

namespace x86sim::models {

using namespace lapic_layout;

namespace {
constexpr std::uint64_t kLow32 = 0xFFFF'FFFFULL;
// x2APIC ICR: vector, mode, destination mode, level, trigger, shorthand, destination 63:32 (§1.3.7).
constexpr std::uint64_t kX2apicIcrWritable = 0xFFFF'FFFF'0000'0000ULL | kIcrWritable;

} // namespace

bool Lapic::handles_msr(std::uint32_t index) {
    return index == kMsrApicBase || index == kMsrTscDeadline ||
           (index >= kMsrX2apicFirst && index <= kMsrX2apicLast);
}

// One table: each row is the xAPIC register (RegisterSpec for the bank) plus its x2APIC rule.
void Lapic::build_register_table() {
    struct Row {
        RegisterSpec spec;
        X2apicRule x2apic;
        bool in_xapic_page = true;
    };
    const auto x2_read_only = X2apicRule{.present = true, .readable = true, .writable = false};
    const auto x2_absent = X2apicRule{};
    auto x2_read_write = [](std::uint64_t writable, std::uint64_t ignored = 0) {
        return X2apicRule{.present = true,
                          .readable = true,
                          .writable = true,
                          .writable_bits = writable,
                          .ignored_bits = ignored};
    };
    auto x2_write_only = [](std::uint64_t writable) {
        return X2apicRule{.present = true, .readable = false, .writable = true, .writable_bits = writable};
    };
    auto read_fn = [this](auto fn) { return [this, fn](Register&) -> std::uint64_t { return fn(); }; };

    const std::uint32_t lvt_count = config_.has_cmci ? 7 : 6;
    const std::uint32_t version =
        config_.version | ((lvt_count - 1) << 16) | (config_.directed_eoi_supported ? (1U << 24) : 0U);
    const std::uint32_t svr_writable = kSvrVectorMask | kSvrSoftwareEnable |
                                       (config_.directed_eoi_supported ? kSvrSuppressEoiBroadcast : 0U);
    const std::uint32_t timer_writable =
        kLvtTimerWritable | (config_.tsc_deadline_supported ? kLvtTimerDeadlineBit : 0U);

    auto lvt_row = [&](const char* name, std::uint32_t offset, LvtEntry entry, std::uint32_t writable,
                       std::uint32_t read_only_bits) {
        return Row{.spec = {.name = name,
                            .offset = offset,
                            .reset = kLvtReset,
                            .write_mask = writable,
                            .on_write =
                                [this, entry](Register& reg, std::uint64_t value, std::uint64_t mask) {
                                    const auto old = static_cast<std::uint32_t>(reg.value);
                                    reg.apply(value, mask);
                                    write_lvt(entry, old);
                                }},
                   .x2apic = x2_read_write(writable, read_only_bits)};
    };

    std::vector<Row> rows;
    rows.push_back(
        {.spec = {.name = "id",
                  .offset = kId,
                  .reset = (config_.apic_id & 0xFFU) << 24,
                  .access = config_.xapic_id_writable ? RegisterAccess::ReadWrite : RegisterAccess::ReadOnly,
                  .write_mask = 0xFF00'0000,
                  .on_read = read_fn([this] { return read_id(); })},
         .x2apic = x2_read_only});
    rows.push_back({.spec = {.name = "version",
                             .offset = kVersion,
                             .reset = version,
                             .access = RegisterAccess::ReadOnly},
                    .x2apic = x2_read_only});
    rows.push_back({.spec = {.name = "tpr",
                             .offset = kTpr,
                             .write_mask = 0xFF,
                             .on_write =
                                 [this](Register& reg, std::uint64_t value, std::uint64_t mask) {
                                     reg.apply(value, mask);
                                     write_tpr(value);
                                 }},
                    .x2apic = x2_read_write(0xFF)});
    // APR and RRD exist only on P6/Pentium: read 0, writes ignored without ESR bit 7 (SDM Table 10-1 note).
    rows.push_back(
        {.spec = {.name = "apr", .offset = kApr, .access = RegisterAccess::ReadOnly}, .x2apic = x2_absent});
    rows.push_back({.spec = {.name = "ppr",
                             .offset = kPpr,
                             .access = RegisterAccess::ReadOnly,
                             .on_read = read_fn([this] { return static_cast<std::uint64_t>(ppr()); })},
                    .x2apic = x2_read_only});
    rows.push_back(
        {.spec = {.name = "eoi",
                  .offset = kEoi,
                  .access = RegisterAccess::WriteOnly,
                  .write_mask = 0,
                  .on_write = [this](Register&, std::uint64_t, std::uint64_t) { end_of_interrupt(); }},
         .x2apic = x2_write_only(0)}); // x2APIC: only 0 may be written (check 37)
    rows.push_back(
        {.spec = {.name = "rrd", .offset = kRrd, .access = RegisterAccess::ReadOnly}, .x2apic = x2_absent});
    rows.push_back(
        {.spec = {.name = "ldr", .offset = kLdr, .write_mask = 0xFF00'0000}, .x2apic = x2_read_only});
    rows.push_back({.spec = {.name = "dfr", .offset = kDfr, .reset = 0xFFFF'FFFF, .write_mask = 0xF000'0000},
                    .x2apic = x2_absent});
    rows.push_back({.spec = {.name = "svr",
                             .offset = kSvr,
                             .reset = 0xFF,
                             .write_mask = svr_writable,
                             .on_write =
                                 [this](Register& reg, std::uint64_t value, std::uint64_t mask) {
                                     const auto old = static_cast<std::uint32_t>(reg.value);
                                     reg.apply(value, mask);
                                     write_svr(old);
                                 }},
                    .x2apic = x2_read_write(svr_writable)});
    for (std::uint32_t i = 0; i < 8; ++i) {
        rows.push_back(
            {.spec = {.name = "isr" + std::to_string(i),
                      .offset = kIsr + 0x10 * i,
                      .access = RegisterAccess::ReadOnly,
                      .on_read = read_fn([this, i] { return static_cast<std::uint64_t>(isr_[i]); })},
             .x2apic = x2_read_only});
        rows.push_back(
            {.spec = {.name = "tmr" + std::to_string(i),
                      .offset = kTmr + 0x10 * i,
                      .access = RegisterAccess::ReadOnly,
                      .on_read = read_fn([this, i] { return static_cast<std::uint64_t>(tmr_[i]); })},
             .x2apic = x2_read_only});
        rows.push_back(
            {.spec = {.name = "irr" + std::to_string(i),
                      .offset = kIrr + 0x10 * i,
                      .access = RegisterAccess::ReadOnly,
                      .on_read = read_fn([this, i] { return static_cast<std::uint64_t>(irr_[i]); })},
             .x2apic = x2_read_only});
    }
    rows.push_back({.spec = {.name = "esr",
                             .offset = kEsr,
                             .write_mask = 0,
                             .on_write = [this](Register&, std::uint64_t, std::uint64_t) { write_esr(); }},
                    .x2apic = x2_read_write(0)}); // x2APIC: only 0 may be written (check 37)
    if (config_.has_cmci) {
        rows.push_back(lvt_row("lvt_cmci", kLvtCmci, LvtEntry::Cmci, kLvtLocalWritable, kLvtDeliveryStatus));
    }
    rows.push_back({.spec = {.name = "icr_low",
                             .offset = kIcrLow,
                             .write_mask = kIcrWritable,
                             .on_read = read_fn([this] { return read_icr_low(); }),
                             .on_write =
                                 [this](Register& reg, std::uint64_t value, std::uint64_t mask) {
                                     reg.apply(value, mask);
                                     write_icr_low(value);
                                 }},
                    // Bit 12 (former delivery status) is ignored by Intel in x2APIC mode (§1.3.7).
                    .x2apic = x2_read_write(kX2apicIcrWritable, kIcrDeliveryStatus)});
    rows.push_back(
        {.spec = {.name = "icr_high", .offset = kIcrHigh, .write_mask = 0xFF00'0000}, .x2apic = x2_absent});
    rows.push_back(lvt_row("lvt_timer", kLvtTimer, LvtEntry::Timer, timer_writable, kLvtDeliveryStatus));
    rows.push_back(
        lvt_row("lvt_thermal", kLvtThermal, LvtEntry::Thermal, kLvtLocalWritable, kLvtDeliveryStatus));
    rows.push_back(
        lvt_row("lvt_perfmon", kLvtPerfMon, LvtEntry::PerfMon, kLvtLocalWritable, kLvtDeliveryStatus));
    rows.push_back(lvt_row("lvt_lint0", kLvtLint0, LvtEntry::Lint0, kLvtLintWritable,
                           kLvtDeliveryStatus | kLvtRemoteIrr));
    rows.push_back(lvt_row("lvt_lint1", kLvtLint1, LvtEntry::Lint1, kLvtLintWritable,
                           kLvtDeliveryStatus | kLvtRemoteIrr));
    rows.push_back(lvt_row("lvt_error", kLvtError, LvtEntry::Error, kLvtErrorWritable, kLvtDeliveryStatus));
    rows.push_back({.spec = {.name = "timer_initial_count",
                             .offset = kTimerInitialCount,
                             .write_mask = 0, // stored by write_initial_count (ignored in TSC-deadline mode)
                             .on_write = [this](Register&, std::uint64_t value,
                                                std::uint64_t) { write_initial_count(value); }},
                    .x2apic = x2_read_write(kLow32)});
    rows.push_back(
        {.spec = {.name = "timer_current_count",
                  .offset = kTimerCurrentCount,
                  .access = RegisterAccess::ReadOnly,
                  .on_read = read_fn([this] { return static_cast<std::uint64_t>(timer_current_count()); })},
         .x2apic = x2_read_only});
    rows.push_back({.spec = {.name = "timer_divide",
                             .offset = kTimerDivide,
                             .write_mask = kTimerDivideWritable,
                             .on_write = [this](Register&, std::uint64_t value,
                                                std::uint64_t) { write_divide_config(value); }},
                    .x2apic = x2_read_write(kTimerDivideWritable)});
    // SELF IPI: x2APIC only (reserved in the xAPIC page), write-only, vector in 7:0 (§1.6).
    rows.push_back({.spec = {.name = "self_ipi", .offset = kSelfIpi},
                    .x2apic = x2_write_only(0xFF),
                    .in_xapic_page = false});

    for (auto& row : rows) {
        x2apic_rules_[row.spec.offset >> 4] = row.x2apic;
        if (row.in_xapic_page) {
            bank_.add(std::move(row.spec));
        }
    }
}

void Lapic::cache_register_pointers() {
    id_reg_ = bank_.find(kId);
    tpr_reg_ = bank_.find(kTpr);
    ldr_reg_ = bank_.find(kLdr);
    dfr_reg_ = bank_.find(kDfr);
    svr_reg_ = bank_.find(kSvr);
    esr_reg_ = bank_.find(kEsr);
    icr_low_reg_ = bank_.find(kIcrLow);
    icr_high_reg_ = bank_.find(kIcrHigh);
    tmict_reg_ = bank_.find(kTimerInitialCount);
    tdcr_reg_ = bank_.find(kTimerDivide);
    lvt_regs_[static_cast<std::size_t>(LvtEntry::Cmci)] = config_.has_cmci ? bank_.find(kLvtCmci) : nullptr;
    lvt_regs_[static_cast<std::size_t>(LvtEntry::Timer)] = bank_.find(kLvtTimer);
    lvt_regs_[static_cast<std::size_t>(LvtEntry::Thermal)] = bank_.find(kLvtThermal);
    lvt_regs_[static_cast<std::size_t>(LvtEntry::PerfMon)] = bank_.find(kLvtPerfMon);
    lvt_regs_[static_cast<std::size_t>(LvtEntry::Lint0)] = bank_.find(kLvtLint0);
    lvt_regs_[static_cast<std::size_t>(LvtEntry::Lint1)] = bank_.find(kLvtLint1);
    lvt_regs_[static_cast<std::size_t>(LvtEntry::Error)] = bank_.find(kLvtError);
}

Lapic::X2apicRule Lapic::x2apic_rule(std::uint32_t offset) const {
    const auto slot = offset >> 4;
    return slot < x2apic_rules_.size() ? x2apic_rules_[slot] : X2apicRule{};
}

// ---- register callbacks ------------------------------------------------------------------------

std::uint64_t Lapic::read_id() const {
    // x2APIC: the full 32-bit ID (§1.3.1); xAPIC: ID in bits 31:24 (possibly software-written).
    return mode_ == ApicMode::X2Apic ? config_.apic_id : id_reg_->value;
}

std::uint64_t Lapic::read_icr_low() const {
    std::uint64_t value = icr_low_reg_->value;
    // §1.3.7: a timing model holds delivery status = 1 for the send latency (xAPIC only).
    if (mode_ == ApicMode::XApic && now_ps() < icr_busy_until_ps_) {
        value |= kIcrDeliveryStatus;
    }
    return value;
}

void Lapic::write_tpr(std::uint64_t) {
    // Lowering TPR can make an IRR vector deliverable at once; raising it deasserts INTR (§1.4).
    update_intr();
}

void Lapic::write_svr(std::uint32_t old_value) {
    const bool was_enabled = (old_value & kSvrSoftwareEnable) != 0;
    if (was_enabled && !software_enabled()) {
        mask_all_lvts(); // §1.3.5: every LVT mask is forced to 1 while software-disabled
    }
    update_intr();
}

void Lapic::write_esr() {
    // §1.3.6: the write copies the accumulated errors into the readable ESR, clears the accumulator
    // and re-arms the error interrupt.
    esr_reg_->value = esr_accumulated_;
    esr_accumulated_ = 0;
    error_interrupt_armed_ = true;
}

// ---- xAPIC MMIO --------------------------------------------------------------------------------

MmioResult Lapic::mmio_read(std::uint64_t offset, unsigned size, std::uint64_t& value) {
    last_access_cost_ps_ = config_.xapic_mmio_access_ps;
    MmioResult result{.status = AccessStatus::Ok, .delay_ps = config_.xapic_mmio_access_ps};
    if (!mmio_decoded()) {
        value = size >= 8 ? ~0ULL : ((1ULL << (size * 8)) - 1);
        ++stats_.undecoded_mmio;
        result.status = AccessStatus::Unmapped;
        return result;
    }
    result.status = bank_.read(offset, size, value);
    if (result.status == AccessStatus::Unmapped) {
        record_error(kEsrIllegalRegisterAddress);
    }
    return result;
}

MmioResult Lapic::mmio_write(std::uint64_t offset, unsigned size, std::uint64_t value) {
    last_access_cost_ps_ = config_.xapic_mmio_access_ps;
    MmioResult result{.status = AccessStatus::Ok, .delay_ps = config_.xapic_mmio_access_ps};
    if (!mmio_decoded()) {
        ++stats_.undecoded_mmio;
        result.status = AccessStatus::Unmapped;
        return result;
    }
    result.status = bank_.write(offset, size, value);
    if (result.status == AccessStatus::Unmapped) {
        record_error(kEsrIllegalRegisterAddress);
    }
    return result;
}

// ---- MSRs --------------------------------------------------------------------------------------

bool Lapic::general_protection() {
    ++stats_.msr_gp;
    return false;
}

bool Lapic::rdmsr(std::uint32_t index, std::uint64_t& value) {
    last_access_cost_ps_ = config_.x2apic_msr_access_ps;
    value = 0;
    if (index == kMsrApicBase) {
        value = apic_base_;
        return true;
    }
    if (index == kMsrTscDeadline) {
        if (!tsc_deadline_available()) {
            return general_protection();
        }
        value = tsc_deadline();
        return true;
    }
    if (index >= kMsrX2apicFirst && index <= kMsrX2apicLast) {
        if (mode_ != ApicMode::X2Apic) {
            return general_protection(); // x2APIC MSRs exist only in x2APIC mode
        }
        return x2apic_rdmsr(index, value);
    }
    return general_protection();
}

bool Lapic::wrmsr(std::uint32_t index, std::uint64_t value) {
    last_access_cost_ps_ = config_.x2apic_msr_access_ps;
    if (index == kMsrApicBase) {
        return write_apic_base(value);
    }
    if (index == kMsrTscDeadline) {
        if (!tsc_deadline_available()) {
            return general_protection();
        }
        write_tsc_deadline(value);
        return true;
    }
    if (index >= kMsrX2apicFirst && index <= kMsrX2apicLast) {
        if (mode_ != ApicMode::X2Apic) {
            return general_protection();
        }
        return x2apic_wrmsr(index, value);
    }
    return general_protection();
}

bool Lapic::x2apic_rdmsr(std::uint32_t index, std::uint64_t& value) {
    const auto offset = (index - kMsrX2apicFirst) << 4;
    const auto rule = x2apic_rule(offset);
    if (!rule.present || !rule.readable) {
        return general_protection(); // absent registers and write-only EOI / SELF IPI (§1.2)
    }
    if (offset == kIcrLow) {
        // 64-bit ICR, destination in 63:32; no delivery-status bit in x2APIC mode (check 39).
        value = (icr_high_reg_->value << 32) | icr_low_reg_->value;
        return true;
    }
    std::uint64_t read = 0;
    bank_.read(offset, 4, read);
    value = read & kLow32;
    return true;
}

bool Lapic::x2apic_wrmsr(std::uint32_t index, std::uint64_t value) {
    const auto offset = (index - kMsrX2apicFirst) << 4;
    const auto rule = x2apic_rule(offset);
    if (!rule.present || !rule.writable) {
        return general_protection(); // absent and read-only registers (checks 4, 5, 36)
    }
    if ((value & ~(rule.writable_bits | rule.ignored_bits)) != 0) {
        return general_protection(); // reserved bits, non-zero EOI/ESR (check 37), bit 18 without
                                     // TSC-deadline
    }
    value &= ~rule.ignored_bits;
    switch (offset) {
    case kIcrLow:
        icr_high_reg_->value = value >> 32;
        icr_low_reg_->value = value & kIcrWritable;
        send_ipi(static_cast<std::uint32_t>(icr_low_reg_->value), static_cast<std::uint32_t>(value >> 32));
        return true;
    case kSelfIpi:
        send_self_ipi(static_cast<std::uint8_t>(value));
        return true;
    case kLvtTimer:
        if (timer_mode_of(static_cast<std::uint32_t>(value)) == TimerMode::Reserved) {
            return general_protection(); // timer mode 11b is reserved
        }
        break;
    default:
        break;
    }
    bank_.write(offset, 4, value);
    return true;
}

// ---- IA32_APIC_BASE (§1.1) ---------------------------------------------------------------------

std::uint64_t Lapic::base_address_mask() const {
    const auto phys_mask =
        config_.max_phys_addr_bits >= 64 ? ~0ULL : ((1ULL << config_.max_phys_addr_bits) - 1);
    return phys_mask & ~0xFFFULL;
}

bool Lapic::write_apic_base(std::uint64_t value) {
    // Reserved: bits 7:0, 9 and MAXPHYADDR and above. Bit 8 (BSP) is set by hardware: writes ignored.
    const std::uint64_t reserved = ~(base_address_mask() | kApicBaseBsp | kApicBaseExtd | kApicBaseEnable);
    if ((value & reserved) != 0) {
        return general_protection();
    }
    const bool enable = (value & kApicBaseEnable) != 0;
    const bool extd = (value & kApicBaseExtd) != 0;
    if (extd && !config_.x2apic_supported) {
        return general_protection();
    }
    if (!enable && extd) {
        return general_protection(); // (EN, EXTD) = (0, 1) is invalid
    }
    const ApicMode target = !enable ? ApicMode::Disabled : (extd ? ApicMode::X2Apic : ApicMode::XApic);
    if (mode_ == ApicMode::X2Apic && target == ApicMode::XApic) {
        return general_protection(); // must pass through disabled (check 40)
    }
    if (mode_ == ApicMode::Disabled && target == ApicMode::X2Apic) {
        return general_protection();
    }
    const auto old_base = mmio_base();
    const auto old_mode = mode_;
    apic_base_ = (value & ~kApicBaseBsp) | (config_.bsp ? kApicBaseBsp : 0);
    mode_ = target;
    if (old_mode != target) {
        on_mode_change(old_mode, target);
    }
    if (old_mode != target || old_base != mmio_base()) {
        notify_base_listener();
    }
    return true;
}

void Lapic::notify_base_listener() {
    if (base_listener_) {
        base_listener_(mmio_base(), mmio_decoded());
    }
}

} // namespace x86sim::models
