// irq_controller.h - who delivers the 16 legacy ISA lines: the 8259 pair (upstream) or the IOAPIC
// (Red Bear P1). The interrupt paths and the irq: scheme only see this interface (redox-kernel.md §3).
#pragma once

#include <cstdint>

namespace kut::x86 {

class IrqController {
  public:
    virtual ~IrqController() = default;
    virtual void mask(std::uint32_t cpu, unsigned irq) = 0;
    virtual void unmask(std::uint32_t cpu, unsigned irq) = 0;
    // End of interrupt for legacy `irq`, taken on `cpu` (PIC: command port(s); IOAPIC: LAPIC EOI).
    virtual void eoi(std::uint32_t cpu, unsigned irq) = 0;
    // True when `irq` (7 or 15) was a spurious 8259 interrupt; it has then been handled (§3 PIC).
    virtual bool spurious(std::uint32_t cpu, unsigned irq) = 0;
    virtual bool masked(unsigned irq) const = 0;
};

} // namespace kut::x86
