// Errors about scenario input, always naming where: "file:line:col: error: message".
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace x86sim::scenario {

struct SourceLocation {
    std::string file;
    int line = 1;   // 1-based
    int column = 1; // 1-based

    std::string to_string() const; // "file:line:col"
    bool operator==(const SourceLocation&) const = default;
};

struct Diagnostic {
    SourceLocation where;
    std::string message;

    std::string to_string() const; // "file:line:col: error: message"
};

// Thrown by the loader for bad input (syntax, unknown keys, bad values, semantic conflicts). Holds
// every diagnostic found (capped, see max_diagnostics); what() is all of them, one per line.
class ScenarioError : public std::runtime_error {
  public:
    explicit ScenarioError(std::vector<Diagnostic> diagnostics_);
    ScenarioError(SourceLocation where, std::string message);

    std::vector<Diagnostic> diagnostics;
};

// Validation stops collecting after this many diagnostics (later ones are usually consequences).
inline constexpr std::size_t max_diagnostics = 50;

} // namespace x86sim::scenario
