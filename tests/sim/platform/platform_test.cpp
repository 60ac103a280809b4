// The platform with CPUs and the HPET (sim/platform/platform.h): hardware-only scenarios keep IRR as the
// timeline leaves it; the HPET answers at 0xFED00000 and its legacy replacement takes over IRQ0 / pin 2
// from the PIT.
#include "models/common/time.h"
#include "sim/platform/platform.h"
#include "sim/platform/simulation.h"
#include "sim/scenario/loader.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

constexpr std::uint64_t kHpet = 0xFED0'0000ULL;
constexpr std::uint64_t kIoapic = 0xFEC0'0000ULL;

scenario::Config config_with(const std::string& platform_yaml) {
    return scenario::load_scenario_text("name: p\nduration: 1ms\nplatform: " + platform_yaml + "\n", "p.yaml")
        .config;
}

void route_ioapic_pin(sim::Platform& platform, unsigned pin, std::uint8_t vector) {
    auto& map = platform.address_map();
    map.write(0, kIoapic, 4, 0x10 + 2 * pin);
    map.write(0, kIoapic + 0x10, 4, vector); // fixed, physical, edge, unmasked
    map.write(0, kIoapic, 4, 0x11 + 2 * pin);
    map.write(0, kIoapic + 0x10, 4, 0); // destination APIC 0
}

void start_pit_rate_generator(sim::Platform& platform, std::uint16_t divisor) {
    auto& map = platform.address_map();
    map.out(0x43, 1, 0x34);
    map.out(0x40, 1, divisor & 0xFF);
    map.out(0x40, 1, divisor >> 8);
}

TEST(Platform, HardwareOnlyScenarioRunsAsBeforeWithoutAcknowledging) {
    // One SystemC run per process: pipeline.yaml is run by the CLI tests.
    const auto loaded = scenario::load_scenario_file(X86SIM_SCENARIOS "/lapic-timer-modes.yaml");
    const auto outcome = sim::run_scenario(loaded.config, {});
    EXPECT_TRUE(outcome.passed());
    EXPECT_FALSE(outcome.registry.value("cpu0.busy").has_value()) << "no guest: no CPU metrics";
    EXPECT_EQ(outcome.registry.counter_value("cpu0.lapic.irr_coalesced"), 6U); // nobody acknowledged
}

TEST(Platform, HpetAnswersAtItsAddressAndLegacyReplacementDrivesPin2) {
    models::ensure_time_resolution();
    auto config = config_with("{ cpus: 1, memory: 16MiB, hpet: { enabled: true } }");
    sim::Platform platform(config);
    ASSERT_NE(platform.hpet(), nullptr);
    auto& map = platform.address_map();
    std::uint64_t caps = 0;
    map.read(0, kHpet, 4, caps);
    EXPECT_EQ(caps >> 16, 0x8086U); // vendor id
    platform.lapic(0).mmio_write(0xF0, 4, 0x1FF);
    route_ioapic_pin(platform, 2, 0x41);
    map.write(0, kHpet + 0x100, 4, 1U << 2); // timer 0: interrupts enabled, edge
    map.write(0, kHpet + 0x108, 8, 1432);    // ~100 us at 14.318 MHz (64-bit: reset value is all ones)
    map.write(0, kHpet + 0x10, 4, 0x3);      // ENABLE_CNF | LEG_RT_CNF
    sc_core::sc_start(models::from_ps(200'000'000));
    EXPECT_TRUE(platform.lapic(0).irr_bit(0x41));
    EXPECT_EQ(platform.hpet()->fires(0), 1U);
}

TEST(Platform, PitReachesPin2ThroughTheHpetMuxWhileLegacyReplacementIsOff) {
    models::ensure_time_resolution();
    auto config = config_with("{ cpus: 1, memory: 16MiB, hpet: { enabled: true } }");
    sim::Platform platform(config);
    platform.lapic(0).mmio_write(0xF0, 4, 0x1FF);
    route_ioapic_pin(platform, 2, 0x42);
    start_pit_rate_generator(platform, 1193); // ~1 ms
    sc_core::sc_start(models::from_ps(3'000'000'000));
    EXPECT_TRUE(platform.lapic(0).irr_bit(0x42));
}

TEST(Platform, LegacyReplacementCutsThePitOff) {
    models::ensure_time_resolution();
    auto config = config_with("{ cpus: 1, memory: 16MiB, hpet: { enabled: true } }");
    sim::Platform platform(config);
    platform.lapic(0).mmio_write(0xF0, 4, 0x1FF);
    route_ioapic_pin(platform, 2, 0x42);
    platform.address_map().write(0, kHpet + 0x10, 4, 0x2); // LEG_RT_CNF, counter halted
    start_pit_rate_generator(platform, 1193);
    sc_core::sc_start(models::from_ps(3'000'000'000));
    EXPECT_FALSE(platform.lapic(0).irr_bit(0x42));
    EXPECT_GT(platform.pit()->fires(), 0U);
}

} // namespace
} // namespace x86sim::test
