// Local vector table delivery: LVT writes, LINT0/LINT1 inputs, thermal/PMI/CMCI events
// (lapic-pit-msi.md §1.3.5, §1.3.8; §8 checks 16, 42).
#include "models/lapic/lapic.h"
#include "models/lapic/lapic_layout.h"

namespace x86sim::models {

using namespace lapic_layout;

namespace {
LvtEntry lint_entry(unsigned input) {
    return input == 0 ? LvtEntry::Lint0 : LvtEntry::Lint1;
}
bool is_lint(LvtEntry entry) {
    return entry == LvtEntry::Lint0 || entry == LvtEntry::Lint1;
}
} // namespace

void Lapic::write_lvt(LvtEntry entry, std::uint32_t old_value) {
    Register* reg = lvt_register(entry);
    if (!software_enabled()) {
        reg->value |= kLvtMasked; // §1.3.5: the mask cannot be cleared while software-disabled
    }
    if (entry == LvtEntry::Timer) {
        if (timer_mode_of(static_cast<std::uint32_t>(reg->value)) == TimerMode::Reserved) {
            // Mode 11b is reserved: an xAPIC write keeps the previous mode (x2APIC #GPs earlier).
            reg->value = (reg->value & ~static_cast<std::uint64_t>(kLvtTimerModeBits)) |
                         (old_value & kLvtTimerModeBits);
        }
        on_timer_lvt_change(old_value, static_cast<std::uint32_t>(reg->value));
        return;
    }
    if (is_lint(entry)) {
        const auto value = static_cast<std::uint32_t>(reg->value);
        const bool level_fixed =
            ((value >> kLvtDeliveryModeShift) & 7) == 0 && (value & kLvtLevelTrigger) != 0;
        if (!level_fixed) {
            reg->value &= ~static_cast<std::uint64_t>(kLvtRemoteIrr); // no level handshake any more
        }
        evaluate_lint(entry == LvtEntry::Lint0 ? 0 : 1, false);
    }
    update_intr();
}

void Lapic::mask_all_lvts() {
    for (auto* reg : lvt_regs_) {
        if (reg != nullptr) {
            reg->value |= kLvtMasked;
        }
    }
    timer_event_.cancel(); // a masked timer schedules nothing (counting continues lazily)
    timer_event_scheduled_ = false;
}

void Lapic::raise_local_interrupt(LvtEntry entry) {
    const bool local = entry == LvtEntry::Thermal || entry == LvtEntry::PerfMon ||
                       (entry == LvtEntry::Cmci && config_.has_cmci);
    if (!local) {
        ++stats_.bad_inputs;
        return;
    }
    deliver_lvt(entry);
}

bool Lapic::deliver_lvt(LvtEntry entry) {
    if (mode_ == ApicMode::Disabled) {
        return false;
    }
    Register* reg = lvt_register(entry);
    const auto value = static_cast<std::uint32_t>(reg->value);
    if ((value & kLvtMasked) != 0) {
        ++stats_.lvt_masked_events;
        return false;
    }
    const auto vector = static_cast<std::uint8_t>(value & kLvtVectorMask);
    // Timer and Error are fixed-only (§1.3.8).
    const auto mode = (entry == LvtEntry::Timer || entry == LvtEntry::Error)
                          ? DeliveryMode::Fixed
                          : static_cast<DeliveryMode>((value >> kLvtDeliveryModeShift) & 7);
    switch (mode) {
    case DeliveryMode::Fixed:
        accept_fixed(vector, false, InterruptSourceKind::LocalVector, static_cast<std::uint64_t>(entry));
        break;
    case DeliveryMode::Nmi:
    case DeliveryMode::Smi:
        signal_core(mode, vector);
        break;
    case DeliveryMode::Init:
        if (!is_lint(entry)) {
            ++stats_.lvt_invalid_mode; // INIT is not allowed for thermal/PMI/CMCI
            return false;
        }
        init_reset();
        signal_core(DeliveryMode::Init, 0);
        return true;
    default:
        // 001, 011, 110 reserved; ExtINT only through LINT (handled as a level in evaluate_lint).
        ++stats_.lvt_invalid_mode;
        return false;
    }
    if (entry == LvtEntry::PerfMon) {
        reg->value |= kLvtMasked; // Intel: delivering a PMI sets the LVT PerfMon mask (check 42)
    }
    return true;
}

void Lapic::set_irq_input(unsigned input, bool asserted) {
    if (input > 1) {
        ++stats_.bad_inputs;
        return;
    }
    const bool rising = asserted && !lint_level_[input];
    lint_level_[input] = asserted;
    evaluate_lint(input, rising);
}

void Lapic::evaluate_lint(unsigned input, bool rising_edge) {
    if (mode_ == ApicMode::Disabled) {
        return;
    }
    Register* reg = lvt_register(lint_entry(input));
    const auto value = static_cast<std::uint32_t>(reg->value);
    const auto mode = static_cast<DeliveryMode>((value >> kLvtDeliveryModeShift) & 7);
    if ((value & kLvtMasked) != 0 || mode == DeliveryMode::ExtInt) {
        update_intr(); // ExtINT is level-sensitive and computed in extint_pending()
        return;
    }
    // Level-triggered fixed (LINT0 only: LINT1 does not support level, §1.3.8): deliver while the line
    // is asserted and Remote IRR is clear; Remote IRR is set on acceptance and cleared by the EOI.
    if (mode == DeliveryMode::Fixed && input == 0 && (value & kLvtLevelTrigger) != 0) {
        if (lint_level_[input] && (value & kLvtRemoteIrr) == 0) {
            if (accept_fixed(static_cast<std::uint8_t>(value & kLvtVectorMask), true,
                             InterruptSourceKind::LocalVector, input)) {
                reg->value |= kLvtRemoteIrr;
            }
        }
        return;
    }
    if (rising_edge) {
        deliver_lvt(lint_entry(input));
    }
}

} // namespace x86sim::models
