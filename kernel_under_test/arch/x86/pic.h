// pic.h - the 8259 pair (redox-kernel.md §3 "8259 PIC", lapic-pit-msi.md §2.2).
#pragma once

#include "arch/x86/irq_controller.h"
#include "hal_access.h"

#include <cstdint>

namespace kut::x86 {

inline constexpr std::uint16_t kPicMasterCmd = 0x20;
inline constexpr std::uint16_t kPicMasterData = 0x21;
inline constexpr std::uint16_t kPicSlaveCmd = 0xA0;
inline constexpr std::uint16_t kPicSlaveData = 0xA1;
inline constexpr std::uint8_t kPicEoi = 0x20;
inline constexpr std::uint8_t kPicReadIsr = 0x0B;

class Pic final : public IrqController {
  public:
    explicit Pic(const Hal* hal) : hal_(hal) {}

    // ICW1 0x11 (edge, cascade, ICW4), ICW2 vector bases 0x20 / 0x28, ICW3 4 / 2, ICW4 1 (8086 mode),
    // then the IMRs: upstream unmasks everything; with the IOAPIC owning the lines everything is masked.
    void init(std::uint32_t cpu, bool mask_all);

    void mask(std::uint32_t cpu, unsigned irq) override;
    void unmask(std::uint32_t cpu, unsigned irq) override;
    void eoi(std::uint32_t cpu, unsigned irq) override;
    bool spurious(std::uint32_t cpu, unsigned irq) override;
    bool masked(unsigned irq) const override { return irq < 16 && (imr_ >> irq & 1u) != 0; }

  private:
    void write_imr(std::uint32_t cpu, unsigned irq);

    const Hal* hal_;
    std::uint16_t imr_ = 0xFFFF;
};

} // namespace kut::x86
