// One seeded random stream per component (ARCHITECTURE.md "Determinism"): the stream of component C
// under scenario seed S is a pure function of (S, C's name), so adding a component never perturbs
// another's randomness, and no address, hash order or wall clock enters.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

namespace x86sim::sim {

// 64-bit FNV-1a of the name mixed with the seed through SplitMix64: stable across platforms and runs.
std::uint64_t component_seed(std::uint64_t scenario_seed, std::string_view component);

inline std::mt19937_64 component_rng(std::uint64_t scenario_seed, std::string_view component) {
    return std::mt19937_64(component_seed(scenario_seed, component));
}

} // namespace x86sim::sim
