// Helpers for the 8254 tests: byte-wide port I/O that must succeed, and PIT clock edge times.
#pragma once

#include "models/common/clock_domain.h"
#include "models/pit/pit8254.h"
#include "tests/support/sim_test.h"

#include <cstdint>
#include <gtest/gtest.h>

namespace x86sim::test {

// CLK edge `cycle` of the 1 193 182 Hz PIT clock, in ps from simulation start (§2.1, ClockDomain).
inline std::uint64_t pit_edge(std::uint64_t cycle) {
    static const models::ClockDomain clock("pit", models::kPitInputHz);
    return clock.duration_of(cycle);
}

// Runs to `time_ps` and also runs what is scheduled at exactly that time: sc_start(duration) stops before
// the events of its end time, which then run in the next (zero-time) sc_start.
inline void run_through_ps(std::uint64_t time_ps) {
    run_until_ps(time_ps);
    run_until_ps(time_ps);
}

inline void out8(models::Pit8254& pit, std::uint16_t port, std::uint8_t value) {
    const auto result = pit.io_write(port, 1, value);
    EXPECT_EQ(result.status, models::AccessStatus::Ok) << "OUT 0x" << std::hex << port;
}

inline std::uint8_t in8(models::Pit8254& pit, std::uint16_t port) {
    std::uint32_t value = 0;
    const auto result = pit.io_read(port, 1, value);
    EXPECT_EQ(result.status, models::AccessStatus::Ok) << "IN 0x" << std::hex << port;
    return static_cast<std::uint8_t>(value);
}

// Reads a two-byte count (RW = 11): LSB then MSB.
inline std::uint16_t in16(models::Pit8254& pit, std::uint16_t port) {
    const auto low = in8(pit, port);
    const auto high = in8(pit, port);
    return static_cast<std::uint16_t>(low | (high << 8));
}

} // namespace x86sim::test
