// LAPIC timer / TSC calibration against PIT channel 2 or the HPET, and the LAPIC tick modes.
#include "arch/x86/calibration.h"
#include "arch/x86/hpet.h"
#include "arch/x86/pit.h"
#include "tests/kernel_under_test/kernel_fixture.h"

#include <cmath>

namespace kut_test {
namespace {

double ppm(double measured, double truth) {
    return std::fabs(measured - truth) / truth * 1e6;
}

TEST(CalibrationMath, Arithmetic) {
    EXPECT_EQ(kut::x86::frequency_from(25'000, 1'000'000'000'000), 25'000'000u); // 25000 in 1 ms
    EXPECT_EQ(kut::x86::frequency_from(0, 5), 0u);
    EXPECT_EQ(kut::x86::frequency_from(5, 0), 0u);
    // 11932 PIT clocks = 10.0000 ms; 3 GHz TSC counts 30,000,000 in it (within rounding).
    const std::uint64_t window = std::uint64_t{kut::x86::kCalibrationPitCount} * kut::x86::kPitPeriodFs;
    EXPECT_NEAR(double(kut::x86::frequency_from(30'000'000, window)), 3e9, 3e9 * 1e-4);
    EXPECT_EQ(kut::x86::pit_divisor_for_hz(246), 4850u);
    EXPECT_EQ(kut::x86::pit_divisor_for_hz(1000), 1193u);
    EXPECT_EQ(kut::x86::pit_divisor_for_hz(1), 65536u);
    EXPECT_EQ(kut::x86::hpet_divisor(kut::x86::pit_period_fs(4847), 69'841'279), 58'163u); // 14.318 MHz
}

class LapicTickTest : public KernelTest {
  protected:
    void boot_lapic(kut_tick_mode mode, bool hpet) {
        cfg.tick_source = KUT_TICK_LAPIC;
        cfg.tick_mode = mode;
        cfg.tick_hz = 1000;
        cfg.have_hpet = hpet ? 1 : 0;
        set_cpus(2);
        boot();
    }
};

TEST_F(LapicTickTest, CalibratesAgainstPitChannel2) {
    boot_lapic(KUT_TICK_PERIODIC, false);
    ASSERT_TRUE(kernel->calibration().ok);
    EXPECT_FALSE(kernel->calibration().used_hpet);
    EXPECT_LT(ppm(hal.gauges.at("kernel.calibration.lapic_timer_hz"), 25e6), 500);
    EXPECT_LT(ppm(hal.gauges.at("kernel.calibration.tsc_hz"), 3e9), 500);
    // Channel 2 gate up through port 0x61 (speaker off), mode 0 command 0xB0, 11932 = 0x2E9C.
    const auto ports = hal.port_writes();
    const std::vector<std::pair<std::uint16_t, std::uint8_t>> cal(ports.end() - 5,
                                                                  ports.end() - 1); // then IMR
    EXPECT_EQ(cal, (std::vector<std::pair<std::uint16_t, std::uint8_t>>{
                       {0x61, 0x01}, {0x43, 0xB0}, {0x42, 0x9C}, {0x42, 0x2E}}));
}

TEST_F(LapicTickTest, CalibratesAgainstTheHpetWhenPresent) {
    boot_lapic(KUT_TICK_PERIODIC, true);
    ASSERT_TRUE(kernel->calibration().ok);
    EXPECT_TRUE(kernel->calibration().used_hpet);
    EXPECT_LT(ppm(double(kernel->calibration().lapic_timer_hz), 25e6), 100);
    EXPECT_LT(ppm(double(kernel->calibration().tsc_hz), 3e9), 100);
}

TEST_F(LapicTickTest, PeriodicModeOnEveryCpu) {
    boot_lapic(KUT_TICK_PERIODIC, false);
    EXPECT_EQ(kernel->timer().source(), KUT_TICK_LAPIC);
    for (std::uint32_t cpu = 0; cpu < 2; ++cpu) {
        EXPECT_EQ(hal.lapic_reg(cpu, 0x320), (1u << 17) | 48u) << cpu; // periodic, vector 48
        EXPECT_EQ(hal.lapic_reg(cpu, 0x3E0), 0xBu);                    // divide by 1
        EXPECT_NEAR(double(hal.lapic_reg(cpu, 0x380)), 25'000.0, 25'000.0 * 5e-4);
    }
    // IRQ0 is masked: the PIT does not tick the scheduler (PIC IMR bit 0).
    EXPECT_EQ(hal.port_writes().back(), (std::pair<std::uint16_t, std::uint8_t>{0x21, 0x01}));
    hal.clear_records();
    guest->interrupt(1, 48);
    guest->interrupt(0, 48);
    EXPECT_EQ(hal.counter("sched.ticks"), 2u);
    EXPECT_TRUE(hal.ipis.empty()); // no 0x43 relay
}

TEST_F(LapicTickTest, TscDeadlineModeReArmsFromTheDueTime) {
    boot_lapic(KUT_TICK_TSC_DEADLINE, false);
    EXPECT_EQ(hal.lapic_reg(0, 0x320), (2u << 17) | 48u);
    const std::uint64_t first = hal.tsc_deadline_msr[0];
    ASSERT_NE(first, 0u);
    const std::uint64_t per_tick = kernel->timer().tsc_per_tick();
    EXPECT_NEAR(double(per_tick), 3e6, 3e6 * 5e-4);
    hal.advance_to_ps(first / 3 + 5'000); // TSC at 3 GHz: the tick fired 5 ns late
    guest->interrupt(0, 48);
    EXPECT_EQ(hal.tsc_deadline_msr[0], first + per_tick);
    EXPECT_EQ(hal.counter("sched.ticks"), 1u);
}

TEST_F(LapicTickTest, OneShotModeReArmsEveryTick) {
    boot_lapic(KUT_TICK_ONESHOT, false);
    EXPECT_EQ(hal.lapic_reg(1, 0x320), 48u);
    hal.advance_ps(1'000'000'000);
    hal.clear_records();
    guest->interrupt(1, 48);
    bool rearmed = false;
    for (const auto& a : hal.filter(Kind::mmio_write)) {
        rearmed |= a.address == 0xFEE00380 && a.value > 0 && a.value <= 25'100;
    }
    EXPECT_TRUE(rearmed);
}

TEST_F(LapicTickTest, NoTscDeadlineFallsBackToOneShot) {
    hal.tsc_deadline = false;
    boot_lapic(KUT_TICK_TSC_DEADLINE, false);
    EXPECT_EQ(kernel->timer().mode(), KUT_TICK_ONESHOT);
    EXPECT_EQ(hal.lapic_reg(0, 0x320), 48u);
}

} // namespace
} // namespace kut_test
