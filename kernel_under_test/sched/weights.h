// weights.h - geometric scheduling weights (redox-kernel.md §2: SCHED_PRIO_TO_WEIGHT[40] = 88761 ...
// 1024 at index 20 ... 15, steps of x1.25; the Red Bear plan's "geometric weights in DWRR",
// fix-plan.md §4 T3.3). prio = 20 + nice (relibc, §2 "Priorities").
#pragma once

#include <array>
#include <cstdint>

namespace kut::sched {

inline constexpr unsigned kPrioLevels = 40;
inline constexpr unsigned kDefaultPrio = 20;
inline constexpr unsigned kRtLevels = 10; // RT priority 0 (highest) .. 9, scanned 0 -> 9 (P5 "PASS 0")

inline constexpr std::array<std::uint32_t, kPrioLevels> kPrioToWeight = {
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904,
    3906,  3121,  2501,  1991,  1586,  1277,  1024,  820,   655,   526,   423,  335,  272,  215,
    172,   137,   110,   87,    70,    56,    45,    36,    29,    23,    18,   15,
};

// DWRR deducts the weight of the default priority per pick (redox-kernel.md §2 DWRR).
inline constexpr std::int64_t kDwrrQuantum = kPrioToWeight[kDefaultPrio];
// Upper bound on queue visits per pick, as upstream DWRR.
inline constexpr unsigned kDwrrMaxIterations = 5000;

inline constexpr unsigned prio_from_nice(int nice) {
    const int prio = static_cast<int>(kDefaultPrio) + nice;
    return prio < 0 ? 0u
                    : (prio >= static_cast<int>(kPrioLevels) ? kPrioLevels - 1 : static_cast<unsigned>(prio));
}

} // namespace kut::sched
