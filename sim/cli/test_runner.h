// `x86sim test`: every scenario (and every variant of it) as a process of its own, -j at a time,
// sharded like GoogleTest (GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX), ending with `N passed, N failed`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace x86sim::cli {

struct TestCase {
    std::string file;
    std::optional<std::string> variant;
    std::string display_name() const { return variant ? file + " [" + *variant + "]" : file; }
};

// Scenario files named by `paths` (files, or directories searched recursively for *.yaml/*.yml), sorted.
// A path that does not exist is reported in `errors`.
std::vector<std::string> find_scenario_files(const std::vector<std::string>& paths,
                                             std::vector<std::string>& errors);

struct Sharding {
    unsigned total = 1;
    unsigned index = 0;
};
// Reads GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX; an error message for inconsistent values.
std::optional<Sharding> sharding_from_environment(std::string& error);

// The cases this shard runs: case i belongs to shard i % total.
std::vector<TestCase> shard_cases(const std::vector<TestCase>& cases, const Sharding& sharding);

} // namespace x86sim::cli
