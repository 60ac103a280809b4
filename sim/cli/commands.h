// The x86sim subcommands (design/SCENARIOS.md "Command line"). Each returns the process exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace x86sim::cli {

// Exit codes: the user contract.
inline constexpr int kExitPass = 0;     // every expectation holds
inline constexpr int kExitFail = 1;     // an expectation failed
inline constexpr int kExitBadInput = 2; // bad scenario, option or protocol input
inline constexpr int kExitInternal = 3; // a simulator bug (reported, never a crash)

struct ScenarioArgs {
    std::string file;
    std::vector<std::string> overrides; // --set key.path=value
    std::optional<std::uint64_t> seed;
    std::optional<std::string> variant;
};

struct RunArgs {
    ScenarioArgs scenario;
    std::string out_dir; // "" = no metrics.json
    std::vector<std::string> traces;
    bool quiet = false;
    bool progress = true;
    std::string guest; // --guest PATH.so: a guest kernel library instead of the built-in one
};

struct CompareArgs {
    ScenarioArgs scenario;
    std::vector<std::string> variants; // empty: all, in file order
    std::vector<std::string> metrics;  // only metrics whose name starts with one of these (empty: all)
    unsigned jobs = 1;
};

struct TestArgs {
    std::vector<std::string> paths;
    std::string junit_file;
    std::string out_dir; // per case: DIR/<case>/metrics.json
    unsigned jobs = 1;
};

// serve / debug / attach: the control server and the debugger prompt (design/CONTROL-PROTOCOL.md).
struct ServeArgs {
    ScenarioArgs scenario; // file "" = the default platform
    std::uint16_t port = 0;
    std::string listen = "127.0.0.1";
};

struct DebugArgs {
    ScenarioArgs scenario;
    std::uint16_t port = 0;
};

struct AttachArgs {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;
};

int run_command(const RunArgs& args);
int compare_command(const CompareArgs& args);
int test_command(const TestArgs& args);
int validate_command(const std::vector<std::string>& files);
int list_command(const std::string& directory);
int metrics_command();
int demo_command();
int serve_command(const ServeArgs& args);
int debug_command(const DebugArgs& args);
int attach_command(const AttachArgs& args);

} // namespace x86sim::cli
