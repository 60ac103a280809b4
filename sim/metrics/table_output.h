// The human table printed by `x86sim run`: one row per flat metric in human units, then one line per
// expectation (PASS/FAIL with the measured value).
#pragma once

#include "sim/metrics/check_result.h"
#include "sim/metrics/registry.h"

#include <iosfwd>
#include <vector>

namespace x86sim::metrics {

void write_table(std::ostream& out, const Registry& registry, const std::vector<CheckResult>& expectations);

// Only the expectation lines ("PASS  ..." / "FAIL  ..."), e.g. for `x86sim test` failure reports.
void write_expectations(std::ostream& out, const std::vector<CheckResult>& expectations);

} // namespace x86sim::metrics
