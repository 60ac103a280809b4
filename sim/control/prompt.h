// The interactive debugger prompt (`x86sim debug`, `x86sim attach`): a client of the control protocol
// over the socket, with readline editing, history (~/.x86sim_history) and completion of command words.
// Replies are shown readably: stops as one summary line plus the triggering interrupt-path record,
// other JSON replies indented. Ctrl-C while a command runs sends `pause`; `quit` (or Ctrl-D) leaves.
#pragma once

#include <cstdint>
#include <string>
#include <utility> // Boost 1.74 Asio (used by the .cpp) needs std::exchange declared first

namespace x86sim::control {

// Connects to address:port (retrying for up to 5 s) and runs the prompt. Returns the exit code.
int run_prompt(const std::string& address, std::uint16_t port);

// The human-readable form of one reply line (exposed for tests).
std::string format_reply(const std::string& line);

} // namespace x86sim::control
