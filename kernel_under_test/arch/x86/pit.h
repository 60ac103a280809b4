// pit.h - the 8254 PIT (redox-kernel.md §1 "PIT", lapic-pit-msi.md §2.1).
#pragma once

#include "hal_access.h"

#include <cstdint>

namespace kut::x86 {

inline constexpr std::uint16_t kPitChannel0 = 0x40;
inline constexpr std::uint16_t kPitChannel2 = 0x42;
inline constexpr std::uint16_t kPitCommand = 0x43;
inline constexpr std::uint16_t kPort61 = 0x61;
inline constexpr std::uint8_t kPitCh0Mode2 = 0x34; // SELECT_CHAN0 | ACCESS_LOHI | MODE_2 (upstream)
inline constexpr std::uint8_t kPitCh2Mode0 = 0xB0; // channel 2, lo/hi, mode 0 (calibration, as Linux)
inline constexpr std::uint8_t kPitLatchCh0 = 0x00;
inline constexpr std::uint8_t kPort61Gate2 = 0x01;
inline constexpr std::uint8_t kPort61Speaker = 0x02;
inline constexpr std::uint8_t kPort61Out2 = 0x20;

// Upstream PERIOD_FS: one PIT input clock (14.31818 MHz / 12) in femtoseconds.
inline constexpr std::uint64_t kPitPeriodFs = 838'095'110;
inline constexpr std::uint64_t kPitHz = 1'193'182;

// Divisor for `hz` (rounded, clamped to 1..65536; 65536 is written as 0).
std::uint32_t pit_divisor_for_hz(std::uint64_t hz);
inline constexpr std::uint64_t pit_period_fs(std::uint32_t divisor) {
    return divisor * kPitPeriodFs;
}

class Pit {
  public:
    explicit Pit(const Hal* hal) : hal_(hal) {}

    // Channel 0, mode 2, then the divisor low byte and high byte on port 0x40.
    void start_channel0(std::uint32_t cpu, std::uint32_t divisor);
    // Latch channel 0 and read its count (upstream time.rs sub-tick read).
    std::uint16_t read_channel0(std::uint32_t cpu) const;

    // Channel 2 one-shot for calibration: gate high through port 0x61 (speaker off), mode 0, count.
    void start_channel2_oneshot(std::uint32_t cpu, std::uint16_t count) const;
    bool channel2_done(std::uint32_t cpu) const { return (hal_->in8(cpu, kPort61) & kPort61Out2) != 0; }

  private:
    const Hal* hal_;
};

} // namespace kut::x86
