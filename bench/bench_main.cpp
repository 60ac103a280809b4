// x86sim_bench: `--case NAME --ops N` runs N operations of one case (for instruction counting under
// callgrind); `--list` names the cases; anything else goes to Google Benchmark, with one benchmark per
// case (run one case per process: SystemC elaborates once per process).
#include "bench/bench_cases.h"
#include "models/common/time.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <systemc>

int sc_main(int argc, char* argv[]) {
    using x86sim::bench::bench_cases;
    x86sim::models::ensure_time_resolution();
    std::string case_name;
    std::uint64_t ops = 0;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--list") == 0) {
            for (const auto& bench_case : bench_cases()) {
                std::printf("%s\t%s\n", bench_case.name.c_str(), bench_case.what.c_str());
            }
            return 0;
        }
        if (std::strcmp(argv[i], "--case") == 0 && i + 1 < argc) {
            case_name = argv[++i];
        } else if (std::strcmp(argv[i], "--ops") == 0 && i + 1 < argc) {
            ops = std::strtoull(argv[++i], nullptr, 10);
        }
    }
    if (!case_name.empty()) {
        for (const auto& bench_case : bench_cases()) {
            if (bench_case.name == case_name) {
                const auto done = bench_case.run(ops);
                std::printf("%s: %llu operations\n", case_name.c_str(),
                            static_cast<unsigned long long>(done));
                return done == ops ? 0 : 1;
            }
        }
        std::fprintf(stderr, "x86sim_bench: unknown case '%s' (--list shows them)\n", case_name.c_str());
        return 2;
    }
    for (const auto& bench_case : bench_cases()) {
        benchmark::RegisterBenchmark(bench_case.name.c_str(), [&bench_case](benchmark::State& state) {
            for (auto _ : state) {
                benchmark::DoNotOptimize(bench_case.run(1000));
            }
            state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 1000);
        });
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

int main(int argc, char* argv[]) {
    ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0); // before the kernel prints its banner
    return sc_core::sc_elab_and_sim(argc, argv);
}
