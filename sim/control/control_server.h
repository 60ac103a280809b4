// The control server (design/CONTROL-PROTOCOL.md): a TCP listener on 127.0.0.1 (another address only
// when asked explicitly) serving one client at a time. While a client is connected, a second one is
// refused with a FAIL line naming the reason and disconnected; it can connect again once the first
// leaves. Lines go to the simulation engine (engine_loop.h) in a child process, in order; replies come
// back in order. The server itself handles what needs a new engine:
//   back [N]   asks the engine for its checkpoint, starts a fresh engine and replays it to event E - N
//   load FILE  starts a fresh engine from a saved checkpoint (`save` is done by the engine)
// and lines longer than 64 KiB (answered FAIL, never buffered). A client that disconnects - even in
// the middle of a command - leaves the engine and its simulation as they are for the next client.
#pragma once

#include "sim/control/core/checkpoint.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility> // Boost 1.74 Asio (used by the .cpp) needs std::exchange declared first

namespace x86sim::control {

struct ServerOptions {
    std::string listen_address = "127.0.0.1";
    std::uint16_t port = 0; // 0: an ephemeral port
    ScenarioSource source;
    // Called once listening, with the port (the CLI prints "x86sim: listening on ADDR:PORT").
    std::function<void(const std::string& address, std::uint16_t port)> on_listening;
};

// Runs until SIGTERM/SIGINT (or a fatal error). Throws std::runtime_error for a scenario the engine
// cannot run or an address it cannot listen on; returns the exit code otherwise.
int run_control_server(const ServerOptions& options);

} // namespace x86sim::control
