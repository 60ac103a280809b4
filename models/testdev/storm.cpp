// Test device interrupt storm: one SystemC event per message, times computed from the message index
// (ClockDomain arithmetic, so a 2 MHz storm fires exactly every 500 ns without accumulated rounding).
#include "models/common/time.h"
#include "models/testdev/test_device.h"

namespace x86sim::models {

namespace {
__extension__ typedef unsigned __int128 u128;
}

std::uint64_t TestDevice::storm(unsigned vector, std::uint64_t rate_hz, std::uint64_t duration_ps) {
    stop_storm();
    if (rate_hz == 0 || rate_hz > kPicosecondsPerSecond || duration_ps == 0) {
        return 0;
    }
    // Message k fires at start + ceil(k * 1e12 / rate); those with a time before start + duration count.
    storm_clock_ = ClockDomain("storm", rate_hz);
    const auto count = static_cast<std::uint64_t>(
        (static_cast<u128>(duration_ps) * rate_hz + kPicosecondsPerSecond - 1) / kPicosecondsPerSecond);
    storm_vector_ = vector;
    storm_start_ps_ = now_ps();
    storm_index_ = 0;
    storm_remaining_ = count;
    ++counters_.storms;
    notify_now(storm_event_);
    return count;
}

void TestDevice::stop_storm() {
    storm_event_.cancel();
    storm_remaining_ = 0;
}

void TestDevice::storm_tick() {
    if (storm_remaining_ == 0) {
        return;
    }
    fire_one(storm_vector_);
    ++storm_index_;
    if (--storm_remaining_ == 0) {
        return;
    }
    const std::uint64_t next = storm_start_ps_ + storm_clock_.duration_of(storm_index_);
    notify_at(storm_event_, next);
}

} // namespace x86sim::models
