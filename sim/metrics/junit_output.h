// JUnit XML for CI dashboards (`x86sim test --junit FILE`): one <testcase> per scenario (or variant).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace x86sim::metrics {

struct JunitCase {
    std::string name;      // e.g. "tick-pit-vs-lapic" or "tick-pit-vs-lapic[before]"
    std::string classname; // e.g. "scenarios.tick-pit-vs-lapic" (dashboards group by it)
    double time_s = 0;     // wall seconds
    // Failed expectations, one message each (<failure>); the first is the element's message.
    std::vector<std::string> failures;
    // Could not run (bad scenario, crash): <error>. Takes precedence over failures in the counts.
    std::optional<std::string> error;
    std::optional<std::string> skipped; // reason
    std::string system_out;             // e.g. the metrics table
};

// <testsuites><testsuite name=suite_name ...><testcase .../>...</testsuite></testsuites>.
// Attribute and text content are XML-escaped; characters not allowed in XML 1.0 become '?'.
void write_junit(std::ostream& out, const std::vector<JunitCase>& cases,
                 std::string_view suite_name = "x86sim");

// XML-escapes text for attribute values and element content.
std::string xml_escape(std::string_view text);

} // namespace x86sim::metrics
