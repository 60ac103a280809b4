// HPET register offsets and bit fields (lapic-pit-msi.md §2.3, HPETSPEC 1.0a; cross-checked against
// QEMU include/hw/timer/hpet.h).
#pragma once

#include <cstdint>

namespace x86sim::models::hpet {

inline constexpr std::uint64_t kWindowSize = 0x400; // 1 KiB at (typically) 0xFED00000

inline constexpr std::uint64_t kCapabilitiesId = 0x000;
inline constexpr std::uint64_t kConfiguration = 0x010;
inline constexpr std::uint64_t kInterruptStatus = 0x020;
inline constexpr std::uint64_t kMainCounter = 0x0F0;
inline constexpr std::uint64_t timer_config(unsigned n) {
    return 0x100 + 0x20ULL * n;
}
inline constexpr std::uint64_t timer_comparator(unsigned n) {
    return 0x108 + 0x20ULL * n;
}
inline constexpr std::uint64_t timer_fsb_route(unsigned n) {
    return 0x110 + 0x20ULL * n;
}

inline constexpr unsigned kMaxTimers = 32;
inline constexpr unsigned kMaxIoapicPins = 32; // Tn_INT_ROUTE_CNF is 5 bits

// GCAP_ID
inline constexpr unsigned kNumTimersShift = 8; // 12:8 number of timers - 1
inline constexpr std::uint64_t kCountSizeCap = 1ULL << 13;
inline constexpr std::uint64_t kLegacyRouteCap = 1ULL << 15;
inline constexpr unsigned kVendorShift = 16;               // 31:16
inline constexpr unsigned kPeriodShift = 32;               // 63:32 COUNTER_CLK_PERIOD (fs)
inline constexpr std::uint64_t kMaxPeriodFs = 0x05F5'E100; // 100 ns

// GEN_CONF
inline constexpr std::uint64_t kEnableCnf = 1ULL << 0;
inline constexpr std::uint64_t kLegacyRouteCnf = 1ULL << 1;

// Tn_CONFIG_CAP
inline constexpr std::uint64_t kIntTypeLevel = 1ULL << 1;
inline constexpr std::uint64_t kIntEnable = 1ULL << 2;
inline constexpr std::uint64_t kTypePeriodic = 1ULL << 3;
inline constexpr std::uint64_t kPeriodicCap = 1ULL << 4;
inline constexpr std::uint64_t kSize64Cap = 1ULL << 5;
inline constexpr std::uint64_t kValSet = 1ULL << 6;
inline constexpr std::uint64_t kMode32 = 1ULL << 8;
inline constexpr unsigned kRouteShift = 9; // 13:9
inline constexpr std::uint64_t kRouteMask = 0x1FULL << kRouteShift;
inline constexpr std::uint64_t kFsbEnable = 1ULL << 14;
inline constexpr std::uint64_t kFsbCap = 1ULL << 15;
inline constexpr unsigned kRouteCapShift = 32; // 63:32

} // namespace x86sim::models::hpet
