#include "sim/cli/cli_app.h"

#include "sim/cli/commands.h"
#include "sim/cli/logging.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>

#ifndef X86SIM_VERSION
#define X86SIM_VERSION "0.0.0"
#endif

namespace x86sim::cli {

namespace {

void add_scenario_options(CLI::App& command, ScenarioArgs& args) {
    command.add_option("FILE", args.file, "scenario file")->required()->check(CLI::ExistingFile);
    command.add_option("--set", args.overrides, "override a key: key.path=value (YAML value)")->take_all();
    command.add_option("--seed", args.seed, "random seed (default: the scenario's seed)");
}

} // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{"x86sim: a cycle-approximate x86 interrupt, timer and DMA platform that hosts kernel code"};
    app.set_version_flag("--version", std::string("x86sim ") + X86SIM_VERSION);
    app.require_subcommand(1);
    bool verbose = false;
    bool quiet = false;
    app.add_flag("-v,--verbose", verbose, "more log output (debug level)");
    app.add_flag("-q,--quiet", quiet, "only errors and expectation results");

    RunArgs run_args;
    auto* run = app.add_subcommand("run", "run one scenario, print its metrics, check its expectations");
    add_scenario_options(*run, run_args.scenario);
    run->add_option("--variant", run_args.scenario.variant, "apply one of the scenario's variants");
    run->add_option("--out", run_args.out_dir, "write DIR/metrics.json");
    run->add_option("--trace", run_args.traces, "trace formats: perfetto, vcd")->delimiter(',');
    run->add_flag("-q,--quiet", run_args.quiet, "print only the expectation lines");
    run->add_option("--guest", run_args.guest, "guest kernel shared library (default: the built-in kernel)");

    CompareArgs compare_args;
    auto* compare = app.add_subcommand("compare", "run each variant on the same seed, side by side");
    add_scenario_options(*compare, compare_args.scenario);
    compare->add_option("--variants", compare_args.variants, "variants to compare (default: all)")
        ->delimiter(',');
    compare->add_option("--metrics", compare_args.metrics, "only metrics starting with these prefixes")
        ->delimiter(',');
    compare->add_option("-j,--jobs", compare_args.jobs, "variants run at once")->check(CLI::Range(1, 64));

    TestArgs test_args;
    auto* test = app.add_subcommand("test", "run every scenario (and variant) as its own process");
    test->add_option("PATHS", test_args.paths, "scenario files or directories (default: scenarios)");
    test->add_option("--junit", test_args.junit_file, "write JUnit XML");
    test->add_option("--out", test_args.out_dir, "write DIR/<case>/metrics.json");
    test->add_option("-j,--jobs", test_args.jobs, "scenarios run at once")->check(CLI::Range(1, 256));

    std::vector<std::string> validate_files;
    auto* validate = app.add_subcommand("validate", "parse and check scenario files only");
    validate->add_option("FILES", validate_files, "scenario files")->required();

    std::string list_directory = "scenarios";
    auto* list = app.add_subcommand("list", "scenarios found under a directory, with descriptions");
    list->add_option("DIR", list_directory, "directory (default: scenarios)");

    auto* metrics = app.add_subcommand("metrics", "every metric name a run can produce, with units");
    auto* demo = app.add_subcommand("demo", "the built-in tour");

    ServeArgs serve_args;
    auto* serve = app.add_subcommand("serve", "control server only (qtest protocol + debugger), for scripts");
    serve->add_option("FILE", serve_args.scenario.file, "scenario file (default: 1 CPU, 64 MiB, PIT, IOAPIC)")
        ->check(CLI::ExistingFile);
    serve->add_option("--set", serve_args.scenario.overrides, "override a key: key.path=value")->take_all();
    serve->add_option("--seed", serve_args.scenario.seed, "random seed (default: the scenario's seed)");
    serve->add_option("--port", serve_args.port, "TCP port (default: an ephemeral port, printed)");
    serve->add_option("--listen", serve_args.listen,
                      "listen address (default 127.0.0.1; anything else is explicit)");

    DebugArgs debug_args;
    auto* debug = app.add_subcommand("debug", "start a scenario paused, with the debugger prompt");
    add_scenario_options(*debug, debug_args.scenario);
    debug->add_option("--port", debug_args.port, "TCP port of its control server (default: ephemeral)");

    AttachArgs attach_args;
    auto* attach = app.add_subcommand("attach", "debugger prompt for a running serve/debug");
    attach->add_option("--port", attach_args.port, "the server's port")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& success) {
        return app.exit(success);
    } catch (const CLI::ParseError& error) {
        app.exit(error);
        return kExitBadInput;
    }

    const auto verbosity = verbose ? Verbosity::Verbose : (quiet ? Verbosity::Quiet : Verbosity::Normal);
    if (const auto problem = configure_logging(verbosity, std::getenv("X86SIM_LOG")); !problem.empty()) {
        std::cerr << "x86sim: " << problem << "\n";
        return kExitBadInput;
    }
    try {
        if (*run) {
            run_args.quiet = run_args.quiet || quiet;
            return run_command(run_args);
        }
        if (*compare) {
            return compare_command(compare_args);
        }
        if (*test) {
            return test_command(test_args);
        }
        if (*validate) {
            return validate_command(validate_files);
        }
        if (*list) {
            return list_command(list_directory);
        }
        if (*metrics) {
            return metrics_command();
        }
        if (*demo) {
            return demo_command();
        }
        if (*serve) {
            return serve_command(serve_args);
        }
        if (*debug) {
            return debug_command(debug_args);
        }
        if (*attach) {
            return attach_command(attach_args);
        }
    } catch (const std::exception& error) {
        std::cerr << "x86sim: internal error: " << error.what() << "\n";
        return kExitInternal;
    }
    return kExitBadInput;
}

} // namespace x86sim::cli
