// `x86sim serve [FILE] [--port N] [--listen ADDR]`: the control server alone (design/SCENARIOS.md,
// design/CONTROL-PROTOCOL.md), for scripts and qtest-style tests. Without FILE: the default platform.
#include "sim/cli/commands.h"
#include "sim/cli/scenario_input.h"
#include "sim/control/control_server.h"
#include "sim/control/engine_process.h"
#include "sim/platform/simulation.h"

#include <iostream>

namespace x86sim::cli {

std::optional<control::ScenarioSource> control_source(const ScenarioArgs& args) {
    control::ScenarioSource source;
    if (!args.file.empty()) {
        source.path = args.file;
    }
    source.overrides = args.overrides;
    source.variant = args.variant;
    source.seed = args.seed;
    try {
        const auto scenario = control::load_source(source);
        sim::refuse_unmodelled(scenario.config);
    } catch (const scenario::ScenarioError& error) {
        print_diagnostics(error);
        return std::nullopt;
    }
    return source;
}

int serve_command(const ServeArgs& args) {
    const auto source = control_source(args.scenario);
    if (!source) {
        return kExitBadInput;
    }
    if (args.listen != "127.0.0.1") {
        std::cerr << "x86sim: warning: listening on " << args.listen
                  << ": the control protocol has no authentication; anyone who can reach it controls the "
                     "simulation\n";
    }
    control::ServerOptions options;
    options.listen_address = args.listen;
    options.port = args.port;
    options.source = *source;
    options.on_listening = [](const std::string& address, std::uint16_t port) {
        std::cout << "x86sim: listening on " << address << ":" << port << std::endl;
    };
    try {
        return control::run_control_server(options);
    } catch (const std::exception& error) {
        std::cerr << "x86sim: " << error.what() << "\n";
        return kExitBadInput;
    }
}

} // namespace x86sim::cli
