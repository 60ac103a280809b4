#include "models/common/clock_domain.h"

#include <gtest/gtest.h>

namespace x86sim::models {
namespace {

TEST(ClockDomain, PitClockHasNoDrift) {
    const ClockDomain pit("pit", 1'193'182);
    // One second is exactly 1 193 182 cycles: no accumulated rounding.
    EXPECT_EQ(pit.duration_of(1'193'182), 1'000'000'000'000ULL);
    EXPECT_EQ(pit.cycles_in(1'000'000'000'000ULL), 1'193'182U);
    // One cycle is 838 095.2 ps, rounded up.
    EXPECT_EQ(pit.duration_of(1), 838'096U);
}

TEST(ClockDomain, RoundTripIsExactForEveryCount) {
    const ClockDomain crystal("crystal", 14'318'180);
    for (std::uint64_t cycles : {0ULL, 1ULL, 2ULL, 3ULL, 1000ULL, 123'456'789ULL, 1ULL << 40}) {
        EXPECT_EQ(crystal.cycles_in(crystal.duration_of(cycles)), cycles) << cycles;
        // One picosecond earlier, the last cycle has not completed yet.
        if (cycles > 0) {
            EXPECT_EQ(crystal.cycles_in(crystal.duration_of(cycles) - 1), cycles - 1) << cycles;
        }
    }
}

TEST(ClockDomain, IntegerPeriods) {
    const ClockDomain bus("bus", 100'000'000);
    EXPECT_EQ(bus.duration_of(1), 10'000U);
    EXPECT_EQ(bus.cycles_in(25'000), 2U);
}

TEST(ClockDomain, SaturatesInsteadOfOverflowing) {
    const ClockDomain slow("slow", 1);
    EXPECT_EQ(slow.duration_of(~0ULL), ~0ULL);
}

TEST(ClockDomain, RejectsZeroFrequency) {
    EXPECT_THROW(ClockDomain("bad", 0), std::invalid_argument);
}

} // namespace
} // namespace x86sim::models
