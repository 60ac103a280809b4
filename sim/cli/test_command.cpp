#include "sim/cli/commands.h"
#include "sim/cli/subprocess.h"
#include "sim/cli/test_runner.h"
#include "sim/metrics/junit_output.h"
#include "sim/scenario/loader.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace x86sim::cli {

namespace {

// The directory name of a case's output: the file's stem, plus the variant.
std::string case_directory(const TestCase& test_case) {
    auto name = std::filesystem::path(test_case.file).stem().string();
    return test_case.variant ? name + "." + *test_case.variant : name;
}

// Expands files into cases: the scenario as written, then each of its variants.
std::vector<TestCase> expand_cases(const std::vector<std::string>& files) {
    std::vector<TestCase> cases;
    for (const auto& file : files) {
        cases.push_back({file, std::nullopt});
        try {
            const auto loaded = scenario::load_scenario_file(file);
            for (const auto& variant : scenario::variant_names(loaded)) {
                cases.push_back({file, variant});
            }
        } catch (const scenario::ScenarioError&) {
            // The base case reports the error when it runs.
        }
    }
    return cases;
}

} // namespace

int test_command(const TestArgs& args) {
    std::vector<std::string> errors;
    const auto paths = args.paths.empty() ? std::vector<std::string>{"scenarios"} : args.paths;
    const auto files = find_scenario_files(paths, errors);
    for (const auto& error : errors) {
        std::cerr << "x86sim test: " << error << "\n";
    }
    if (!errors.empty()) {
        return kExitBadInput;
    }
    std::string shard_error;
    const auto sharding = sharding_from_environment(shard_error);
    if (!sharding) {
        std::cerr << "x86sim test: " << shard_error << "\n";
        return kExitBadInput;
    }
    const auto cases = shard_cases(expand_cases(files), *sharding);

    const auto self = self_executable();
    std::vector<std::vector<std::string>> commands;
    for (const auto& test_case : cases) {
        std::vector<std::string> command{self, "run", test_case.file, "--quiet"};
        if (test_case.variant) {
            command.insert(command.end(), {"--variant", *test_case.variant});
        }
        if (!args.out_dir.empty()) {
            command.insert(
                command.end(),
                {"--out", (std::filesystem::path(args.out_dir) / case_directory(test_case)).string()});
        }
        commands.push_back(std::move(command));
    }
    const auto started = std::chrono::steady_clock::now();
    const auto results = run_children(commands, args.jobs);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    unsigned passed = 0;
    unsigned failed = 0;
    bool bad_input = false;
    std::vector<metrics::JunitCase> junit;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& test_case = cases[i];
        const auto& result = results[i];
        metrics::JunitCase entry;
        entry.name = case_directory(test_case);
        entry.classname = "scenarios." + std::filesystem::path(test_case.file).stem().string();
        entry.time_s = wall / static_cast<double>(cases.size());
        entry.system_out = result.output;
        if (result.exit_code == kExitPass) {
            ++passed;
            std::cout << "PASS  " << test_case.display_name() << "\n";
        } else {
            ++failed;
            std::cout << "FAIL  " << test_case.display_name();
            if (result.signal != 0) {
                std::cout << " (killed by signal " << result.signal << ")";
                entry.error = "killed by signal " + std::to_string(result.signal);
            } else if (result.exit_code == kExitFail) {
                entry.failures.push_back("expectation failed");
            } else {
                bad_input = bad_input || result.exit_code == kExitBadInput;
                entry.error = "exit code " + std::to_string(result.exit_code);
            }
            std::cout << "\n";
            // The child's own report: failed expectations or the file:line:col diagnostics.
            std::string line;
            std::istringstream lines(result.output);
            while (std::getline(lines, line)) {
                if (line.rfind("PASS", 0) != 0) {
                    std::cout << "      " << line << "\n";
                }
                if (result.exit_code == kExitFail && line.rfind("FAIL", 0) == 0) {
                    entry.failures.back() = line;
                }
            }
        }
        junit.push_back(std::move(entry));
    }
    if (!args.junit_file.empty()) {
        std::ofstream out(args.junit_file);
        if (!out) {
            std::cerr << "x86sim test: cannot write " << args.junit_file << "\n";
            return kExitBadInput;
        }
        metrics::write_junit(out, junit);
    }
    std::cout << passed << " passed, " << failed << " failed\n";
    if (failed == 0) {
        return kExitPass;
    }
    return bad_input ? kExitBadInput : kExitFail;
}

} // namespace x86sim::cli
