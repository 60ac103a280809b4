// Runs the x86sim binary in a subprocess for the CLI tests.
#pragma once

#include <string>
#include <vector>

namespace x86sim::test {

struct CliResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

CliResult run_x86sim(const std::vector<std::string>& args, const std::vector<std::string>& env = {});
// The same with `input` as the child's stdin (a file, so not a terminal: what a script piping
// commands into `x86sim debug` gives it).
CliResult run_x86sim_with_input(const std::vector<std::string>& args, const std::string& input,
                                const std::vector<std::string>& env = {});

// A fresh scratch directory for one test, removed by the caller's TempDir destructor.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string write(const std::string& name, const std::string& content) const;

  private:
    std::string path_;
};

std::string read_file(const std::string& path);

} // namespace x86sim::test
