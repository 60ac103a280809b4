// Helpers for the HPET tests: register accesses that must succeed, and HPET clock edge times.
#pragma once

#include "models/common/clock_domain.h"
#include "models/hpet/hpet.h"
#include "tests/support/sim_test.h"

#include <cstdint>
#include <gtest/gtest.h>

namespace x86sim::test {

namespace hpet = models::hpet;

inline constexpr std::uint64_t kHpetHz = 14'318'180;

// Main-counter clock edge `cycle` in ps from simulation start (the counter clock free-runs from time 0).
inline std::uint64_t hpet_edge(std::uint64_t cycle) {
    static const models::ClockDomain clock("hpet", kHpetHz);
    return clock.duration_of(cycle);
}

inline std::uint64_t hpet_cycle_now() {
    static const models::ClockDomain clock("hpet", kHpetHz);
    return clock.cycles_in(now_ps());
}

// Runs to `time_ps` including what is scheduled at exactly that time (see pit_test_util.h).
inline void run_through(std::uint64_t time_ps) {
    run_until_ps(time_ps);
    run_until_ps(time_ps);
}

inline void write64(models::Hpet& hpet, std::uint64_t offset, std::uint64_t value) {
    EXPECT_EQ(hpet.mmio_write(offset, 8, value).status, models::AccessStatus::Ok) << std::hex << offset;
}

inline std::uint64_t read64(models::Hpet& hpet, std::uint64_t offset) {
    std::uint64_t value = 0;
    EXPECT_EQ(hpet.mmio_read(offset, 8, value).status, models::AccessStatus::Ok) << std::hex << offset;
    return value;
}

inline void write32(models::Hpet& hpet, std::uint64_t offset, std::uint32_t value) {
    EXPECT_EQ(hpet.mmio_write(offset, 4, value).status, models::AccessStatus::Ok) << std::hex << offset;
}

inline std::uint32_t read32(models::Hpet& hpet, std::uint64_t offset) {
    std::uint64_t value = 0;
    EXPECT_EQ(hpet.mmio_read(offset, 4, value).status, models::AccessStatus::Ok) << std::hex << offset;
    return static_cast<std::uint32_t>(value);
}

inline constexpr std::uint64_t route(unsigned pin) {
    return static_cast<std::uint64_t>(pin) << hpet::kRouteShift;
}

} // namespace x86sim::test
