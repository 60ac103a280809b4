// Checking a scenario's `expect:` list against the metrics of a run.
#pragma once

#include "sim/metrics/check_result.h"
#include "sim/metrics/registry.h"
#include "sim/scenario/config.h"

#include <vector>

namespace x86sim::scenario {

using ExpectationResult = metrics::CheckResult;

// Pass/fail with the measured value and a line such as
// "sched.tick_hz = 999.7 Hz (expected approx 1000 ± 1%)". A metric the run did not produce fails with
// "metric not produced by this run". approx passes when |measured - value| <= tolerance (a percent
// tolerance is relative to |value|); between is inclusive; eq/ne compare exactly.
ExpectationResult evaluate(const Expectation& expectation, const metrics::Registry& registry);
std::vector<ExpectationResult> evaluate(const std::vector<Expectation>& expectations,
                                        const metrics::Registry& registry);

// True when every result passed (an empty list passes).
bool all_passed(const std::vector<ExpectationResult>& results);

} // namespace x86sim::scenario
