// vectors.h - the interrupt vector layout, as the real kernel lays it out (redox-kernel.md §3 "IDT").
//
//   0-31       exceptions
//   32-47      legacy ISA IRQ 0-15, BSP only (32 PIT/HPET, 33 keyboard, 34 cascade ... 47 ATA)
//   48         LAPIC timer (upstream: prints only; the Red Bear P7 tick when tick source = lapic)
//   49         LAPIC error (all CPUs)
//   50..       irq: scheme vectors (MSI/MSI-X); the first free one is normally IRQ 18 = vector 50
//   0x40-0x44  IPIs: wakeup, TLB, switch (reschedule), PIT tick relay, profile (all CPUs)
//
// The LAPIC's spurious vector is 0 because upstream writes SVR = 0x100 (§3 LAPIC); we reproduce that
// faithfully even though the SDM wants a vector with low nibble 0xF (lapic-pit-msi.md §1.3.5).
#pragma once

#include <cstdint>

namespace kut::vec {

inline constexpr std::uint8_t kLegacyBase = 32; // ISA IRQ n -> 32 + n (PIC remapped to 0x20/0x28)
inline constexpr std::uint8_t kLegacyLast = 47;
inline constexpr std::uint8_t kTimerIrq0 = 32; // PIT channel 0 / HPET timer 0 in legacy replacement
inline constexpr std::uint8_t kLapicTimer = 48;
inline constexpr std::uint8_t kLapicError = 49;
inline constexpr std::uint8_t kFirstSchemeVector = 50; // irq: scheme IRQ 18
inline constexpr std::uint8_t kIpiWakeup = 0x40;
inline constexpr std::uint8_t kIpiTlb = 0x41;
inline constexpr std::uint8_t kIpiSwitch = 0x42; // upstream has a handler but never sends it
inline constexpr std::uint8_t kIpiPit = 0x43;
inline constexpr std::uint8_t kIpiProfile = 0x44;
inline constexpr std::uint8_t kSpurious = 0x00; // SVR = 0x100: spurious vector field 0 (upstream)
inline constexpr std::uint8_t kLastSchemeVector = 0xEF;

inline constexpr unsigned kIrqCount = 224; // irq numbers 0..223 = vectors 32..255

inline constexpr bool is_ipi(unsigned vector) {
    return vector >= kIpiWakeup && vector <= kIpiProfile;
}
// A vector the irq: scheme hands out for MSI/MSI-X: above the BSP's reserved 32-49, not an IPI.
inline constexpr bool is_scheme_vector(unsigned vector) {
    return vector >= kFirstSchemeVector && vector <= kLastSchemeVector && !is_ipi(vector);
}

} // namespace kut::vec
