// calibration.h - measuring the LAPIC timer and TSC frequencies at boot against a known clock.
//
// Against the HPET main counter when there is one, else PIT channel 2 in mode 0 with its gate on port
// 0x61 (lapic-pit-msi.md §2.1 "TSC calibration uses counter 2 in mode 0", §7.2; the 2020 Redox
// prototype calibrated the LAPIC timer against the PIT over ~10 ms, redox-kernel.md §1). During the
// window the LAPIC timer counts down from 0xFFFFFFFF, masked, divide by 1.
#pragma once

#include "arch/x86/hpet.h"
#include "arch/x86/lapic.h"
#include "arch/x86/pit.h"
#include "hal_access.h"

#include <cstdint>

namespace kut::x86 {

// 10 ms of PIT clocks (Linux's slow PIT calibration latch, lapic-pit-msi.md §3: 11931/11932).
inline constexpr std::uint16_t kCalibrationPitCount = 11932;
inline constexpr std::uint64_t kCalibrationWindowFs = 10'000'000'000'000; // 10 ms (HPET window)
// Polls before giving up on a clock that does not move (a missing device must not hang boot).
inline constexpr unsigned kCalibrationPollLimit = 2'000'000;

// Frequency of something that advanced `ticks` over `elapsed_fs` femtoseconds (rounded).
std::uint64_t frequency_from(std::uint64_t ticks, std::uint64_t elapsed_fs);

struct Calibration {
    bool ok = false;
    bool used_hpet = false;
    std::uint64_t lapic_timer_hz = 0; // the LAPIC timer's input clock (divide by 1)
    std::uint64_t tsc_hz = 0;
    std::uint64_t window_fs = 0;
};

// Runs on `cpu` (the BSP) with interrupts off. Leaves the LAPIC timer stopped.
Calibration calibrate(std::uint32_t cpu, const Hal& hal, const Lapic& lapic, const Pit& pit, Hpet* hpet);

} // namespace kut::x86
