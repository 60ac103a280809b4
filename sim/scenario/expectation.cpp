#include "sim/scenario/expectation.h"

#include "sim/metrics/human_format.h"

#include <cmath>

namespace x86sim::scenario {

ExpectationResult evaluate(const Expectation& expectation, const metrics::Registry& registry) {
    ExpectationResult result;
    result.metric = expectation.metric;
    result.op = std::string(op_name(expectation.op));
    result.expected_text = expectation.expected_text;
    if (expectation.op == ExpectOp::between) {
        result.expected = {expectation.value, expectation.high};
    } else {
        result.expected = {expectation.value};
    }
    if (expectation.op == ExpectOp::approx) {
        result.tolerance = expectation.tolerance.text;
    }
    const std::string expected = "(expected " + result.op + " " + expectation.expected_text + ")";
    result.measured = registry.value(expectation.metric);
    if (!result.measured) {
        result.pass = false;
        result.description = expectation.metric + ": metric not produced by this run " + expected;
        return result;
    }
    const double measured = *result.measured;
    const double value = expectation.value;
    switch (expectation.op) {
    case ExpectOp::eq:
        result.pass = measured == value;
        break;
    case ExpectOp::ne:
        result.pass = measured != value;
        break;
    case ExpectOp::lt:
        result.pass = measured < value;
        break;
    case ExpectOp::le:
        result.pass = measured <= value;
        break;
    case ExpectOp::gt:
        result.pass = measured > value;
        break;
    case ExpectOp::ge:
        result.pass = measured >= value;
        break;
    case ExpectOp::approx: {
        const double tolerance = expectation.tolerance.percent
                                     ? std::fabs(value) * expectation.tolerance.value / 100.0
                                     : expectation.tolerance.value;
        result.pass = std::fabs(measured - value) <= tolerance;
        break;
    }
    case ExpectOp::between:
        result.pass = measured >= value && measured <= expectation.high;
        break;
    }
    result.description = expectation.metric + " = " +
                         metrics::format_value(measured, registry.unit_of(expectation.metric)) + " " +
                         expected;
    return result;
}

std::vector<ExpectationResult> evaluate(const std::vector<Expectation>& expectations,
                                        const metrics::Registry& registry) {
    std::vector<ExpectationResult> results;
    results.reserve(expectations.size());
    for (const Expectation& expectation : expectations) {
        results.push_back(evaluate(expectation, registry));
    }
    return results;
}

bool all_passed(const std::vector<ExpectationResult>& results) {
    for (const ExpectationResult& result : results) {
        if (!result.pass) {
            return false;
        }
    }
    return true;
}

} // namespace x86sim::scenario
