// hpet.h - the HPET as upstream sets it up (redox-kernel.md §1 "HPET preferred over the PIT",
// lapic-pit-msi.md §2.3): timer 0 periodic in legacy replacement, arriving as IRQ0 on vector 32.
#pragma once

#include "hal_access.h"

#include <cstdint>

namespace kut::x86 {

inline constexpr std::uint64_t kHpetBase = 0xFED00000;
inline constexpr std::uint32_t kHpetCaps = 0x000;
inline constexpr std::uint32_t kHpetConfig = 0x010;
inline constexpr std::uint32_t kHpetCounter = 0x0F0;
inline constexpr std::uint32_t kHpetT0Config = 0x100;
inline constexpr std::uint32_t kHpetT0Comparator = 0x108;
inline constexpr std::uint64_t kHpetLegRtCap = 1u << 15;
inline constexpr std::uint64_t kHpetEnableCnf = 1u << 0;
inline constexpr std::uint64_t kHpetLegRtCnf = 1u << 1;
inline constexpr std::uint64_t kHpetPerIntCap = 1u << 4;
// TN_VAL_SET_CNF | TN_TYPE_CNF | TN_INT_ENB_CNF (upstream's 0x4C).
inline constexpr std::uint64_t kHpetT0Periodic = 0x4C;

// Comparator increment for a period of `rate_fs` femtoseconds (upstream: RATE / HPET period).
inline constexpr std::uint64_t hpet_divisor(std::uint64_t rate_fs, std::uint64_t period_fs) {
    return period_fs == 0 ? 0 : rate_fs / period_fs;
}

class Hpet {
  public:
    explicit Hpet(const Hal* hal) : hal_(hal) {}

    std::uint64_t read(std::uint32_t cpu, std::uint32_t reg) const {
        return hal_->mmio_read(cpu, kHpetBase + reg, 8);
    }
    void write(std::uint32_t cpu, std::uint32_t reg, std::uint64_t value) const {
        hal_->mmio_write(cpu, kHpetBase + reg, 8, value);
    }

    // Reads the capabilities (period); false when there is no plausible HPET.
    bool probe(std::uint32_t cpu);
    std::uint64_t period_fs() const { return period_fs_; }

    // Upstream's legacy-replacement periodic timer 0 with a period of `rate_fs`. Returns false (and
    // leaves the HPET disabled) when LEG_RT_CAP or T0's PER_INT_CAP is missing.
    bool start_legacy_periodic(std::uint32_t cpu, std::uint64_t rate_fs);
    std::uint64_t divisor() const { return divisor_; }

    // Make the main counter run (for calibration) without touching legacy replacement.
    void ensure_counting(std::uint32_t cpu) const;
    std::uint64_t counter(std::uint32_t cpu) const { return read(cpu, kHpetCounter); }

  private:
    const Hal* hal_;
    std::uint64_t caps_ = 0;
    std::uint64_t period_fs_ = 0;
    std::uint64_t divisor_ = 0;
};

} // namespace kut::x86
