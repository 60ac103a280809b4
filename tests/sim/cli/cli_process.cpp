#include "cli_process.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace x86sim::test {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

namespace {

CliResult run_child(const std::vector<std::string>& args, const std::vector<std::string>& env,
                    const std::string* input) {
    TempDir scratch;
    const auto in_path = input != nullptr ? scratch.write("stdin", *input) : std::string();
    const auto out_path = scratch.path() + "/stdout";
    const auto err_path = scratch.path() + "/stderr";
    const pid_t child = ::fork();
    if (child == 0) {
        for (const auto& assignment : env) {
            ::putenv(const_cast<char*>(assignment.c_str()));
        }
        ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
        if (!in_path.empty()) {
            std::freopen(in_path.c_str(), "r", stdin);
        }
        std::freopen(out_path.c_str(), "w", stdout);
        std::freopen(err_path.c_str(), "w", stderr);
        std::vector<std::string> argv_strings{X86SIM_BINARY};
        argv_strings.insert(argv_strings.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& arg : argv_strings) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        ::execv(X86SIM_BINARY, argv.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    CliResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    result.out = read_file(out_path);
    result.err = read_file(err_path);
    return result;
}

} // namespace

CliResult run_x86sim(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    return run_child(args, env, nullptr);
}

CliResult run_x86sim_with_input(const std::vector<std::string>& args, const std::string& input,
                                const std::vector<std::string>& env) {
    return run_child(args, env, &input);
}

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "x86sim-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
    const auto path = path_ + "/" + name;
    std::ofstream(path) << content;
    return path;
}

} // namespace x86sim::test
