#include "sim/scenario/diagnostic.h"

namespace x86sim::scenario {
namespace {

std::string join(const std::vector<Diagnostic>& diagnostics) {
    std::string text;
    for (const Diagnostic& diagnostic : diagnostics) {
        if (!text.empty()) {
            text += "\n";
        }
        text += diagnostic.to_string();
    }
    return text;
}

} // namespace

std::string SourceLocation::to_string() const {
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Diagnostic::to_string() const {
    return where.to_string() + ": error: " + message;
}

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics_)
    : std::runtime_error(join(diagnostics_)), diagnostics(std::move(diagnostics_)) {}

ScenarioError::ScenarioError(SourceLocation where, std::string message)
    : ScenarioError(std::vector<Diagnostic>{Diagnostic{std::move(where), std::move(message)}}) {}

} // namespace x86sim::scenario
