#include "arch/x86/hpet.h"

namespace kut::x86 {

namespace {
// The HPET spec limits the period to 100 ns (lapic-pit-msi.md §2.3).
constexpr std::uint64_t kMaxPeriodFs = 100'000'000;
} // namespace

bool Hpet::probe(std::uint32_t cpu) {
    caps_ = read(cpu, kHpetCaps);
    period_fs_ = caps_ >> 32;
    return period_fs_ != 0 && period_fs_ <= kMaxPeriodFs;
}

bool Hpet::start_legacy_periodic(std::uint32_t cpu, std::uint64_t rate_fs) {
    if (period_fs_ == 0 && !probe(cpu)) {
        return false;
    }
    const std::uint64_t config = read(cpu, kHpetConfig);
    write(cpu, kHpetConfig, config & ~(kHpetLegRtCnf | kHpetEnableCnf));
    if ((caps_ & kHpetLegRtCap) == 0) {
        return false;
    }
    const std::uint64_t t0 = read(cpu, kHpetT0Config);
    if ((t0 & kHpetPerIntCap) == 0) {
        return false;
    }
    divisor_ = hpet_divisor(rate_fs, period_fs_);
    if (divisor_ == 0) {
        return false;
    }
    write(cpu, kHpetT0Config, kHpetT0Periodic);
    // With VAL_SET the first write sets the comparator, the second the periodic accumulator.
    write(cpu, kHpetT0Comparator, counter(cpu) + divisor_);
    write(cpu, kHpetT0Comparator, divisor_);
    write(cpu, kHpetConfig, (config & ~(kHpetLegRtCnf | kHpetEnableCnf)) | kHpetLegRtCnf | kHpetEnableCnf);
    return true;
}

void Hpet::ensure_counting(std::uint32_t cpu) const {
    const std::uint64_t config = read(cpu, kHpetConfig);
    if ((config & kHpetEnableCnf) == 0) {
        write(cpu, kHpetConfig, config | kHpetEnableCnf);
    }
}

} // namespace kut::x86
