// Shared main for SystemC test executables.
//
// SystemC's kernel can elaborate and run only once per process, so every test case must run in a
// process of its own. Under CTest each case already is (gtest_discover_tests, X86SIM_TEST_ISOLATED=1).
// Run by hand with several cases selected, this main lists them and re-executes itself once per case.
#include "models/common/time.h"

#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

std::vector<std::string> list_selected_tests(const char* self, const std::vector<std::string>& passthrough) {
    std::string command = std::string("'") + self + "' --gtest_list_tests";
    for (const auto& arg : passthrough) {
        command += " '" + arg + "'";
    }
    std::vector<std::string> names;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return names;
    }
    std::string suite;
    char line[4096];
    while (std::fgets(line, sizeof line, pipe) != nullptr) {
        std::string text(line);
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
            text.pop_back();
        }
        if (text.empty()) {
            continue;
        }
        const auto comment = text.find("  #");
        if (comment != std::string::npos) {
            text.resize(comment);
        }
        if (text[0] != ' ') {
            suite = text;
        } else {
            names.push_back(suite + text.substr(text.find_first_not_of(' ')));
        }
    }
    ::pclose(pipe);
    return names;
}

int run_isolated(const char* self, const std::vector<std::string>& passthrough,
                 const std::vector<std::string>& names) {
    int passed = 0;
    int failed = 0;
    for (const auto& name : names) {
        const pid_t child = ::fork();
        if (child == 0) {
            ::setenv("X86SIM_TEST_ISOLATED", "1", 1);
            std::vector<std::string> args{self, "--gtest_filter=" + name};
            for (const auto& arg : passthrough) {
                args.push_back(arg);
            }
            std::vector<char*> argv;
            for (auto& arg : args) {
                argv.push_back(arg.data());
            }
            argv.push_back(nullptr);
            ::execv(self, argv.data());
            ::_exit(127);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            ++passed;
        } else {
            ++failed;
            std::fprintf(stderr, "[  FAILED  ] %s (isolated run)\n", name.c_str());
        }
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    const bool isolated = std::getenv("X86SIM_TEST_ISOLATED") != nullptr;
    bool listing = false;
    std::vector<std::string> passthrough; // arguments other than the filter
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--gtest_list_tests", 0) == 0) {
            listing = true;
        }
        passthrough.push_back(arg);
    }
    if (!isolated && !listing) {
        auto names = list_selected_tests(argv[0], passthrough);
        if (names.size() > 1) {
            std::vector<std::string> rest;
            for (const auto& arg : passthrough) {
                if (arg.rfind("--gtest_filter", 0) != 0) {
                    rest.push_back(arg);
                }
            }
            return run_isolated(argv[0], rest, names);
        }
    }
    x86sim::models::ensure_time_resolution();
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

// SystemC's library defines main() and calls sc_main(); this executable provides its own main, so
// sc_main is never called, but the symbol must exist for the link.
int sc_main(int, char*[]) {
    return 0;
}
