#include "arch/x86/calibration.h"

#include "arch/x86/vectors.h"
#include "muldiv.h"

namespace kut::x86 {

std::uint64_t frequency_from(std::uint64_t ticks, std::uint64_t elapsed_fs) {
    return mul_div_round(ticks, 1'000'000'000'000'000ull, elapsed_fs);
}

namespace {

struct Sample {
    std::uint64_t tsc;
    std::uint32_t lapic;
};

// Read both clocks back to back, in the same order at both ends of the window so that the access
// latencies cancel.
Sample sample(std::uint32_t cpu, const Hal& hal, const Lapic& lapic) {
    const std::uint64_t tsc = hal.rdtsc(cpu);
    const std::uint32_t count = lapic.read(cpu, lapic_reg::kTimerCurrent);
    return {tsc, count};
}

} // namespace

Calibration calibrate(std::uint32_t cpu, const Hal& hal, const Lapic& lapic, const Pit& pit, Hpet* hpet) {
    Calibration result;
    lapic.write(cpu, lapic_reg::kLvtTimer, kLvtMasked | kTimerPeriodic | vec::kLapicTimer);
    lapic.write(cpu, lapic_reg::kTimerDivide, kDivideBy1);
    lapic.write(cpu, lapic_reg::kTimerInitial, 0xFFFFFFFFu);

    Sample start{};
    Sample end{};
    if (hpet != nullptr && hpet->period_fs() != 0) {
        hpet->ensure_counting(cpu);
        const std::uint64_t wanted = kCalibrationWindowFs / hpet->period_fs();
        const std::uint64_t h0 = hpet->counter(cpu);
        start = sample(cpu, hal, lapic);
        std::uint64_t h1 = h0;
        unsigned polls = 0;
        while (h1 - h0 < wanted && polls++ < kCalibrationPollLimit) {
            h1 = hpet->counter(cpu);
        }
        end = sample(cpu, hal, lapic);
        result.used_hpet = true;
        result.window_fs = (h1 - h0) * hpet->period_fs();
        result.ok = h1 - h0 >= wanted;
    } else {
        pit.start_channel2_oneshot(cpu, kCalibrationPitCount);
        start = sample(cpu, hal, lapic);
        unsigned polls = 0;
        bool done = false;
        while (!(done = pit.channel2_done(cpu)) && polls++ < kCalibrationPollLimit) {
        }
        end = sample(cpu, hal, lapic);
        result.window_fs = std::uint64_t{kCalibrationPitCount} * kPitPeriodFs;
        result.ok = done;
    }
    lapic.write(cpu, lapic_reg::kTimerInitial, 0);

    const std::uint32_t lapic_ticks = start.lapic - end.lapic; // counts down
    result.lapic_timer_hz = frequency_from(lapic_ticks, result.window_fs);
    result.tsc_hz = frequency_from(end.tsc - start.tsc, result.window_fs);
    result.ok = result.ok && result.lapic_timer_hz != 0 && result.tsc_hz != 0;
    return result;
}

} // namespace kut::x86
