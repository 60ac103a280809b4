#include "arch/x86/tick_timer.h"

#include "arch/x86/vectors.h"
#include "muldiv.h"

#include <algorithm>

namespace kut::x86 {

namespace {
constexpr std::uint64_t kFsPerNs = 1'000'000;
constexpr std::uint64_t kFsPerPs = 1'000;
} // namespace

void TickTimer::start_pit(std::uint32_t cpu, const KernelConfig& config) {
    source_ = KUT_TICK_PIT;
    pit_divisor_ = config.pit_divisor != 0 ? config.pit_divisor
                   : config.tick_hz != 0   ? pit_divisor_for_hz(config.tick_hz)
                                           : kUpstreamPitDivisor;
    pit_->start_channel0(cpu, pit_divisor_);
    rate_ns_ = pit_period_fs(pit_divisor_) / kFsPerNs;
    period_ps_ = pit_period_fs(pit_divisor_) / kFsPerPs;
}

void TickTimer::setup_bsp(std::uint32_t cpu, const KernelConfig& config, const Calibration* cal,
                          bool tsc_deadline_ok) {
    mode_ = config.tick_mode;
    if (cal != nullptr && cal->ok) {
        lapic_hz_ = cal->lapic_timer_hz;
        tsc_hz_ = cal->tsc_hz;
    }
    switch (config.tick_source) {
    case KUT_TICK_HPET: {
        // Upstream derives RATE from the PIT divisor; `hz` overrides it.
        const std::uint64_t rate_fs =
            config.tick_hz != 0
                ? 1'000'000'000'000'000ull / config.tick_hz
                : pit_period_fs(config.pit_divisor != 0 ? config.pit_divisor : kUpstreamPitDivisor);
        if (hpet_ != nullptr && config.have_hpet && hpet_->start_legacy_periodic(cpu, rate_fs)) {
            source_ = KUT_TICK_HPET;
            hpet_divisor_ = hpet_->divisor();
            rate_ns_ = rate_fs / kFsPerNs;
            period_ps_ = hpet_divisor_ * hpet_->period_fs() / kFsPerPs;
            return;
        }
        hal_->log(cpu, KUT_LOG_WARN, "hpet: no usable legacy-replacement timer 0, using the PIT");
        start_pit(cpu, config);
        return;
    }
    case KUT_TICK_LAPIC: {
        if (lapic_hz_ == 0 || tsc_hz_ == 0) {
            hal_->log(cpu, KUT_LOG_WARN, "lapic timer: calibration failed, using the PIT");
            start_pit(cpu, config);
            return;
        }
        source_ = KUT_TICK_LAPIC;
        if (mode_ == KUT_TICK_TSC_DEADLINE && !tsc_deadline_ok) {
            hal_->log(cpu, KUT_LOG_WARN, "lapic timer: no TSC-deadline (CPUID.01H:ECX[24]), using one-shot");
            mode_ = KUT_TICK_ONESHOT;
        }
        const std::uint64_t hz = config.tick_hz != 0 ? config.tick_hz : kDefaultLapicHz;
        lapic_count_ = std::max<std::uint64_t>(1, (lapic_hz_ + hz / 2) / hz);
        tsc_per_tick_ = std::max<std::uint64_t>(1, (tsc_hz_ + hz / 2) / hz);
        period_ps_ = 1'000'000'000'000ull / hz;
        arm_lapic(cpu);
        return;
    }
    case KUT_TICK_PIT:
    default:
        start_pit(cpu, config);
        return;
    }
}

void TickTimer::setup_ap(std::uint32_t cpu) {
    if (source_ == KUT_TICK_LAPIC) {
        arm_lapic(cpu);
    }
}

void TickTimer::arm_lapic(std::uint32_t cpu) {
    lapic_->write(cpu, lapic_reg::kTimerDivide, kDivideBy1);
    switch (mode_) {
    case KUT_TICK_PERIODIC:
        lapic_->write(cpu, lapic_reg::kLvtTimer, kTimerPeriodic | vec::kLapicTimer);
        lapic_->write(cpu, lapic_reg::kTimerInitial,
                      static_cast<std::uint32_t>(std::min<std::uint64_t>(lapic_count_, 0xFFFFFFFFu)));
        break;
    case KUT_TICK_ONESHOT:
        lapic_->write(cpu, lapic_reg::kLvtTimer, kTimerOneShot | vec::kLapicTimer);
        if (cpu < next_tsc_.size()) {
            next_tsc_[cpu] = hal_->rdtsc(cpu) + tsc_per_tick_;
        }
        lapic_->write(cpu, lapic_reg::kTimerInitial,
                      static_cast<std::uint32_t>(std::min<std::uint64_t>(lapic_count_, 0xFFFFFFFFu)));
        break;
    case KUT_TICK_TSC_DEADLINE:
    default:
        lapic_->write(cpu, lapic_reg::kLvtTimer, kTimerTscDeadline | vec::kLapicTimer);
        if (cpu < next_tsc_.size()) {
            next_tsc_[cpu] = hal_->rdtsc(cpu) + tsc_per_tick_;
            hal_->wrmsr(cpu, kMsrTscDeadline, next_tsc_[cpu]);
        }
        break;
    }
}

void TickTimer::rearm(std::uint32_t cpu) {
    if (source_ != KUT_TICK_LAPIC || mode_ == KUT_TICK_PERIODIC || cpu >= next_tsc_.size()) {
        return;
    }
    // The next tick is due one period after the previous due time, not after "now": the handler's
    // own latency must not stretch the period. Ticks that are already past are skipped.
    const std::uint64_t now = hal_->rdtsc(cpu);
    std::uint64_t next = next_tsc_[cpu] + tsc_per_tick_;
    if (next <= now) {
        next += ((now - next) / tsc_per_tick_ + 1) * tsc_per_tick_;
    }
    next_tsc_[cpu] = next;
    if (mode_ == KUT_TICK_TSC_DEADLINE) {
        hal_->wrmsr(cpu, kMsrTscDeadline, next);
        return;
    }
    const std::uint64_t count = std::max<std::uint64_t>(1, mul_div(next - now, lapic_hz_, tsc_hz_));
    lapic_->write(cpu, lapic_reg::kTimerInitial,
                  static_cast<std::uint32_t>(std::min<std::uint64_t>(count, 0xFFFFFFFFu)));
}

std::uint64_t TickTimer::monotonic_ns(std::uint32_t cpu) const {
    switch (source_) {
    case KUT_TICK_LAPIC:
        return mul_div(hal_->rdtsc(cpu), 1'000'000'000ull, tsc_hz_);
    case KUT_TICK_HPET: {
        const std::uint64_t comparator = hpet_->read(cpu, kHpetT0Comparator);
        const std::uint64_t counter = hpet_->counter(cpu);
        const std::uint64_t since = std::min(counter - (comparator - hpet_divisor_), hpet_divisor_);
        return offset_ns_ + since * hpet_->period_fs() / kFsPerNs;
    }
    case KUT_TICK_PIT:
    default: {
        const std::uint16_t count = pit_->read_channel0(cpu);
        const std::uint32_t reload = pit_divisor_ >= 65536 ? 65536 : pit_divisor_;
        const std::uint32_t elapsed = count <= reload ? reload - count : 0;
        return offset_ns_ + elapsed * kPitPeriodFs / kFsPerNs;
    }
    }
}

} // namespace kut::x86
