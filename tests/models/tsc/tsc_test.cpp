// Invariant TSC: lapic-pit-msi.md §3 (CPUID 0x15/0x16, IA32_TSC writes), §8 check 51 (ratio part;
// the crystal-fed LAPIC timer half is LapicConformance.Check51_CrystalTimerTicksPerTscTick).
#include "models/tsc/tsc.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>
#include <stdexcept>

namespace x86sim::models {
namespace {

// §8 check 51: TSC Hz = ECX * EBX / EAX.
TEST(TscConformance, Check51_Cpuid15GivesTheTscFrequency) {
    const struct {
        std::uint64_t tsc_hz;
        std::uint64_t crystal_hz;
        std::uint32_t eax;
        std::uint32_t ebx;
    } cases[] = {{2'100'000'000, 25'000'000, 1, 84},
                 {2'000'000'000, 24'000'000, 3, 250},
                 {1'996'800'000, 19'200'000, 1, 104},
                 {3'000'000'001, 25'000'000, 25'000'000, 3'000'000'001}};
    for (const auto& c : cases) {
        Tsc tsc({.frequency_hz = c.tsc_hz, .crystal_hz = c.crystal_hz});
        const auto& leaves = tsc.cpuid();
        EXPECT_EQ(leaves.leaf15_eax, c.eax) << c.tsc_hz;
        EXPECT_EQ(leaves.leaf15_ebx, c.ebx) << c.tsc_hz;
        EXPECT_EQ(leaves.leaf15_ecx, c.crystal_hz);
        EXPECT_EQ(static_cast<std::uint64_t>(leaves.leaf15_ecx) * leaves.leaf15_ebx / leaves.leaf15_eax,
                  c.tsc_hz);
        EXPECT_EQ(leaves.leaf16_eax, c.tsc_hz / 1'000'000);
        EXPECT_EQ(leaves.leaf16_ebx, c.tsc_hz / 1'000'000);
        EXPECT_EQ(leaves.leaf16_ecx, 100U);
    }
}

TEST(TscBehaviour, NoCrystalMeansLeaf15RatioZero) {
    Tsc tsc({.frequency_hz = 3'000'000'000, .crystal_hz = 0, .max_frequency_mhz = 4200});
    EXPECT_EQ(tsc.cpuid().leaf15_eax, 0U);
    EXPECT_EQ(tsc.cpuid().leaf15_ebx, 0U);
    EXPECT_EQ(tsc.cpuid().leaf15_ecx, 0U);
    EXPECT_EQ(tsc.cpuid().leaf16_eax, 3000U);
    EXPECT_EQ(tsc.cpuid().leaf16_ebx, 4200U);
}

TEST(TscBehaviour, UnrepresentableRatioIsAConfigurationError) {
    EXPECT_THROW(Tsc({.frequency_hz = 0x1'0000'0001ULL * 7, .crystal_hz = 3}), std::invalid_argument);
}

// §3: the value follows simulated time exactly.
TEST(TscBehaviour, CountsExactlyWithSimulatedTime) {
    Tsc tsc({.frequency_hz = 3'000'000'000});
    EXPECT_EQ(tsc.read(), 0U);
    test::run_until_ps(1'000'000); // 1 us
    EXPECT_EQ(tsc.read(), 3000U);
    test::run_until_ps(1'000'333);
    EXPECT_EQ(tsc.read(), 3000U) << "333 ps is not a whole cycle yet";
    test::run_until_ps(1'000'334);
    EXPECT_EQ(tsc.read(), 3001U);
    EXPECT_EQ(tsc.value_at_ps(1'000'000'000'000ULL), 3'000'000'000U);
}

// §3: IA32_TSC (0x10) write and IA32_TSC_ADJUST (0x3B) move together (SDM 17.17.3).
TEST(TscBehaviour, Ia32TscWriteSetsValueAndAdjust) {
    Tsc tsc({.frequency_hz = 1'000'000'000});
    int notifications = 0;
    tsc.add_write_listener([&] { ++notifications; });
    test::run_until_ps(5'000'000);
    ASSERT_TRUE(tsc.wrmsr(Tsc::kMsrTsc, 100));
    std::uint64_t value = 0;
    ASSERT_TRUE(tsc.rdmsr(Tsc::kMsrTsc, value));
    EXPECT_EQ(value, 100U);
    ASSERT_TRUE(tsc.rdmsr(Tsc::kMsrTscAdjust, value));
    EXPECT_EQ(static_cast<std::int64_t>(value), -4900);
    test::run_until_ps(6'000'000);
    EXPECT_EQ(tsc.read(), 1100U);
    ASSERT_TRUE(tsc.wrmsr(Tsc::kMsrTscAdjust, 0));
    EXPECT_EQ(tsc.read(), 6000U);
    EXPECT_EQ(notifications, 2);
    EXPECT_FALSE(tsc.wrmsr(0x6E0, 0));
    EXPECT_FALSE(tsc.rdmsr(0x6E0, value));
}

TEST(TscBehaviour, TimeWhenReachesIsTheFirstPicosecondAtTheValue) {
    Tsc tsc({.frequency_hz = 3'000'000'000});
    test::run_until_ps(1'000'000);
    EXPECT_EQ(tsc.time_when_reaches(3000), 1'000'000U) << "already there";
    EXPECT_EQ(tsc.time_when_reaches(1), 1'000'000U);
    const auto when = tsc.time_when_reaches(3001);
    EXPECT_EQ(when, 1'000'334U);
    EXPECT_EQ(tsc.value_at_ps(when), 3001U);
    EXPECT_EQ(tsc.value_at_ps(when - 1), 3000U);
}

} // namespace
} // namespace x86sim::models
