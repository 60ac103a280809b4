// lapic.h - local APIC driver: xAPIC MMIO or x2APIC MSRs (redox-kernel.md §3 "LAPIC",
// lapic-pit-msi.md §1.2, §1.3).
#pragma once

#include "hal_access.h"

#include <cstdint>

namespace kut::x86 {

namespace lapic_reg { // xAPIC offsets; the x2APIC MSR is 0x800 + offset / 16
inline constexpr std::uint32_t kId = 0x020;
inline constexpr std::uint32_t kEoi = 0x0B0;
inline constexpr std::uint32_t kSvr = 0x0F0;
inline constexpr std::uint32_t kEsr = 0x280;
inline constexpr std::uint32_t kIcrLow = 0x300;
inline constexpr std::uint32_t kIcrHigh = 0x310;
inline constexpr std::uint32_t kLvtTimer = 0x320;
inline constexpr std::uint32_t kLvtLint0 = 0x350;
inline constexpr std::uint32_t kLvtLint1 = 0x360;
inline constexpr std::uint32_t kLvtError = 0x370;
inline constexpr std::uint32_t kTimerInitial = 0x380;
inline constexpr std::uint32_t kTimerCurrent = 0x390;
inline constexpr std::uint32_t kTimerDivide = 0x3E0;
} // namespace lapic_reg

inline constexpr std::uint32_t kMsrApicBase = 0x1B;
inline constexpr std::uint32_t kMsrTscDeadline = 0x6E0;
inline constexpr std::uint64_t kApicBaseEnable = 1u << 11;
inline constexpr std::uint64_t kApicBaseExtd = 1u << 10;
inline constexpr std::uint64_t kDefaultApicBase = 0xFEE00000;

// Upstream writes SVR = 0x100: software enable with the spurious vector field left 0 (§3). Faithful,
// although the SDM asks for a vector whose low nibble is 0xF.
inline constexpr std::uint32_t kSvrUpstream = 0x100;
inline constexpr std::uint32_t kLvtMasked = 1u << 16;
inline constexpr std::uint32_t kLvtExtInt = 7u << 8;
inline constexpr std::uint32_t kTimerOneShot = 0u << 17;
inline constexpr std::uint32_t kTimerPeriodic = 1u << 17;
inline constexpr std::uint32_t kTimerTscDeadline = 2u << 17;
inline constexpr std::uint32_t kDivideBy1 = 0xB; // TDCR 0b1011, as upstream's profiling timer

// ICR fields (lapic-pit-msi.md §1.3.7).
inline constexpr std::uint32_t kIcrFixed = 0u << 8;
inline constexpr std::uint32_t kIcrInit = 5u << 8;
inline constexpr std::uint32_t kIcrStartup = 6u << 8;
inline constexpr std::uint32_t kIcrBusy = 1u << 12;
inline constexpr std::uint32_t kIcrAssert = 1u << 14;
enum class Shorthand : std::uint32_t { none = 0, self = 1, all = 2, all_but_self = 3 };

// CPUID.01H:ECX bits.
inline constexpr std::uint32_t kCpuidX2apic = 1u << 21;
inline constexpr std::uint32_t kCpuidTscDeadline = 1u << 24;

class Lapic {
  public:
    Lapic() = default;
    Lapic(const Hal* hal, bool x2apic, std::uint64_t mmio_base)
        : hal_(hal), x2apic_(x2apic), base_(mmio_base) {}

    bool x2apic() const { return x2apic_; }
    std::uint64_t mmio_base() const { return base_; }

    std::uint32_t read(std::uint32_t cpu, std::uint32_t reg) const;
    void write(std::uint32_t cpu, std::uint32_t reg, std::uint32_t value) const;

    // Own APIC ID (xAPIC: bits 31:24 of the ID register; x2APIC: the full 32 bits).
    std::uint32_t id(std::uint32_t cpu) const;
    void eoi(std::uint32_t cpu) const { write(cpu, lapic_reg::kEoi, 0); }

    // Upstream per-CPU setup (§3): SVR = 0x100, LVT error = 49. On the BSP, LINT0 carries the 8259's
    // INTR as ExtINT (virtual wire, which firmware leaves set up and upstream relies on) unless the
    // IOAPIC owns the legacy lines, then it is masked.
    void init_cpu(std::uint32_t cpu, bool bsp, bool pic_through_lint0) const;

    // Sends `low` (vector | delivery | level | shorthand) to `destination` (ignored with a shorthand).
    // xAPIC: waits for the delivery-status bit as upstream does, then ICR high, then ICR low.
    void send_icr(std::uint32_t cpu, std::uint32_t destination, std::uint32_t low) const;
    void send_ipi(std::uint32_t cpu, std::uint32_t destination, std::uint8_t vector) const {
        send_icr(cpu, destination, kIcrAssert | kIcrFixed | vector);
    }
    void broadcast_ipi(std::uint32_t cpu, Shorthand shorthand, std::uint8_t vector) const {
        send_icr(cpu, 0, (static_cast<std::uint32_t>(shorthand) << 18) | kIcrAssert | kIcrFixed | vector);
    }

  private:
    const Hal* hal_ = nullptr;
    bool x2apic_ = false;
    std::uint64_t base_ = kDefaultApicBase;
};

} // namespace kut::x86
