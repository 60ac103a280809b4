// Helpers for scenario tests: load text and collect the diagnostics.
#pragma once

#include "sim/scenario/loader.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace x86sim::scenario::test {

inline std::vector<Diagnostic> errors_of(const std::string& yaml, const LoadOptions& options = {}) {
    try {
        (void)load_scenario_text(yaml, "s.yaml", options);
    } catch (const ScenarioError& error) {
        return error.diagnostics;
    }
    return {};
}

// The single diagnostic of `yaml` as "file:line:col: error: message".
inline std::string only_error(const std::string& yaml, const LoadOptions& options = {}) {
    const auto errors = errors_of(yaml, options);
    if (errors.size() != 1) {
        std::string all;
        for (const auto& error : errors) {
            all += error.to_string() + "\n";
        }
        ADD_FAILURE() << "expected exactly one diagnostic, got " << errors.size() << ":\n" << all;
        return all;
    }
    return errors[0].to_string();
}

inline const std::string minimal = "name: t\nduration: 1ms\n";

} // namespace x86sim::scenario::test
