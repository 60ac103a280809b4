// ioapic.h - the IOAPIC as Red Bear programs it (redox-kernel.md §3 "Red Bear enables it",
// lapic-pit-msi.md §4): ISA IRQ n -> vector 32 + n, fixed, physical destination = BSP APIC ID,
// edge / active high; IRQ0 arrives on pin 2 (the MADT interrupt source override IRQ0 -> GSI 2).
// EOI goes to the LAPIC; masking uses RTE bit 16.
#pragma once

#include "arch/x86/irq_controller.h"
#include "arch/x86/lapic.h"
#include "hal_access.h"

#include <array>
#include <cstdint>

namespace kut::x86 {

inline constexpr std::uint64_t kIoapicBase = 0xFEC00000;
inline constexpr std::uint32_t kIoregsel = 0x00;
inline constexpr std::uint32_t kIowin = 0x10;
inline constexpr std::uint32_t kRteMask = 1u << 16;

// The GSI (pin) of ISA IRQ `irq`: identity except the override IRQ0 -> 2; IRQ2 (the cascade) has none.
inline constexpr int ioapic_pin_for_irq(unsigned irq) {
    return irq == 0 ? 2 : (irq == 2 ? -1 : static_cast<int>(irq));
}

class Ioapic final : public IrqController {
  public:
    Ioapic(const Hal* hal, const Lapic* lapic) : hal_(hal), lapic_(lapic) {}

    // Programs pins for ISA IRQs 0..15 (unmasked, as upstream leaves the PIC lines unmasked).
    void init(std::uint32_t cpu, std::uint32_t bsp_apic_id);

    void mask(std::uint32_t cpu, unsigned irq) override;
    void unmask(std::uint32_t cpu, unsigned irq) override;
    void eoi(std::uint32_t cpu, unsigned) override { lapic_->eoi(cpu); }
    bool spurious(std::uint32_t, unsigned) override { return false; }
    bool masked(unsigned irq) const override;

    std::uint32_t read(std::uint32_t cpu, std::uint32_t index) const;
    void write(std::uint32_t cpu, std::uint32_t index, std::uint32_t value) const;
    unsigned pins() const { return pins_; }

  private:
    const Hal* hal_;
    const Lapic* lapic_;
    unsigned pins_ = 24;
    std::array<std::uint32_t, 16> rte_low_{}; // shadow of the low dwords of the ISA pins' RTEs
};

} // namespace kut::x86
