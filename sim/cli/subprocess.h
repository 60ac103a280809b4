// Running x86sim itself as a child process: `x86sim test` runs each scenario in a process of its own
// (a SystemC kernel runs once per process, and a crash in one scenario must not take down the others),
// and `x86sim compare` runs each variant the same way.
#pragma once

#include <string>
#include <vector>

namespace x86sim::cli {

struct ChildResult {
    int exit_code = -1; // -1: killed by a signal (see `signal`)
    int signal = 0;
    std::string output; // stdout and stderr, interleaved
};

// Path of the running executable (/proc/self/exe).
std::string self_executable();

// Starts `argv` with stdout+stderr captured; returns a handle for wait_child.
struct RunningChild {
    int pid = -1;
    std::string output_path;
};
RunningChild start_child(const std::vector<std::string>& argv);
ChildResult wait_child(RunningChild& child);

// Runs each command with at most `jobs` at once; results in the order of `commands`.
std::vector<ChildResult> run_children(const std::vector<std::vector<std::string>>& commands, unsigned jobs);

} // namespace x86sim::cli
