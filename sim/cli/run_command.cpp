#include "sim/cli/commands.h"
#include "sim/cli/scenario_input.h"
#include "sim/guest/guest_library.h"
#include "sim/metrics/json_output.h"
#include "sim/metrics/table_output.h"
#include "sim/platform/address_map.h"
#include "sim/platform/platform.h"
#include "sim/platform/simulation.h"
#include "sim/trace/trace_recorder.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace x86sim::cli {

int run_command(const RunArgs& args) {
    auto loaded = load_for_cli(args.scenario);
    if (!loaded) {
        return kExitBadInput;
    }
    trace::TraceOptions trace_options;
    if (const auto problem = trace::parse_trace_formats(args.traces, trace_options); !problem.empty()) {
        std::cerr << "x86sim: " << problem << "\n";
        return kExitBadInput;
    }
    trace_options.directory = args.out_dir.empty() ? "." : args.out_dir;
    if (!args.traces.empty()) {
        std::error_code error;
        std::filesystem::create_directories(trace_options.directory, error);
    }
    std::unique_ptr<trace::TraceRecorder> recorder;
    const auto& config = loaded->config;
    // --guest: load and check the library before anything runs (design/GUEST-MODEL.md).
    std::shared_ptr<sim::guest::GuestLibrary> guest;
    if (!args.guest.empty()) {
        try {
            guest = sim::guest::GuestLibrary::open(args.guest);
        } catch (const sim::guest::GuestLoadError& error) {
            std::cerr << "x86sim: " << error.what() << "\n";
            return kExitBadInput;
        }
        if (!config.kernel) {
            std::cerr << "x86sim: note: the scenario has no kernel: section, so --guest " << args.guest
                      << " is not used\n";
        }
    }
    sim::RunOutcome outcome;
    try {
        outcome = sim::run_scenario(config, {.progress = args.progress && !args.quiet,
                                             .on_platform =
                                                 [&](sim::Platform& platform) {
                                                     if (!args.traces.empty()) {
                                                         recorder = std::make_unique<trace::TraceRecorder>(
                                                             platform, trace_options);
                                                     }
                                                 },
                                             .guest = guest ? guest->table() : nullptr,
                                             .guest_name = guest ? "guest " + args.guest : ""});
        if (recorder) {
            recorder->finish(config.duration_ps);
        }
    } catch (const scenario::ScenarioError& error) {
        print_diagnostics(error);
        return kExitBadInput;
    } catch (const sim::PlatformError& error) {
        std::cerr << config.where("platform").to_string() << ": error: " << error.what() << "\n";
        return kExitBadInput;
    } catch (const trace::TraceError& error) {
        std::cerr << "x86sim: --trace: " << error.what() << "\n";
        return kExitBadInput;
    }

    if (!args.quiet) {
        std::cout << config.name << (loaded->variant ? " [" + *loaded->variant + "]" : "") << "\n";
        metrics::write_table(std::cout, outcome.registry, outcome.checks);
    } else {
        metrics::write_expectations(std::cout, outcome.checks);
    }
    if (!args.out_dir.empty()) {
        std::error_code error;
        std::filesystem::create_directories(args.out_dir, error);
        const auto path = std::filesystem::path(args.out_dir) / "metrics.json";
        std::ofstream out(path);
        if (!out) {
            std::cerr << "x86sim: cannot write " << path.string() << "\n";
            return kExitBadInput;
        }
        nlohmann::ordered_json host;
        host["wall_s"] = outcome.wall_seconds;
        metrics::write_metrics_json(out, {config.name, loaded->variant, config.seed}, outcome.registry,
                                    outcome.checks, host);
    }
    return outcome.passed() ? kExitPass : kExitFail;
}

} // namespace x86sim::cli
