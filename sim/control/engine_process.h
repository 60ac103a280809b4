// A simulation engine in a child process (engine_loop.h), started by fork() from the server process,
// which never elaborates SystemC itself: every child starts from a pristine SystemC kernel, which is how
// `back` and `load` re-execute from time zero.
#pragma once

#include "sim/control/core/checkpoint.h"
#include "sim/control/core/line_framer.h"
#include "sim/scenario/loader.h"

#include <deque>
#include <string>
#include <vector>

namespace x86sim::control {

// The scenario a source names (the default platform for a source without a path). Throws
// scenario::ScenarioError with file:line:col diagnostics.
scenario::Scenario load_source(const ScenarioSource& source);

class EngineProcess {
  public:
    EngineProcess() = default;
    ~EngineProcess();
    EngineProcess(const EngineProcess&) = delete;
    EngineProcess& operator=(const EngineProcess&) = delete;

    // Forks the engine for `scenario`; `close_in_child` are descriptors the child must not keep (the
    // listening socket, client connections). Throws std::runtime_error if the process cannot start.
    void start(const scenario::Scenario& scenario, const ScenarioSource& source,
               const std::vector<int>& close_in_child);
    void stop(); // closes its input (it exits), then waits; SIGKILL if it does not exit within 2 s
    bool running() const { return pid_ > 0; }

    bool send(const std::string& line); // appends '\n'
    int output_fd() const { return from_engine_; }
    // Reads what is available on the output; false on EOF (the engine died).
    bool read_available(std::deque<std::string>& lines);
    // Waits for the reply of the last command sent: lines starting "IRQ " go to `async`.
    bool wait_reply(std::string& reply, std::vector<std::string>& async);

  private:
    int pid_ = -1;
    int to_engine_ = -1;
    int from_engine_ = -1;
    LineFramer framer_;
    std::deque<std::string> pending_;
};

} // namespace x86sim::control
