// `x86sim debug FILE [--port N]`: starts the scenario paused under the control server and opens the
// interactive prompt in this terminal; `x86sim attach [--port N]`: the prompt alone, for a running
// `serve` or `debug`. The server runs in a child process in its own process group (so Ctrl-C at the
// prompt pauses the simulation instead of killing it); leaving the prompt stops it.
#include "sim/cli/commands.h"
#include "sim/control/control_server.h"
#include "sim/control/prompt.h"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace x86sim::cli {

std::optional<control::ScenarioSource> control_source(const ScenarioArgs& args);

int debug_command(const DebugArgs& args) {
    const auto source = control_source(args.scenario);
    if (!source) {
        return kExitBadInput;
    }
    int port_pipe[2];
    if (::pipe(port_pipe) != 0) {
        std::cerr << "x86sim: cannot create a pipe\n";
        return kExitInternal;
    }
    std::fflush(nullptr);
    const auto server = ::fork();
    if (server < 0) {
        std::cerr << "x86sim: cannot start the control server\n";
        return kExitInternal;
    }
    if (server == 0) {
        ::setpgid(0, 0);
        ::close(port_pipe[0]);
        control::ServerOptions options;
        options.port = args.port;
        options.source = *source;
        options.on_listening = [&](const std::string& address, std::uint16_t port) {
            std::cerr << "x86sim: listening on " << address << ":" << port << std::endl;
            const auto text = std::to_string(port) + "\n";
            [[maybe_unused]] const auto ignored = ::write(port_pipe[1], text.data(), text.size());
            ::close(port_pipe[1]);
        };
        int code = 0;
        try {
            code = control::run_control_server(options);
        } catch (const std::exception& error) {
            std::cerr << "x86sim: " << error.what() << "\n";
            code = kExitBadInput;
        }
        std::fflush(nullptr);
        ::_exit(code);
    }
    ::close(port_pipe[1]);
    std::string text;
    char buffer[32];
    ssize_t got = 0;
    while ((got = ::read(port_pipe[0], buffer, sizeof buffer)) > 0) {
        text.append(buffer, static_cast<std::size_t>(got));
        if (text.find('\n') != std::string::npos) {
            break;
        }
    }
    ::close(port_pipe[0]);
    if (text.find('\n') == std::string::npos) {
        int status = 0;
        ::waitpid(server, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : kExitInternal;
    }
    const auto port = static_cast<std::uint16_t>(std::stoul(text));
    const int code = control::run_prompt("127.0.0.1", port);
    ::kill(server, SIGTERM);
    int status = 0;
    ::waitpid(server, &status, 0);
    return code;
}

int attach_command(const AttachArgs& args) {
    return control::run_prompt(args.address, args.port);
}

} // namespace x86sim::cli
