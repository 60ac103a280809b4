// The benchmark case registry. A case builds its models once (before the first operation) and then
// performs one modelled operation per call of `run(ops)` loop iteration; `run` returns the number of
// operations done so the caller can check it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace x86sim::bench {

struct BenchCase {
    std::string name;
    std::string what; // one operation is ...
    std::function<std::uint64_t(std::uint64_t ops)> run;
};

std::vector<BenchCase>& bench_cases();

struct RegisterBenchCase {
    RegisterBenchCase(std::string name, std::string what, std::function<std::uint64_t(std::uint64_t)> run);
};

} // namespace x86sim::bench
