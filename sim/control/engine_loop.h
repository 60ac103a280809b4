// The simulation engine process of the control server: one SimMachine + Session reading protocol lines
// from a pipe and writing replies to another (design: the server process owns the socket; the engine
// owns SystemC; `back`/`load` replace the engine with a fresh process, since a SystemC kernel cannot be
// restarted within a process).
//
// Besides the protocol, the engine answers two internal lines from the server:
//   __checkpoint          -> OK <checkpoint JSON>   (core/checkpoint.h)
//   __replay <JSON>       -> OK <stop JSON>          re-executes a checkpoint in this fresh engine
// While a continue/step/stepi runs, the engine keeps reading its input: a `pause` line stops the run
// (it is then answered in its turn); other lines wait for the run to end.
#pragma once

#include "sim/control/core/checkpoint.h"
#include "sim/scenario/config.h"

#include <string>

namespace x86sim::control {

// Runs until the input pipe closes. Returns the process exit code.
int run_engine(const scenario::Config& config, const ScenarioSource& source, int input_fd, int output_fd);

// Writes all of `text` to the pipe `fd` (retrying short writes and EINTR); false when the pipe is gone.
// Both ends of the server-engine pipes use it.
bool write_all(int fd, const std::string& text);

} // namespace x86sim::control
