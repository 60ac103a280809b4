// Simulated time helpers. x86sim runs SystemC with a 1 ps resolution (ARCHITECTURE.md "Time"), so an
// sc_time's raw value is a count of picoseconds and can be built and read without floating point.
#pragma once

#include <algorithm>
#include <cstdint>
#include <systemc>

namespace x86sim::models {

inline constexpr std::uint64_t kPicosecondsPerSecond = 1'000'000'000'000ULL;

// Sets the 1 ps time resolution. Must run before the first sc_time is built; calling it again is a no-op.
void ensure_time_resolution();

inline sc_core::sc_time from_ps(std::uint64_t picoseconds) {
    return sc_core::sc_time::from_value(picoseconds);
}
inline std::uint64_t to_ps(const sc_core::sc_time& time) {
    return time.value();
}
namespace detail {
// How far the running CPU's local time is ahead of the SystemC kernel's time while it makes an access
// that no other process can observe in between (sim/cpu "running ahead": the next pending activity of the
// whole simulation lies after the CPU's local time, so acting at local time now is exactly what a
// synchronised access would do). Zero whenever any other process runs.
inline std::uint64_t access_ahead_ps = 0;
// The earliest time notified through notify_at since a running-ahead CPU last asked the kernel what is
// pending: the CPU caches "nothing is pending before T" and trusts it below this time too (its own
// accesses schedule through notify_at, and a re-arm later than T leaves the cache valid).
inline std::uint64_t earliest_notification_ps = ~std::uint64_t{0};
} // namespace detail

// The SystemC kernel's time.
inline std::uint64_t kernel_now_ps() {
    // Read straight from the current context: sc_time_stamp() is an out-of-line call and
    // sc_get_curr_simcontext() is not inlined by g++ (its cold path creates the context), and this is on
    // every hot path. Before any context exists, time is zero.
    const auto* context = sc_core::sc_curr_simcontext;
    return context != nullptr ? context->time_stamp().value() : 0;
}

// The current simulated time as a device sees it: the kernel's time, or the local time of a CPU that is
// accessing it while running ahead. Every model takes "now" from here.
inline std::uint64_t now_ps() {
    return kernel_now_ps() + detail::access_ahead_ps;
}

// Notifies `event` at the absolute time `at_ps` (not before now_ps()): correct whether or not the caller
// runs ahead of the kernel. At the kernel's current time it is a delta notification.
inline void notify_at(sc_core::sc_event& event, std::uint64_t at_ps) {
    detail::earliest_notification_ps = std::min(detail::earliest_notification_ps, at_ps);
    const auto kernel = kernel_now_ps();
    if (at_ps <= kernel) {
        event.notify(sc_core::SC_ZERO_TIME);
    } else {
        event.notify(from_ps(at_ps - kernel));
    }
}

// A notification at the current simulated time (a delta notification unless the caller runs ahead).
inline void notify_now(sc_core::sc_event& event) {
    notify_at(event, now_ps());
}

} // namespace x86sim::models
