#include "sim/platform/rng_streams.h"

namespace x86sim::sim {

namespace {
std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}
} // namespace

std::uint64_t component_seed(std::uint64_t scenario_seed, std::string_view component) {
    std::uint64_t hash = 0xCBF29CE484222325ULL;
    for (char c : component) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001B3ULL;
    }
    return splitmix64(splitmix64(scenario_seed) ^ hash);
}

} // namespace x86sim::sim
