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

// The 64-bit fast paths (reduced fraction 1e12/hz) give exactly the 128-bit definition, ceil(n*1e12/f)
// and floor(t*f/1e12), up to and across the point where they fall back.
TEST(ClockDomain, FastPathsEqualTheExactDefinition) {
    __extension__ typedef unsigned __int128 u128;
    const auto saturate = [](u128 value) {
        return value > ~0ULL ? ~0ULL : static_cast<std::uint64_t>(value);
    };
    for (const std::uint64_t hz : {1ULL, 7ULL, 1'193'182ULL, 14'318'180ULL, 25'000'000ULL, 2'999'999'999ULL,
                                   3'000'000'000ULL, 3'600'000'000ULL, 1'000'000'000'000ULL}) {
        const ClockDomain clock("c", hz);
        for (const std::uint64_t n :
             {0ULL, 1ULL, 2ULL, 999ULL, 18'446'744ULL, 18'446'745ULL, 3'000'000'000ULL, 123'456'789'012ULL,
              6'148'914'691'236'517'205ULL, ~0ULL / 1000, ~0ULL / 3, ~0ULL - 1, ~0ULL}) {
            const u128 ps = (static_cast<u128>(n) * 1'000'000'000'000ULL + hz - 1) / hz;
            EXPECT_EQ(clock.duration_of(n), saturate(ps)) << hz << " Hz, " << n << " cycles";
            EXPECT_EQ(clock.cycles_in(n), saturate(static_cast<u128>(n) * hz / 1'000'000'000'000ULL))
                << hz << " Hz, " << n << " ps";
        }
    }
}

TEST(ClockDomain, RejectsZeroFrequency) {
    EXPECT_THROW(ClockDomain("bad", 0), std::invalid_argument);
}

} // namespace
} // namespace x86sim::models
