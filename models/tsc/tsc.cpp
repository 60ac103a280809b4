#include "models/tsc/tsc.h"

#include "models/common/time.h"

#include <numeric>
#include <stdexcept>
#include <string>

namespace x86sim::models {

namespace {
constexpr std::uint64_t kMaxU32 = 0xFFFF'FFFFULL;

TscCpuidLeaves make_cpuid(const TscConfig& config) {
    TscCpuidLeaves leaves;
    if (config.crystal_hz != 0) {
        // §3: TSC_Hz = ECX * EBX / EAX. Reduce the ratio so that it is exact and fits in 32 bits.
        const auto divisor = std::gcd(config.frequency_hz, config.crystal_hz);
        const auto numerator = config.frequency_hz / divisor;
        const auto denominator = config.crystal_hz / divisor;
        if (numerator > kMaxU32 || denominator > kMaxU32 || config.crystal_hz > kMaxU32) {
            throw std::invalid_argument("TSC " + std::to_string(config.frequency_hz) + " Hz / crystal " +
                                        std::to_string(config.crystal_hz) +
                                        " Hz cannot be expressed in CPUID 0x15 (32-bit ratio terms)");
        }
        leaves.leaf15_eax = static_cast<std::uint32_t>(denominator);
        leaves.leaf15_ebx = static_cast<std::uint32_t>(numerator);
        leaves.leaf15_ecx = static_cast<std::uint32_t>(config.crystal_hz);
    }
    leaves.leaf16_eax = static_cast<std::uint32_t>(config.frequency_hz / 1'000'000);
    leaves.leaf16_ebx = config.max_frequency_mhz != 0 ? config.max_frequency_mhz : leaves.leaf16_eax;
    leaves.leaf16_ecx = config.bus_frequency_mhz;
    return leaves;
}
} // namespace

Tsc::Tsc(const TscConfig& config)
    : config_(config), clock_("tsc", config.frequency_hz), cpuid_(make_cpuid(config)) {}

std::uint64_t Tsc::value_at_ps(std::uint64_t time_ps) const {
    return clock_.cycles_in(time_ps) + offset_;
}

std::uint64_t Tsc::read() const {
    return value_at_ps(now_ps());
}

void Tsc::write(std::uint64_t value) {
    offset_ = value - clock_.cycles_in(now_ps());
    notify_listeners();
}

std::uint64_t Tsc::time_when_reaches(std::uint64_t value) const {
    const auto now = now_ps();
    const auto current = value_at_ps(now);
    if (value <= current) {
        return now;
    }
    const auto target_cycles = clock_.cycles_in(now) + (value - current);
    return clock_.duration_of(target_cycles);
}

bool Tsc::rdmsr(std::uint32_t index, std::uint64_t& value) const {
    switch (index) {
    case kMsrTsc:
        value = read();
        return true;
    case kMsrTscAdjust:
        value = offset_;
        return true;
    default:
        return false;
    }
}

bool Tsc::wrmsr(std::uint32_t index, std::uint64_t value) {
    switch (index) {
    case kMsrTsc:
        write(value);
        return true;
    case kMsrTscAdjust:
        // SDM 17.17.3: writing TSC_ADJUST moves the counter by the same amount.
        offset_ = value;
        notify_listeners();
        return true;
    default:
        return false;
    }
}

void Tsc::notify_listeners() {
    for (const auto& listener : listeners_) {
        listener();
    }
}

} // namespace x86sim::models
