#include "models/hpet/hpet.h"

#include "models/common/time.h"

#include <limits>
#include <stdexcept>
#include <string>
#include <sysc/kernel/sc_dynamic_processes.h> // sc_spawn (SystemC leaves it out of <systemc> by default)

namespace x86sim::models {

using namespace hpet;

namespace {

constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kFemtosecondsPerSecond = 1'000'000'000'000'000ULL;
constexpr std::uint64_t kLow32 = 0xFFFF'FFFFULL;

std::uint64_t merge(std::uint64_t old_value, std::uint64_t value, std::uint64_t mask) {
    return (old_value & ~mask) | (value & mask);
}

const HpetConfig& validated(const HpetConfig& config) {
    if (config.num_timers < 3 || config.num_timers > kMaxTimers) {
        throw std::invalid_argument("Hpet: num_timers must be 3..32 (HPETSPEC)");
    }
    if (config.frequency_hz == 0 || kFemtosecondsPerSecond / config.frequency_hz > kMaxPeriodFs) {
        throw std::invalid_argument("Hpet: frequency_hz must be at least 10 MHz (period <= 100 ns, §2.3)");
    }
    return config;
}

} // namespace

Hpet::Hpet(sc_core::sc_module_name name, HpetConfig config)
    : sc_module(name), config_(validated(config)), clock_("hpet", config.frequency_hz),
      period_fs_((kFemtosecondsPerSecond + config.frequency_hz / 2) / config.frequency_hz),
      bank_("hpet", RegisterBank::Options{.unmapped_fill = 0,
                                          .require_natural_alignment = true,
                                          .allowed_sizes = 0b1100}),
      timers_(config.num_timers) {
    build_registers();
    for (unsigned n = 0; n < config_.num_timers; ++n) {
        sc_core::sc_spawn_options options;
        options.spawn_method();
        options.dont_initialize();
        options.set_sensitivity(&match_events_[n]);
        sc_core::sc_spawn([this, n] { on_match_event(n); },
                          sc_core::sc_gen_unique_name(("timer" + std::to_string(n)).c_str()), &options);
    }
}

void Hpet::build_registers() {
    const std::uint64_t capabilities =
        config_.revision_id | (static_cast<std::uint64_t>(config_.num_timers - 1) << kNumTimersShift) |
        kCountSizeCap | (config_.legacy_route_capable ? kLegacyRouteCap : 0) |
        (static_cast<std::uint64_t>(config_.vendor_id) << kVendorShift) | (period_fs_ << kPeriodShift);
    bank_.add({.name = "GCAP_ID",
               .offset = kCapabilitiesId,
               .width = 8,
               .reset = capabilities,
               .access = RegisterAccess::ReadOnly});
    bank_.add({.name = "GEN_CONF",
               .offset = kConfiguration,
               .width = 8,
               .on_read = [this](Register&) { return configuration_value(); },
               .on_write = [this](Register&, std::uint64_t value,
                                  std::uint64_t mask) { write_configuration(value, mask); }});
    bank_.add({.name = "GINTR_STA",
               .offset = kInterruptStatus,
               .width = 8,
               .access = RegisterAccess::WriteOneToClear,
               .on_read = [this](Register&) { return status_; },
               .on_write = [this](Register&, std::uint64_t value,
                                  std::uint64_t mask) { write_interrupt_status(value, mask); }});
    bank_.add({.name = "MAIN_COUNTER",
               .offset = kMainCounter,
               .width = 8,
               .on_read = [this](Register&) { return main_counter(); },
               .on_write = [this](Register&, std::uint64_t value,
                                  std::uint64_t mask) { write_main_counter(value, mask); }});
    for (unsigned n = 0; n < config_.num_timers; ++n) {
        const std::string prefix = "T" + std::to_string(n) + "_";
        bank_.add({.name = prefix + "CONFIG",
                   .offset = timer_config(n),
                   .width = 8,
                   .on_read = [this, n](Register&) { return timer_config_value(n); },
                   .on_write = [this, n](Register&, std::uint64_t value,
                                         std::uint64_t mask) { write_timer_config(n, value, mask); }});
        bank_.add({.name = prefix + "COMPARATOR",
                   .offset = timer_comparator(n),
                   .width = 8,
                   .on_read =
                       [this, n](Register&) {
                           sync(n, cycle_now()); // a lazily advanced periodic accumulator catches up
                           return timers_[n].comparator;
                       },
                   .on_write = [this, n](Register&, std::uint64_t value,
                                         std::uint64_t mask) { write_comparator(n, value, mask); }});
        bank_.add({.name = prefix + "FSB_ROUTE",
                   .offset = timer_fsb_route(n),
                   .width = 8,
                   .on_read = [this, n](Register&) { return timers_[n].fsb_route; },
                   .on_write =
                       [this, n](Register&, std::uint64_t value, std::uint64_t mask) {
                           timers_[n].fsb_route = merge(timers_[n].fsb_route, value, mask);
                       }});
    }
}

IrqLine& Hpet::ioapic_output(unsigned pin) {
    if (pin >= kMaxIoapicPins) {
        throw std::out_of_range("Hpet::ioapic_output: pin must be 0..31");
    }
    return outputs_[pin].line;
}

IrqLine& Hpet::pic_output(unsigned irq) {
    if (irq != kPicIrq0 && irq != kPicIrq8) {
        throw std::out_of_range("Hpet::pic_output: only IRQ0 and IRQ8 are HPET legacy routes");
    }
    return outputs_[irq == kPicIrq0 ? kPicOutput0 : kPicOutput8].line;
}

MmioResult Hpet::mmio_read(std::uint64_t offset, unsigned size, std::uint64_t& value) {
    return {bank_.read(offset, size, value), config_.access_cost_ps};
}

MmioResult Hpet::mmio_write(std::uint64_t offset, unsigned size, std::uint64_t value) {
    return {bank_.write(offset, size, value), config_.access_cost_ps};
}

std::uint64_t Hpet::cycle_now() const {
    return clock_.cycles_in(now_ps());
}

std::uint64_t Hpet::counter_at(std::uint64_t cycle) const {
    return enabled_ ? counter_base_ + (cycle - enable_cycle_) : counter_base_;
}

std::uint64_t Hpet::main_counter() const {
    return counter_at(cycle_now());
}

std::uint64_t Hpet::configuration_value() const {
    return (enabled_ ? kEnableCnf : 0) | (legacy_ ? kLegacyRouteCnf : 0);
}

std::uint64_t Hpet::timer_config_value(unsigned n) const {
    return timers_[n].config | (periodic_capable(n) ? kPeriodicCap : 0) | kSize64Cap |
           (config_.fsb_capable ? kFsbCap : 0) |
           (static_cast<std::uint64_t>(config_.route_capability) << kRouteCapShift);
}

// Matches of `timer` for main-counter values in (timer.synced_counter, counter].
Hpet::PendingMatches Hpet::pending_matches(const Timer& timer, std::uint64_t counter) const {
    PendingMatches result{0, timer.comparator};
    const std::uint64_t elapsed = counter - timer.synced_counter;
    if (elapsed == 0) {
        return result;
    }
    const bool wide = (timer.config & kMode32) == 0;
    const std::uint64_t mask = wide ? ~0ULL : kLow32;
    // Distance from the last processed value to the next value equal to the comparator. A 32-bit timer
    // compares the counter's low half, so it matches again every 2^32 ticks (wraparound); a 64-bit one
    // whose comparator lies behind the counter never matches again.
    std::uint64_t distance = (timer.comparator - timer.synced_counter) & mask;
    if (distance == 0) {
        if (wide) {
            return result;
        }
        distance = 1ULL << 32;
    }
    if (distance > elapsed) {
        return result;
    }
    const std::uint64_t period = timer.period & mask;
    if ((timer.config & kTypePeriodic) != 0 && period != 0) {
        // Periodic: each match adds the period to the accumulator (HPETSPEC 2.3.9.2.2).
        result.count = 1 + (elapsed - distance) / period;
        result.comparator = (timer.comparator + result.count * period) & mask;
    } else {
        result.count = wide ? 1 : 1 + ((elapsed - distance) >> 32);
    }
    return result;
}

void Hpet::sync(unsigned n, std::uint64_t cycle) {
    auto& timer = timers_[n];
    const std::uint64_t counter = counter_at(cycle);
    const auto pending = pending_matches(timer, counter);
    timer.synced_counter = counter;
    timer.comparator = pending.comparator;
    if (pending.count != 0) {
        on_match(n, pending.count);
    }
}

void Hpet::sync_all(std::uint64_t cycle) {
    for (unsigned n = 0; n < timers_.size(); ++n) {
        sync(n, cycle);
    }
}

void Hpet::on_match(unsigned n, std::uint64_t matches) {
    auto& timer = timers_[n];
    timer.matches += matches;
    const bool level = (timer.config & kIntTypeLevel) != 0;
    if (level) {
        // Level mode: the status bit is set even with INT_ENB = 0 (HPETSPEC Tn_INT_STS, Tn_INT_ENB_CNF).
        status_ |= 1ULL << n;
    }
    if ((timer.config & kIntEnable) == 0 || !enabled_) {
        return;
    }
    ++timer.fires;
    if (observer_.wants(HopKind::TimerExpiry)) {
        observer_.send(
            InterruptHop{.time_ps = now_ps(), .kind = HopKind::TimerExpiry, .source = "hpet", .detail = n});
    }
    if ((timer.config & kFsbEnable) != 0) {
        if (msi_bus_ == nullptr) {
            ++stats_.msi_without_bus;
            return;
        }
        msi_bus_->deliver_message(MsiMessage{.address = timer.fsb_route >> 32,
                                             .data = static_cast<std::uint32_t>(timer.fsb_route & kLow32)});
        return;
    }
    if (level) {
        refresh_level(n);
        return;
    }
    const std::uint64_t targets = destinations(n);
    for (unsigned output = 0; output < outputs_.size(); ++output) {
        if (((targets >> output) & 1) == 0) {
            continue;
        }
        if (outputs_[output].sources != 0) {
            ++stats_.lost_edges; // another source holds the shared line high: no edge
            continue;
        }
        outputs_[output].line.pulse();
    }
}

void Hpet::schedule(unsigned n, std::uint64_t cycle) {
    auto& timer = timers_[n];
    match_events_[n].cancel();
    timer.scheduled_cycle = kNone;
    // Only matches somebody can observe get an event: an interrupt, or a level-mode status bit.
    if (!enabled_ || (timer.config & (kIntEnable | kIntTypeLevel)) == 0) {
        return;
    }
    const bool wide = (timer.config & kMode32) == 0;
    const std::uint64_t counter = counter_at(cycle);
    std::uint64_t distance = (timer.comparator - counter) & (wide ? ~0ULL : kLow32);
    if (distance == 0) {
        if (wide) {
            return; // the match has passed; the next one is 2^64 ticks away
        }
        distance = 1ULL << 32;
    }
    if (distance > kNone - cycle) {
        return;
    }
    const std::uint64_t target = cycle + distance;
    const std::uint64_t at = clock_.duration_of(target);
    const std::uint64_t now = now_ps();
    if (at == kNone || at <= now) {
        return; // beyond the range of simulated time
    }
    notify_at(match_events_[n], at);
    timer.scheduled_cycle = target;
    ++stats_.events_scheduled;
}

void Hpet::on_match_event(unsigned n) {
    ++stats_.match_events;
    const auto cycle = cycle_now();
    timers_[n].scheduled_cycle = kNone;
    sync(n, cycle);
    schedule(n, cycle);
}

std::uint64_t Hpet::destinations(unsigned n) const {
    const auto& timer = timers_[n];
    if ((timer.config & kFsbEnable) != 0) {
        return 0;
    }
    if (legacy_ && n == 0) {
        return (1ULL << kPicOutput0) | (1ULL << 2); // IRQ0 / IOAPIC pin 2 (§2.3)
    }
    if (legacy_ && n == 1) {
        return (1ULL << kPicOutput8) | (1ULL << 8); // IRQ8 / IOAPIC pin 8
    }
    return 1ULL << ((timer.config & kRouteMask) >> kRouteShift);
}

void Hpet::drive(unsigned output, unsigned source, bool asserted) {
    auto& out = outputs_[output];
    out.sources = asserted ? (out.sources | (1ULL << source)) : (out.sources & ~(1ULL << source));
    out.line.set(out.sources != 0);
}

void Hpet::refresh_level(unsigned n) {
    auto& timer = timers_[n];
    const bool asserted = enabled_ && (timer.config & kIntTypeLevel) != 0 &&
                          (timer.config & kIntEnable) != 0 && ((status_ >> n) & 1) != 0;
    const std::uint64_t wanted = asserted ? destinations(n) : 0;
    const std::uint64_t changed = wanted ^ timer.driven_outputs;
    timer.driven_outputs = wanted;
    for (unsigned output = 0; output < outputs_.size(); ++output) {
        if (((changed >> output) & 1) != 0) {
            drive(output, n, ((wanted >> output) & 1) != 0);
        }
    }
}

void Hpet::refresh_pass_through() {
    // While legacy replacement is off, PIT OUT0 reaches IRQ0 / IOAPIC pin 2 and the RTC reaches IRQ8 /
    // pin 8 through this block; LEG_RT_CNF = 1 disconnects them (§2.3).
    const auto update = [this](bool level, unsigned source, std::uint64_t targets, std::uint64_t& driven) {
        const std::uint64_t wanted = (!legacy_ && level) ? targets : 0;
        const std::uint64_t changed = wanted ^ driven;
        driven = wanted;
        for (unsigned output = 0; output < outputs_.size(); ++output) {
            if (((changed >> output) & 1) != 0) {
                drive(output, source, ((wanted >> output) & 1) != 0);
            }
        }
    };
    update(pit_level_, kPitSource, (1ULL << kPicOutput0) | (1ULL << 2), pit_driven_);
    update(rtc_level_, kRtcSource, (1ULL << kPicOutput8) | (1ULL << 8), rtc_driven_);
}

void Hpet::legacy_input(unsigned input, bool asserted) {
    if (input == kPicIrq0) {
        pit_level_ = asserted;
    } else if (input == kPicIrq8) {
        rtc_level_ = asserted;
    } else {
        return;
    }
    refresh_pass_through();
}

void Hpet::write_configuration(std::uint64_t value, std::uint64_t mask) {
    const auto cycle = cycle_now();
    sync_all(cycle); // matches up to now happen under the old configuration
    const std::uint64_t writable = kEnableCnf | (config_.legacy_route_capable ? kLegacyRouteCnf : 0);
    const std::uint64_t updated = merge(configuration_value(), value, mask & writable);
    const bool enable = (updated & kEnableCnf) != 0;
    if (enable && !enabled_) {
        enable_cycle_ = cycle; // the counter resumes from its halted value at the next clock edge
    } else if (!enable && enabled_) {
        counter_base_ = counter_at(cycle);
    }
    enabled_ = enable;
    legacy_ = (updated & kLegacyRouteCnf) != 0;
    for (unsigned n = 0; n < timers_.size(); ++n) {
        refresh_level(n);
        schedule(n, cycle);
    }
    refresh_pass_through();
}

void Hpet::write_interrupt_status(std::uint64_t value, std::uint64_t mask) {
    const std::uint64_t timers_mask = timers_.size() >= 64 ? ~0ULL : (1ULL << timers_.size()) - 1;
    status_ &= ~(value & mask & timers_mask);
    for (unsigned n = 0; n < timers_.size(); ++n) {
        refresh_level(n);
    }
}

void Hpet::write_main_counter(std::uint64_t value, std::uint64_t mask) {
    if (enabled_) {
        ++stats_.counter_writes_while_enabled; // HPETSPEC: write only while halted
        return;
    }
    counter_base_ = merge(counter_base_, value, mask);
    for (auto& timer : timers_) {
        timer.synced_counter = counter_base_; // setting the counter does not pass any comparator
    }
}

void Hpet::write_timer_config(unsigned n, std::uint64_t value, std::uint64_t mask) {
    const auto cycle = cycle_now();
    sync(n, cycle);
    auto& timer = timers_[n];
    std::uint64_t writable = kIntTypeLevel | kIntEnable | kMode32 | kRouteMask;
    if (periodic_capable(n)) {
        writable |= kTypePeriodic | kValSet;
    }
    if (config_.fsb_capable) {
        writable |= kFsbEnable;
    }
    std::uint64_t updated = merge(timer.config, value, mask & writable);
    const unsigned route = static_cast<unsigned>((updated & kRouteMask) >> kRouteShift);
    if ((updated & kRouteMask) != (timer.config & kRouteMask) &&
        ((config_.route_capability >> route) & 1) == 0) {
        // HPETSPEC: an unsupported route does not read back; keep the old one.
        ++stats_.bad_routes;
        updated = (updated & ~kRouteMask) | (timer.config & kRouteMask);
    }
    if ((updated & kMode32) != 0 && (timer.config & kMode32) == 0) {
        timer.comparator &= kLow32;
        timer.period &= kLow32;
    }
    timer.config = updated;
    refresh_level(n);
    schedule(n, cycle);
}

void Hpet::write_comparator(unsigned n, std::uint64_t value, std::uint64_t mask) {
    const auto cycle = cycle_now();
    sync(n, cycle);
    auto& timer = timers_[n];
    if ((timer.config & kMode32) != 0) {
        mask &= kLow32;
        if (mask == 0) {
            return; // the upper half does not exist in 32-bit mode
        }
    }
    const bool periodic = (timer.config & kTypePeriodic) != 0;
    // Periodic: a write sets the increment; with VAL_SET it also sets the accumulator (QEMU hpet.c), and
    // VAL_SET clears itself. One-shot: the comparator itself.
    if (!periodic || (timer.config & kValSet) != 0) {
        timer.comparator = merge(timer.comparator, value, mask);
    }
    if (periodic) {
        timer.period = merge(timer.period, value, mask);
    }
    timer.config &= ~kValSet;
    schedule(n, cycle);
}

HpetDump Hpet::dump() const {
    HpetDump dump;
    const auto cycle = cycle_now();
    dump.capabilities = bank_.peek(kCapabilitiesId, 8);
    dump.configuration = configuration_value();
    dump.interrupt_status = status_;
    dump.main_counter = counter_at(cycle);
    for (unsigned n = 0; n < timers_.size(); ++n) {
        const auto& timer = timers_[n];
        HpetTimerDump entry;
        entry.config = timer_config_value(n);
        entry.comparator = pending_matches(timer, dump.main_counter).comparator;
        entry.period = timer.period;
        entry.fsb_route = timer.fsb_route;
        entry.output_asserted = timer.driven_outputs != 0;
        entry.next_match_ps =
            timer.scheduled_cycle == kNone ? kNone : clock_.duration_of(timer.scheduled_cycle);
        entry.fires = timer.fires;
        entry.matches = timer.matches;
        dump.timers.push_back(entry);
    }
    return dump;
}

void Hpet::report_metrics(MetricSink& sink) const {
    std::uint64_t total = 0;
    for (unsigned n = 0; n < timers_.size(); ++n) {
        const std::string prefix = "timer" + std::to_string(n) + ".";
        sink.counter(prefix + "fires", timers_[n].fires);
        sink.counter(prefix + "matches", timers_[n].matches);
        total += timers_[n].fires;
    }
    sink.counter("fires", total);
    const auto& bank = bank_.stats();
    sink.counter("reads", bank.reads);
    sink.counter("writes", bank.writes);
    sink.counter("unmapped", bank.unmapped);
    sink.counter("bad_size", bank.bad_size);
    sink.counter("misaligned", bank.misaligned);
    sink.counter("read_only_writes", bank.read_only_writes);
    sink.counter("bad_routes", stats_.bad_routes);
    sink.counter("counter_writes_while_enabled", stats_.counter_writes_while_enabled);
    sink.counter("msi_without_bus", stats_.msi_without_bus);
    sink.counter("lost_edges", stats_.lost_edges);
    sink.counter("events_scheduled", stats_.events_scheduled);
    sink.counter("match_events", stats_.match_events);
}

} // namespace x86sim::models
