// The outcome of one scenario expectation, in the form the writers need. Produced by
// scenario::evaluate(); kept here so the writers do not depend on the scenario library.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace x86sim::metrics {

struct CheckResult {
    std::string metric;
    std::string op;                       // eq ne lt le gt ge approx between
    std::vector<double> expected;         // one value, or [low, high] for between
    std::optional<std::string> tolerance; // approx only, as written ("1%", "0.5")
    std::string expected_text;            // as written by the user, for messages ("1.5ms")
    std::optional<double> measured;       // nullopt: the run did not produce the metric
    bool pass = false;
    // Human line, e.g. "sched.tick_hz = 999.7 Hz (expected approx 1000 ± 1%)".
    std::string description;
};

} // namespace x86sim::metrics
