#include "sim/cli/subprocess.h"

#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace x86sim::cli {

namespace {
// Turns a wait status and the captured output file into a result (and removes the file).
ChildResult collect(int status, const std::string& output_path) {
    ChildResult result;
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    std::ifstream in(output_path);
    std::ostringstream text;
    text << in.rdbuf();
    result.output = text.str();
    ::unlink(output_path.c_str());
    return result;
}
} // namespace

std::string self_executable() {
    char buffer[PATH_MAX];
    const auto length = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
    if (length <= 0) {
        throw std::runtime_error("cannot find the x86sim executable (/proc/self/exe)");
    }
    return std::string(buffer, static_cast<std::size_t>(length));
}

RunningChild start_child(const std::vector<std::string>& argv) {
    char output_template[] = "/tmp/x86sim-child-XXXXXX";
    const int output_fd = ::mkstemp(output_template);
    if (output_fd < 0) {
        throw std::runtime_error("cannot create a temporary file for a child's output");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, output_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, output_fd, STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, output_fd);
    std::vector<std::string> args = argv;
    std::vector<char*> raw;
    for (auto& arg : args) {
        raw.push_back(arg.data());
    }
    raw.push_back(nullptr);
    pid_t pid = -1;
    const int error = ::posix_spawn(&pid, raw[0], &actions, nullptr, raw.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(output_fd);
    if (error != 0) {
        ::unlink(output_template);
        throw std::runtime_error("cannot start " + argv[0]);
    }
    return {pid, output_template};
}

ChildResult wait_child(RunningChild& child) {
    int status = 0;
    ::waitpid(child.pid, &status, 0);
    return collect(status, child.output_path);
}

std::vector<ChildResult> run_children(const std::vector<std::vector<std::string>>& commands, unsigned jobs) {
    std::vector<ChildResult> results(commands.size());
    std::map<int, std::pair<std::size_t, RunningChild>> running; // pid -> (index, child)
    std::size_t next = 0;
    jobs = jobs == 0 ? 1 : jobs;
    while (next < commands.size() || !running.empty()) {
        while (next < commands.size() && running.size() < jobs) {
            auto child = start_child(commands[next]);
            running.emplace(child.pid, std::make_pair(next, child));
            ++next;
        }
        int status = 0;
        const pid_t done = ::waitpid(-1, &status, 0);
        auto found = running.find(done);
        if (found == running.end()) {
            continue;
        }
        auto [index, child] = found->second;
        running.erase(found);
        results[index] = collect(status, child.output_path);
    }
    return results;
}

} // namespace x86sim::cli
