#include "tests/support/sim_test.h"

#include "models/common/time.h"

namespace x86sim::test {

std::uint64_t now_ps() {
    return models::now_ps();
}

void run_until_ps(std::uint64_t time_ps) {
    const auto now = models::now_ps();
    if (time_ps > now) {
        sc_core::sc_start(models::from_ps(time_ps - now));
    } else if (time_ps == now) {
        // Let delta-cycle work at the current time settle.
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }
}

void run_through_ps(std::uint64_t time_ps) {
    run_until_ps(time_ps);
    while (sc_core::sc_pending_activity_at_current_time()) {
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }
}

void run_for_ps(std::uint64_t duration_ps) {
    run_until_ps(models::now_ps() + duration_ps);
}

} // namespace x86sim::test
