#include "bench/bench_cases.h"

namespace x86sim::bench {

std::vector<BenchCase>& bench_cases() {
    static std::vector<BenchCase> cases;
    return cases;
}

RegisterBenchCase::RegisterBenchCase(std::string name, std::string what,
                                     std::function<std::uint64_t(std::uint64_t)> run) {
    bench_cases().push_back({std::move(name), std::move(what), std::move(run)});
}

} // namespace x86sim::bench
