#include "sim/cli/test_runner.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace x86sim::cli {

namespace fs = std::filesystem;

namespace {
bool is_scenario_file(const fs::path& path) {
    const auto extension = path.extension().string();
    return extension == ".yaml" || extension == ".yml";
}

std::optional<unsigned> parse_unsigned(const char* text) {
    if (text == nullptr || *text == '\0') {
        return std::nullopt;
    }
    char* end = nullptr;
    const auto value = std::strtoul(text, &end, 10);
    if (*end != '\0' || value > 1'000'000) {
        return std::nullopt;
    }
    return static_cast<unsigned>(value);
}
} // namespace

std::vector<std::string> find_scenario_files(const std::vector<std::string>& paths,
                                             std::vector<std::string>& errors) {
    std::vector<std::string> files;
    for (const auto& path : paths) {
        std::error_code error;
        if (fs::is_directory(path, error)) {
            std::vector<std::string> found;
            for (const auto& entry : fs::recursive_directory_iterator(path, error)) {
                if (entry.is_regular_file() && is_scenario_file(entry.path())) {
                    found.push_back(entry.path().lexically_normal().string());
                }
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(path, error)) {
            files.push_back(fs::path(path).lexically_normal().string());
        } else {
            errors.push_back(path + ": no such file or directory");
        }
    }
    return files;
}

std::optional<Sharding> sharding_from_environment(std::string& error) {
    const char* total_text = std::getenv("GTEST_TOTAL_SHARDS");
    const char* index_text = std::getenv("GTEST_SHARD_INDEX");
    if (total_text == nullptr && index_text == nullptr) {
        return Sharding{};
    }
    const auto total = parse_unsigned(total_text);
    const auto index = parse_unsigned(index_text);
    if (!total || !index || *total == 0 || *index >= *total) {
        error = "GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX must both be set, with 0 <= index < total";
        return std::nullopt;
    }
    // Like GoogleTest: tell the runner that sharding is understood.
    if (const char* status_file = std::getenv("GTEST_SHARD_STATUS_FILE")) {
        std::ofstream touch(status_file);
    }
    return Sharding{*total, *index};
}

std::vector<TestCase> shard_cases(const std::vector<TestCase>& cases, const Sharding& sharding) {
    std::vector<TestCase> mine;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        if (i % sharding.total == sharding.index) {
            mine.push_back(cases[i]);
        }
    }
    return mine;
}

} // namespace x86sim::cli
