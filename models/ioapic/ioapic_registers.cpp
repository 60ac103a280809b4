// The IOAPIC's register tables and MMIO access path (lapic-pit-msi.md §4).
#include "models/ioapic/ioapic.h"
#include "models/ioapic/redirection_entry.h"

#include <string>

namespace x86sim::models {

namespace {
constexpr std::uint64_t kIdMask = 0x0F00'0000; // 82093AA: ID in bits 27:24
constexpr std::uint64_t kDword = 0xFFFF'FFFF;

std::uint64_t indirect_offset(std::uint32_t index) {
    return std::uint64_t{index} * 4;
}
} // namespace

void Ioapic::build_registers() {
    mmio_.add({.name = "ioregsel", .offset = kIoRegSel, .width = 4, .write_mask = 0xFF});
    // IOWIN forwards to the indirect register selected by IOREGSEL; its own value is never used.
    mmio_.add({.name = "iowin",
               .offset = kIoWin,
               .width = 4,
               .on_read =
                   [this](Register&) {
                       std::uint64_t value = 0;
                       window_status_ = indirect_.read(indirect_offset(ioregsel_->value), 4, value);
                       return value;
                   },
               .on_write =
                   [this](Register&, std::uint64_t value, std::uint64_t) {
                       window_status_ = indirect_.write(indirect_offset(ioregsel_->value), 4, value & kDword);
                   }});
    // Check 48: the EOI register exists only on version >= 0x20; on 0x11 offset 0x40 is unmapped.
    if (config_.version >= 0x20) {
        mmio_.add({.name = "eoi",
                   .offset = kEoi,
                   .width = 4,
                   .access = RegisterAccess::WriteOnly,
                   .on_write = [this](Register&, std::uint64_t value, std::uint64_t) {
                       ++stats_.eoi_register_writes;
                       clear_remote_irr(static_cast<std::uint8_t>(value & 0xFF));
                   }});
    }

    indirect_.add({.name = "id",
                   .offset = indirect_offset(kRegId),
                   .width = 4,
                   .reset = (std::uint64_t{config_.id} << 24) & kIdMask,
                   .write_mask = kIdMask,
                   .on_write = [this](Register& reg, std::uint64_t value, std::uint64_t mask) {
                       reg.apply(value, mask);
                       // 82093AA: ARB is loaded from the ID whenever the ID is written.
                       arbitration_->value = reg.value;
                   }});
    indirect_.add({.name = "version",
                   .offset = indirect_offset(kRegVersion),
                   .width = 4,
                   .reset = config_.version | (std::uint64_t{config_.pins - 1} << 16), // PRQ (15) = 0
                   .access = RegisterAccess::ReadOnly});
    indirect_.add({.name = "arbitration",
                   .offset = indirect_offset(kRegArbitration),
                   .width = 4,
                   .reset = (std::uint64_t{config_.id} << 24) & kIdMask,
                   .access = RegisterAccess::ReadOnly});
    for (unsigned pin = 0; pin < config_.pins; ++pin) {
        // One 8-byte register per RTE: IOWIN index 0x10 + 2n reaches its low dword, 0x11 + 2n its high one.
        indirect_.add({.name = "rte" + std::to_string(pin),
                       .offset = indirect_offset(kRegRedirectionBase + 2 * pin),
                       .width = 8,
                       .reset = rte::kResetValue,
                       .write_mask = rte::kWritableBits,
                       .on_write = [this, pin](Register& reg, std::uint64_t value, std::uint64_t mask) {
                           write_redirection_entry(pin, reg, value, mask);
                       }});
    }
    // Registers are stored in a sorted vector: take pointers only once it has stopped growing.
    id_ = indirect_.find(indirect_offset(kRegId));
    arbitration_ = indirect_.find(indirect_offset(kRegArbitration));
    ioregsel_ = mmio_.find(kIoRegSel);
    for (unsigned pin = 0; pin < config_.pins; ++pin) {
        rte_.push_back(indirect_.find(indirect_offset(kRegRedirectionBase + 2 * pin)));
    }
}

void Ioapic::write_redirection_entry(unsigned pin, Register& reg, std::uint64_t value, std::uint64_t mask) {
    reg.apply(value, mask); // the write mask keeps Delivery Status and Remote IRR read-only
    if (!rte::level_triggered(reg.value)) {
        reg.value &= ~rte::kRemoteIrrBit;
    }
    // Unmasking (or switching to level, or flipping polarity on) a pin whose level is active delivers.
    evaluate_level(pin, false);
}

bool Ioapic::check_dword_only(std::uint64_t offset, unsigned size) {
    // §4: IOWIN is a 32-bit window (QEMU ignores other sizes); so is the EOI register.
    for (const auto start : {kIoWin, kEoi}) {
        if (start == kEoi && config_.version < 0x20) {
            continue;
        }
        const bool touches = offset < start + 4 && offset + size > start;
        if (touches && (offset != start || size != 4)) {
            ++stats_.bad_width;
            return false;
        }
    }
    return true;
}

template <typename Access>
MmioResult Ioapic::window_access(std::uint64_t offset, unsigned size, Access access) {
    MmioResult result{.status = AccessStatus::Ok, .delay_ps = config_.register_access_ps};
    if (!check_dword_only(offset, size)) {
        result.status = AccessStatus::BadSize;
    } else {
        window_status_ = AccessStatus::Ok;
        result.status = access();
        if (result.status == AccessStatus::Ok && window_status_ != AccessStatus::Ok) {
            result.status = window_status_;
            stats_.bad_window_index += window_status_ == AccessStatus::Unmapped ? 1 : 0;
        }
    }
    if (result.status != AccessStatus::Ok) {
        ++stats_.bad_accesses;
    }
    return result;
}

MmioResult Ioapic::mmio_read(std::uint64_t offset, unsigned size, std::uint64_t& value) {
    value = 0;
    return window_access(offset, size, [&] { return mmio_.read(offset, size, value); });
}

MmioResult Ioapic::mmio_write(std::uint64_t offset, unsigned size, std::uint64_t value) {
    return window_access(offset, size, [&] { return mmio_.write(offset, size, value); });
}

std::uint64_t Ioapic::redirection_entry(unsigned pin) const {
    return pin < rte_.size() ? rte_[pin]->value : 0;
}

IoapicDump Ioapic::dump() const {
    IoapicDump dump;
    dump.ioregsel = static_cast<std::uint32_t>(ioregsel_->value);
    dump.id = static_cast<std::uint32_t>(id_->value);
    dump.version = static_cast<std::uint32_t>(indirect_.peek(indirect_offset(kRegVersion), 4));
    dump.arbitration = static_cast<std::uint32_t>(arbitration_->value);
    for (unsigned pin = 0; pin < config_.pins; ++pin) {
        dump.redirection_table.push_back(rte_[pin]->value);
        dump.input_asserted.push_back(pin_[pin].asserted);
    }
    dump.messages_in_flight = in_flight_.size();
    return dump;
}

} // namespace x86sim::models
