#include "models/common/clock_domain.h"

#include "models/common/time.h"

#include <limits>
#include <numeric>
#include <stdexcept>

namespace x86sim::models {

namespace {
__extension__ typedef unsigned __int128 u128; // exact 64x64-bit products

std::uint64_t saturate(u128 value) {
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    return value > max ? max : static_cast<std::uint64_t>(value);
}
} // namespace

ClockDomain::ClockDomain(std::string name, std::uint64_t hz) : name_(std::move(name)), hz_(hz) {
    if (hz_ == 0 || hz_ > kPicosecondsPerSecond) {
        throw std::invalid_argument("clock domain '" + name_ + "': frequency must be between 1 Hz and 1 THz");
    }
    const auto divisor = std::gcd(kPicosecondsPerSecond, hz_);
    ps_num_ = kPicosecondsPerSecond / divisor;
    ps_den_ = hz_ / divisor;
}

std::uint64_t ClockDomain::duration_of_wide(std::uint64_t cycles) const {
    // ceil(cycles * 1e12 / hz).
    const u128 numerator = static_cast<u128>(cycles) * kPicosecondsPerSecond;
    return saturate((numerator + hz_ - 1) / hz_);
}

std::uint64_t ClockDomain::cycles_in_wide(std::uint64_t picoseconds) const {
    return saturate(static_cast<u128>(picoseconds) * hz_ / kPicosecondsPerSecond);
}

} // namespace x86sim::models
