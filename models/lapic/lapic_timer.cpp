// The LAPIC timer: one-shot, periodic and TSC-deadline (lapic-pit-msi.md §1.3.9, §1.3.10; §8 checks
// 6-15, 51; §9 choices documented in lapic.h).
//
// Event-driven only. A countdown is a "segment": it started at count_base_ps_ with the count at
// count_base_remaining_, decrementing once every count_divisor_ timer clocks, and (periodic) reloading
// count_initial_ when it reaches 0. Everything - TMCCT, the next expiry - is computed from that and the
// exact timer ClockDomain:
//     decrements(t) = cycles_in(t - base) / divisor
//     expiry j (0-based) at base + duration_of((base_remaining + j * initial) * divisor)
// so a one-shot with TMICT = N and divisor d fires exactly at write time + duration_of(N * d), and a
// periodic timer does not drift. One sc_event is notified for the next expiry only while the LVT is
// unmasked; a masked timer keeps counting on paper and schedules nothing.
#include "models/common/time.h"
#include "models/lapic/lapic.h"
#include "models/lapic/lapic_layout.h"
#include "models/tsc/tsc.h"

namespace x86sim::models {

using namespace lapic_layout;

Lapic::TimerMode Lapic::timer_mode_of(std::uint32_t lvt_value) {
    return static_cast<TimerMode>((lvt_value >> kLvtTimerModeShift) & 3);
}

Lapic::TimerMode Lapic::timer_mode() const {
    return timer_mode_of(static_cast<std::uint32_t>(lvt_register(LvtEntry::Timer)->value));
}

std::uint32_t Lapic::divisor_of(std::uint32_t tdcr) {
    // §1.3.9 closed form: k = (v & 3) | ((v & 8) >> 1); divisor = 1 << ((k + 1) & 7).
    const std::uint32_t k = (tdcr & 3U) | ((tdcr & 8U) >> 1);
    return 1U << ((k + 1) & 7U);
}

std::uint64_t Lapic::decrements_at(std::uint64_t time_ps) const {
    const auto elapsed = time_ps > count_base_ps_ ? time_ps - count_base_ps_ : 0;
    return timer_clock_.cycles_in(elapsed) / count_divisor_;
}

std::uint32_t Lapic::count_at(std::uint64_t time_ps, TimerMode mode) const {
    if (!counting_ || mode == TimerMode::TscDeadline) {
        return 0;
    }
    const auto decrements = decrements_at(time_ps);
    if (decrements < count_base_remaining_) {
        return static_cast<std::uint32_t>(count_base_remaining_ - decrements);
    }
    if (mode == TimerMode::Periodic) {
        // Reloaded at each expiry: TMCCT reads N right at the expiry instant (check 8).
        const auto after = decrements - count_base_remaining_;
        return static_cast<std::uint32_t>(count_initial_ - after % count_initial_);
    }
    return 0; // one-shot: stays 0 (check 7)
}

std::uint32_t Lapic::timer_current_count() const {
    return count_at(now_ps(), timer_mode());
}

bool Lapic::oneshot_expired_at(std::uint64_t time_ps) const {
    return counting_ && decrements_at(time_ps) >= count_base_remaining_;
}

std::uint64_t Lapic::next_expiry_after(std::uint64_t time_ps, TimerMode mode) const {
    // The first expiry strictly after `time_ps`; 0 if there is none (expired one-shot).
    const auto decrements = decrements_at(time_ps);
    std::uint64_t target = 0;
    if (decrements < count_base_remaining_) {
        target = count_base_remaining_;
    } else if (mode == TimerMode::Periodic) {
        const auto periods = (decrements - count_base_remaining_) / count_initial_ + 1;
        target = count_base_remaining_ + periods * count_initial_;
    } else {
        return 0;
    }
    return count_base_ps_ + timer_clock_.duration_of(target * count_divisor_);
}

void Lapic::rebase_to_last_reload(std::uint64_t time_ps) {
    // Periodic: move the segment start to the latest reload so that the remaining count of the
    // current period is count_base_remaining_ again (used before a mode change keeps counting).
    const auto decrements = decrements_at(time_ps);
    if (!counting_ || decrements < count_base_remaining_) {
        return;
    }
    const auto periods = (decrements - count_base_remaining_) / count_initial_;
    const auto reload_decrements = count_base_remaining_ + periods * count_initial_;
    count_base_ps_ += timer_clock_.duration_of(reload_decrements * count_divisor_);
    count_base_remaining_ = count_initial_;
}

void Lapic::write_initial_count(std::uint64_t value) {
    if (timer_mode() == TimerMode::TscDeadline) {
        return; // §1.3.10: TMICT writes are ignored in TSC-deadline mode (check 11)
    }
    const auto count = static_cast<std::uint32_t>(value);
    tmict_reg_->value = count;
    if (count == 0) {
        counting_ = false; // writing 0 stops the timer (check 9)
    } else {
        // A write (re)starts the countdown from the new value with the current divisor.
        counting_ = true;
        count_base_ps_ = now_ps();
        count_base_remaining_ = count;
        count_initial_ = count;
        count_divisor_ = divisor_of(static_cast<std::uint32_t>(tdcr_reg_->value));
    }
    schedule_timer();
}

void Lapic::write_divide_config(std::uint64_t value) {
    tdcr_reg_->value = value & kTimerDivideWritable; // check 3: only bits 3, 1, 0
    const auto divisor = divisor_of(static_cast<std::uint32_t>(tdcr_reg_->value));
    if (!counting_) {
        count_divisor_ = divisor;
        return;
    }
    if (divisor == count_divisor_ || config_.divide_change == TimerDivideChangePolicy::ApplyOnNextStart) {
        return;
    }
    // RescaleRemaining (§9 choice): keep the current count, count down at the new rate from now.
    const auto now = now_ps();
    const auto mode = timer_mode();
    if (mode == TimerMode::OneShot && oneshot_expired_at(now)) {
        counting_ = false;
        count_divisor_ = divisor;
        return;
    }
    count_base_remaining_ = count_at(now, mode);
    count_base_ps_ = now;
    count_divisor_ = divisor;
    schedule_timer();
}

void Lapic::on_timer_lvt_change(std::uint32_t old_value, std::uint32_t new_value) {
    const auto old_mode = timer_mode_of(old_value);
    const auto new_mode = timer_mode_of(new_value);
    const auto now = now_ps();
    if ((old_value & kLvtMasked) != 0) {
        settle_masked_timer(old_mode); // expiries that happened while masked are gone
    }
    if (old_mode != new_mode) {
        const bool deadline_involved =
            old_mode == TimerMode::TscDeadline || new_mode == TimerMode::TscDeadline;
        if (deadline_involved || config_.oneshot_periodic_switch == TimerModeSwitchPolicy::Disarm) {
            // Check 14 / SDM 10.5.4.1: a mode-changing LVT write disarms the timer.
            counting_ = false;
            tmict_reg_->value = 0;
            tsc_deadline_ = 0;
        } else if (counting_) {
            // KeepCounting (KVM/Bochs): the running count continues in the new mode.
            if (old_mode == TimerMode::OneShot && oneshot_expired_at(now)) {
                counting_ = false;
            } else if (old_mode == TimerMode::Periodic) {
                rebase_to_last_reload(now);
            }
        }
    }
    schedule_timer();
}

void Lapic::settle_masked_timer(TimerMode mode) {
    const auto now = now_ps();
    if (mode == TimerMode::OneShot && oneshot_expired_at(now)) {
        counting_ = false;
    }
    if (mode == TimerMode::TscDeadline && tsc_deadline_ != 0 && tsc_ != nullptr &&
        tsc_->read() >= tsc_deadline_) {
        tsc_deadline_ = 0; // the MSR clears at expiry even when masked (§1.3.10)
    }
}

std::uint64_t Lapic::tsc_deadline() const {
    if (timer_mode() != TimerMode::TscDeadline || tsc_deadline_ == 0 || tsc_ == nullptr) {
        return 0; // outside deadline mode the MSR reads 0 (check 15)
    }
    // Reads 0 once the deadline has passed (check 12), including the lazily settled masked case.
    return tsc_->read() >= tsc_deadline_ ? 0 : tsc_deadline_;
}

void Lapic::write_tsc_deadline(std::uint64_t value) {
    if (timer_mode() != TimerMode::TscDeadline) {
        return; // ignored outside deadline mode (check 15)
    }
    tsc_deadline_ = value;
    if (value != 0 && tsc_->read() >= value) {
        // A deadline already in the past fires immediately (§1.3.10, check 12), at most once.
        tsc_deadline_ = 0;
        timer_event_.cancel();
        timer_event_scheduled_ = false;
        if ((lvt_register(LvtEntry::Timer)->value & kLvtMasked) == 0) {
            fire_timer();
        }
        return;
    }
    schedule_timer(); // value 0 disarms (check 13); otherwise (re)arms, earlier or later
}

void Lapic::schedule_timer() {
    timer_event_.cancel();
    timer_event_scheduled_ = false;
    if (mode_ == ApicMode::Disabled || (lvt_register(LvtEntry::Timer)->value & kLvtMasked) != 0) {
        return; // an idle or masked timer costs no SystemC event
    }
    const auto now = now_ps();
    const auto mode = timer_mode();
    std::uint64_t when = 0;
    if (mode == TimerMode::TscDeadline) {
        if (tsc_deadline_ == 0 || tsc_ == nullptr) {
            return;
        }
        when = tsc_->time_when_reaches(tsc_deadline_);
    } else {
        if (!counting_) {
            return;
        }
        when = next_expiry_after(now, mode);
        if (when == 0) {
            counting_ = false; // a one-shot that already expired
            return;
        }
    }
    timer_event_ps_ = when;
    timer_event_scheduled_ = true;
    notify_at(timer_event_, when > now ? when : now);
}

void Lapic::on_timer_event() {
    timer_event_scheduled_ = false;
    const auto mode = timer_mode();
    if (mode == TimerMode::TscDeadline) {
        if (tsc_deadline_ != 0 && tsc_ != nullptr && tsc_->read() >= tsc_deadline_) {
            tsc_deadline_ = 0; // disarms itself; the MSR reads 0 (check 12)
            fire_timer();
        } else {
            schedule_timer();
        }
        return;
    }
    if (!counting_) {
        return;
    }
    fire_timer();
    if (mode == TimerMode::OneShot) {
        counting_ = false;
    } else {
        schedule_timer();
    }
}

void Lapic::fire_timer() {
    if (stats_.timer_fires++ == 0) {
        stats_.timer_first_fire_ps = now_ps();
    }
    stats_.timer_last_fire_ps = now_ps();
    const auto vector = static_cast<int>(lvt_register(LvtEntry::Timer)->value & kLvtVectorMask);
    report_hop(HopKind::TimerExpiry, vector);
    deliver_lvt(LvtEntry::Timer);
}

} // namespace x86sim::models
