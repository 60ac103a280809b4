#include "arch/x86/pic.h"

#include "arch/x86/vectors.h"

namespace kut::x86 {

void Pic::init(std::uint32_t cpu, bool mask_all) {
    hal_->out8(cpu, kPicMasterCmd, 0x11);
    hal_->out8(cpu, kPicSlaveCmd, 0x11);
    hal_->out8(cpu, kPicMasterData, vec::kLegacyBase);
    hal_->out8(cpu, kPicSlaveData, vec::kLegacyBase + 8);
    hal_->out8(cpu, kPicMasterData, 0x04); // slave on IR2
    hal_->out8(cpu, kPicSlaveData, 0x02);  // cascade identity
    hal_->out8(cpu, kPicMasterData, 0x01);
    hal_->out8(cpu, kPicSlaveData, 0x01);
    imr_ = mask_all ? 0xFFFF : 0x0000;
    hal_->out8(cpu, kPicMasterData, static_cast<std::uint8_t>(imr_));
    hal_->out8(cpu, kPicSlaveData, static_cast<std::uint8_t>(imr_ >> 8));
}

void Pic::write_imr(std::uint32_t cpu, unsigned irq) {
    if (irq < 8) {
        hal_->out8(cpu, kPicMasterData, static_cast<std::uint8_t>(imr_));
    } else {
        hal_->out8(cpu, kPicSlaveData, static_cast<std::uint8_t>(imr_ >> 8));
    }
}

void Pic::mask(std::uint32_t cpu, unsigned irq) {
    if (irq >= 16) {
        return;
    }
    imr_ = static_cast<std::uint16_t>(imr_ | (1u << irq));
    write_imr(cpu, irq);
}

void Pic::unmask(std::uint32_t cpu, unsigned irq) {
    if (irq >= 16) {
        return;
    }
    imr_ = static_cast<std::uint16_t>(imr_ & ~(1u << irq));
    write_imr(cpu, irq);
}

void Pic::eoi(std::uint32_t cpu, unsigned irq) {
    if (irq >= 8) {
        hal_->out8(cpu, kPicSlaveCmd, kPicEoi);
    }
    hal_->out8(cpu, kPicMasterCmd, kPicEoi);
}

bool Pic::spurious(std::uint32_t cpu, unsigned irq) {
    // IRQ7/15 with the ISR bit clear is spurious: no EOI on that chip (a spurious IRQ15 still needs
    // the master's EOI for the cascade) (§3, lapic-pit-msi.md §2.2 OCW3).
    if (irq != 7 && irq != 15) {
        return false;
    }
    const std::uint16_t cmd = irq == 7 ? kPicMasterCmd : kPicSlaveCmd;
    hal_->out8(cpu, cmd, kPicReadIsr);
    const std::uint8_t isr = hal_->in8(cpu, cmd);
    if ((isr & 0x80) != 0) {
        return false;
    }
    if (irq == 15) {
        hal_->out8(cpu, kPicMasterCmd, kPicEoi);
    }
    return true;
}

} // namespace kut::x86
