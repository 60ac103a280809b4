// xAPIC register offsets and bit fields shared by the LAPIC sources (lapic-pit-msi.md §1.2, §1.3).
// Private to models/lapic.
#pragma once

#include <cstdint>

namespace x86sim::models::lapic_layout {

// §1.2 register map (xAPIC offsets; x2APIC MSR = 0x800 + offset / 16).
inline constexpr std::uint32_t kId = 0x020;
inline constexpr std::uint32_t kVersion = 0x030;
inline constexpr std::uint32_t kTpr = 0x080;
inline constexpr std::uint32_t kApr = 0x090;
inline constexpr std::uint32_t kPpr = 0x0A0;
inline constexpr std::uint32_t kEoi = 0x0B0;
inline constexpr std::uint32_t kRrd = 0x0C0;
inline constexpr std::uint32_t kLdr = 0x0D0;
inline constexpr std::uint32_t kDfr = 0x0E0;
inline constexpr std::uint32_t kSvr = 0x0F0;
inline constexpr std::uint32_t kIsr = 0x100;
inline constexpr std::uint32_t kTmr = 0x180;
inline constexpr std::uint32_t kIrr = 0x200;
inline constexpr std::uint32_t kEsr = 0x280;
inline constexpr std::uint32_t kLvtCmci = 0x2F0;
inline constexpr std::uint32_t kIcrLow = 0x300;
inline constexpr std::uint32_t kIcrHigh = 0x310;
inline constexpr std::uint32_t kLvtTimer = 0x320;
inline constexpr std::uint32_t kLvtThermal = 0x330;
inline constexpr std::uint32_t kLvtPerfMon = 0x340;
inline constexpr std::uint32_t kLvtLint0 = 0x350;
inline constexpr std::uint32_t kLvtLint1 = 0x360;
inline constexpr std::uint32_t kLvtError = 0x370;
inline constexpr std::uint32_t kTimerInitialCount = 0x380;
inline constexpr std::uint32_t kTimerCurrentCount = 0x390;
inline constexpr std::uint32_t kTimerDivide = 0x3E0;
inline constexpr std::uint32_t kSelfIpi = 0x3F0; // x2APIC only

// SVR (§1.3.5).
inline constexpr std::uint32_t kSvrVectorMask = 0xFF;
inline constexpr std::uint32_t kSvrSoftwareEnable = 1U << 8;
inline constexpr std::uint32_t kSvrSuppressEoiBroadcast = 1U << 12;

// LVT (§1.3.8).
inline constexpr std::uint32_t kLvtVectorMask = 0xFF;
inline constexpr std::uint32_t kLvtDeliveryModeShift = 8;
inline constexpr std::uint32_t kLvtDeliveryStatus = 1U << 12;
inline constexpr std::uint32_t kLvtPolarity = 1U << 13;
inline constexpr std::uint32_t kLvtRemoteIrr = 1U << 14;
inline constexpr std::uint32_t kLvtLevelTrigger = 1U << 15;
inline constexpr std::uint32_t kLvtMasked = 1U << 16;
inline constexpr std::uint32_t kLvtTimerModeShift = 17;
inline constexpr std::uint32_t kLvtTimerModeBits = 3U << 17;
inline constexpr std::uint32_t kLvtReset = kLvtMasked;

// Software-writable LVT bits (§1.3.8 table: Bochs masks without the RO delivery-status bit).
inline constexpr std::uint32_t kLvtTimerWritable = 0x000300FF; // + bit 18 with TSC-deadline
inline constexpr std::uint32_t kLvtTimerDeadlineBit = 1U << 18;
inline constexpr std::uint32_t kLvtLocalWritable = 0x000107FF; // thermal, perfmon, CMCI
inline constexpr std::uint32_t kLvtLintWritable = 0x0001A7FF;  // + polarity, trigger
inline constexpr std::uint32_t kLvtErrorWritable = 0x000100FF;

// ICR (§1.3.7).
inline constexpr std::uint32_t kIcrWritable =
    0x000CCFFF; // vector, mode, dest mode, level, trigger, shorthand
inline constexpr std::uint32_t kIcrDeliveryStatus = 1U << 12;
inline constexpr std::uint32_t kIcrLogical = 1U << 11;
inline constexpr std::uint32_t kIcrLevelAssert = 1U << 14;
inline constexpr std::uint32_t kIcrLevelTrigger = 1U << 15;
inline constexpr std::uint32_t kIcrShorthandShift = 18;

inline constexpr std::uint32_t kTimerDivideWritable = 0xB; // bits 3, 1, 0 (check 3)

} // namespace x86sim::models::lapic_layout
