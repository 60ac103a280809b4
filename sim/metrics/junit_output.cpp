#include "sim/metrics/junit_output.h"

#include <array>
#include <cstdio>
#include <ostream>

namespace x86sim::metrics {
namespace {

std::string seconds_text(double seconds) {
    if (!(seconds >= 0) || seconds > 1e12) {
        seconds = 0;
    }
    std::array<char, 48> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.3f", seconds);
    return buffer.data();
}

} // namespace

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            // XML 1.0 forbids C0 controls other than tab, newline and carriage return, even escaped.
            if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                out += '?';
            } else {
                out += c;
            }
        }
    }
    return out;
}

void write_junit(std::ostream& out, const std::vector<JunitCase>& cases, std::string_view suite_name) {
    std::size_t failures = 0;
    std::size_t errors = 0;
    std::size_t skipped = 0;
    double total_time = 0;
    for (const JunitCase& test : cases) {
        if (test.error) {
            ++errors;
        } else if (!test.failures.empty()) {
            ++failures;
        } else if (test.skipped) {
            ++skipped;
        }
        if (test.time_s > 0) {
            total_time += test.time_s;
        }
    }
    const std::string name = xml_escape(suite_name);
    const std::string counts = " tests=\"" + std::to_string(cases.size()) + "\" failures=\"" +
                               std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
                               "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" +
                               seconds_text(total_time) + "\"";
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites name=\"" << name << "\"" << counts << ">\n";
    out << "  <testsuite name=\"" << name << "\"" << counts << ">\n";
    for (const JunitCase& test : cases) {
        out << "    <testcase name=\"" << xml_escape(test.name) << "\" classname=\""
            << xml_escape(test.classname) << "\" time=\"" << seconds_text(test.time_s) << "\"";
        const bool empty = !test.error && test.failures.empty() && !test.skipped && test.system_out.empty();
        if (empty) {
            out << "/>\n";
            continue;
        }
        out << ">\n";
        if (test.error) {
            out << "      <error message=\"" << xml_escape(*test.error) << "\">" << xml_escape(*test.error)
                << "</error>\n";
        } else if (!test.failures.empty()) {
            std::string all;
            for (const std::string& failure : test.failures) {
                all += failure + "\n";
            }
            out << "      <failure message=\"" << xml_escape(test.failures.front()) << "\">"
                << xml_escape(all) << "</failure>\n";
        } else if (test.skipped) {
            out << "      <skipped message=\"" << xml_escape(*test.skipped) << "\"/>\n";
        }
        if (!test.system_out.empty()) {
            out << "      <system-out>" << xml_escape(test.system_out) << "</system-out>\n";
        }
        out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
    out << "</testsuites>\n";
}

} // namespace x86sim::metrics
