#include "models/pic8259/pic8259_chip.h"

namespace x86sim::models {

namespace {
std::uint8_t bit(unsigned ir) {
    return static_cast<std::uint8_t>(1U << (ir & 7));
}
} // namespace

void Pic8259Chip::reset() {
    clear_programming();
    elcr_ = 0; // input levels stay: they are wires
}

void Pic8259Chip::clear_programming() {
    irr_ = 0;
    isr_ = 0;
    imr_ = 0;
    vector_base_ = 0;
    icw3_ = 0;
    priority_add_ = 0;
    init_step_ = InitStep::Ready;
    icw4_needed_ = false;
    single_ = false;
    level_triggered_ = false;
    mode_8086_ = true;
    auto_eoi_ = false;
    rotate_on_auto_eoi_ = false;
    special_fully_nested_ = false;
    special_mask_ = false;
    read_isr_ = false;
    poll_ = false;
}

void Pic8259Chip::set_input(unsigned ir, bool level) {
    const auto mask = bit(ir);
    const bool was = (lines_ & mask) != 0;
    lines_ = level ? (lines_ | mask) : (lines_ & ~mask);
    if (level_mode(ir)) {
        irr_ = level ? (irr_ | mask) : (irr_ & ~mask);
    } else if (level && !was) {
        irr_ |= mask; // latched until INTA; a falling edge does not withdraw it (see header)
    }
}

void Pic8259Chip::set_elcr(std::uint8_t elcr) {
    elcr_ = elcr;
    // Inputs now level-sensitive request exactly while they are high.
    irr_ = static_cast<std::uint8_t>((irr_ & ~elcr_) | (lines_ & elcr_));
}

void Pic8259Chip::write_command(std::uint8_t value) {
    if (value & 0x10) {
        // ICW1. Datasheet: the edge-sense circuit is reset (an edge input must rise again), IMR is
        // cleared, IR7 gets the lowest priority, special mask mode is cleared, status read selects IRR,
        // and ICW4 functions are zero unless ICW4 follows. ISR is cleared as well (as QEMU does).
        clear_programming();
        icw4_needed_ = (value & 0x01) != 0;
        mode_8086_ = false; // until ICW4 says otherwise
        single_ = (value & 0x02) != 0;
        level_triggered_ = (value & 0x08) != 0;
        irr_ = level_triggered_ ? lines_ : static_cast<std::uint8_t>(lines_ & elcr_);
        init_step_ = InitStep::Icw2;
        return;
    }
    if (value & 0x08) {
        write_ocw3(value);
    } else {
        write_ocw2(value);
    }
}

void Pic8259Chip::write_data(std::uint8_t value) {
    switch (init_step_) {
    case InitStep::Icw2:
        vector_base_ = value & 0xF8; // 8086 mode: T7-T3; the input number fills bits 2:0
        init_step_ = single_ ? (icw4_needed_ ? InitStep::Icw4 : InitStep::Ready) : InitStep::Icw3;
        return;
    case InitStep::Icw3:
        icw3_ = value;
        init_step_ = icw4_needed_ ? InitStep::Icw4 : InitStep::Ready;
        return;
    case InitStep::Icw4:
        mode_8086_ = (value & 0x01) != 0;
        auto_eoi_ = (value & 0x02) != 0;
        special_fully_nested_ = (value & 0x10) != 0;
        init_step_ = InitStep::Ready;
        return;
    case InitStep::Ready:
        imr_ = value; // OCW1
        return;
    }
}

void Pic8259Chip::write_ocw2(std::uint8_t value) {
    const unsigned level = value & 7;
    switch (value >> 5) {
    case 0b001: // non-specific EOI
        end_of_interrupt(highest_in_service());
        break;
    case 0b011: // specific EOI
        end_of_interrupt(static_cast<int>(level));
        break;
    case 0b101: { // rotate on non-specific EOI
        const int ir = highest_in_service();
        end_of_interrupt(ir);
        if (ir != kNone) {
            priority_add_ = static_cast<std::uint8_t>((ir + 1) & 7);
        }
        break;
    }
    case 0b111: // rotate on specific EOI
        end_of_interrupt(static_cast<int>(level));
        priority_add_ = static_cast<std::uint8_t>((level + 1) & 7);
        break;
    case 0b110: // set priority: `level` becomes the lowest
        priority_add_ = static_cast<std::uint8_t>((level + 1) & 7);
        break;
    case 0b100:
        rotate_on_auto_eoi_ = true;
        break;
    case 0b000:
        rotate_on_auto_eoi_ = false;
        break;
    default: // 0b010: no operation
        break;
    }
}

void Pic8259Chip::write_ocw3(std::uint8_t value) {
    if (value & 0x04) {
        poll_ = true;
    }
    if (value & 0x02) {
        read_isr_ = (value & 0x01) != 0; // 0x0A: IRR, 0x0B: ISR
    }
    if (value & 0x40) {
        special_mask_ = (value & 0x20) != 0;
    }
}

std::uint8_t Pic8259Chip::read_command() {
    if (poll_) {
        // Poll: the read is the acknowledge; bit 7 says whether there was a request, 2:0 which.
        poll_ = false;
        const int ir = pending();
        if (ir == kNone) {
            return 0;
        }
        acknowledge(static_cast<unsigned>(ir));
        return static_cast<std::uint8_t>(0x80 | ir);
    }
    return read_isr_ ? isr_ : irr_;
}

int Pic8259Chip::priority(std::uint8_t bits) const {
    for (int p = 0; p < 8; ++p) {
        if (bits & bit(static_cast<unsigned>(p + priority_add_))) {
            return p;
        }
    }
    return 8;
}

int Pic8259Chip::highest_in_service() const {
    const int p = priority(isr_);
    return p == 8 ? kNone : (p + priority_add_) & 7;
}

int Pic8259Chip::pending() const {
    const int request = priority(static_cast<std::uint8_t>(irr_ & ~imr_));
    if (request == 8) {
        return kNone;
    }
    auto in_service = isr_;
    if (special_mask_) {
        in_service &= static_cast<std::uint8_t>(~imr_); // masked in-service inputs do not block
    }
    if (master_ && special_fully_nested_) {
        // A slave in service does not lock out its own higher-priority requests.
        in_service &= static_cast<std::uint8_t>(~icw3_);
    }
    return request < priority(in_service) ? (request + priority_add_) & 7 : kNone;
}

void Pic8259Chip::acknowledge(unsigned ir) {
    const auto mask = bit(ir);
    if (!level_mode(ir)) {
        irr_ &= static_cast<std::uint8_t>(~mask); // level inputs keep requesting while high
    }
    if (auto_eoi_) {
        if (rotate_on_auto_eoi_) {
            priority_add_ = static_cast<std::uint8_t>((ir + 1) & 7);
        }
    } else {
        isr_ |= mask;
    }
}

void Pic8259Chip::end_of_interrupt(int ir) {
    ++eois_;
    if (ir == kNone || (isr_ & bit(static_cast<unsigned>(ir))) == 0) {
        ++eois_with_empty_isr_;
        return;
    }
    isr_ &= static_cast<std::uint8_t>(~bit(static_cast<unsigned>(ir)));
}

Pic8259ChipState Pic8259Chip::state() const {
    return {.irr = irr_,
            .isr = isr_,
            .imr = imr_,
            .elcr = elcr_,
            .input_lines = lines_,
            .vector_base = vector_base_,
            .icw3 = icw3_,
            .lowest_priority = static_cast<std::uint8_t>((priority_add_ + 7) & 7),
            .initialising = init_step_ != InitStep::Ready,
            .level_triggered = level_triggered_,
            .mode_8086 = mode_8086_,
            .auto_eoi = auto_eoi_,
            .rotate_on_auto_eoi = rotate_on_auto_eoi_,
            .special_fully_nested = special_fully_nested_,
            .special_mask = special_mask_,
            .read_isr = read_isr_,
            .poll = poll_};
}

} // namespace x86sim::models
