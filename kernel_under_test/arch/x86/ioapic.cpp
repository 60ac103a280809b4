#include "arch/x86/ioapic.h"

#include "arch/x86/vectors.h"

namespace kut::x86 {

std::uint32_t Ioapic::read(std::uint32_t cpu, std::uint32_t index) const {
    hal_->mmio_write(cpu, kIoapicBase + kIoregsel, 4, index);
    return static_cast<std::uint32_t>(hal_->mmio_read(cpu, kIoapicBase + kIowin, 4));
}

void Ioapic::write(std::uint32_t cpu, std::uint32_t index, std::uint32_t value) const {
    hal_->mmio_write(cpu, kIoapicBase + kIoregsel, 4, index);
    hal_->mmio_write(cpu, kIoapicBase + kIowin, 4, value);
}

void Ioapic::init(std::uint32_t cpu, std::uint32_t bsp_apic_id) {
    const std::uint32_t version = read(cpu, 0x01);
    pins_ = ((version >> 16) & 0xFF) + 1;
    for (unsigned irq = 0; irq < 16; ++irq) {
        const int pin = ioapic_pin_for_irq(irq);
        if (pin < 0 || static_cast<unsigned>(pin) >= pins_) {
            continue;
        }
        // Fixed (000), physical (bit 11 = 0), active high (bit 13 = 0), edge (bit 15 = 0), unmasked.
        rte_low_[irq] = vec::kLegacyBase + irq;
        const auto index = 0x10 + 2 * static_cast<std::uint32_t>(pin);
        write(cpu, index + 1, (bsp_apic_id & 0xFF) << 24); // destination first, then the low half
        write(cpu, index, rte_low_[irq]);
    }
}

void Ioapic::mask(std::uint32_t cpu, unsigned irq) {
    const int pin = irq < 16 ? ioapic_pin_for_irq(irq) : -1;
    if (pin < 0) {
        return;
    }
    rte_low_[irq] |= kRteMask;
    write(cpu, 0x10 + 2 * static_cast<std::uint32_t>(pin), rte_low_[irq]);
}

void Ioapic::unmask(std::uint32_t cpu, unsigned irq) {
    const int pin = irq < 16 ? ioapic_pin_for_irq(irq) : -1;
    if (pin < 0) {
        return;
    }
    rte_low_[irq] &= ~kRteMask;
    write(cpu, 0x10 + 2 * static_cast<std::uint32_t>(pin), rte_low_[irq]);
}

bool Ioapic::masked(unsigned irq) const {
    return irq < 16 && (rte_low_[irq] & kRteMask) != 0;
}

} // namespace kut::x86
