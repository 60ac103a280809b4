#include "models/pit/pit8254.h"

#include "models/common/time.h"

#include <limits>
#include <stdexcept>
#include <string>
#include <sysc/kernel/sc_dynamic_processes.h> // sc_spawn (SystemC leaves it out of <systemc> by default)

namespace x86sim::models {

namespace {
constexpr std::uint64_t kNoEdge = std::numeric_limits<std::uint64_t>::max();
// Port 0x61 bit 4 toggles with each DRAM refresh request: every 18 PIT clocks (15.09 us).
constexpr std::uint64_t kRefreshToggleCycles = 18;
} // namespace

Pit8254::Pit8254(sc_core::sc_module_name name, PitConfig config)
    : sc_module(name), clock_("pit", config.input_hz), config_(config),
      // Counters 0 and 1 have GATE tied high; counter 2's GATE is port 0x61 bit 0, which resets to 0.
      channels_{PitChannel(true), PitChannel(true), PitChannel(false)} {
    scheduled_edge_.fill(kNoEdge);
    for (unsigned channel = 0; channel < 3; ++channel) {
        sc_core::sc_spawn_options options;
        options.spawn_method();
        options.dont_initialize();
        options.set_sensitivity(&edge_events_[channel]);
        sc_core::sc_spawn([this, channel] { on_edge_event(channel); },
                          sc_core::sc_gen_unique_name(("out" + std::to_string(channel)).c_str()), &options);
    }
}

std::uint64_t Pit8254::cycle_now() const {
    return clock_.cycles_in(now_ps());
}

void Pit8254::connect_out(unsigned channel, IrqLineSink& sink, unsigned input) {
    if (channel > 2) {
        throw std::out_of_range("Pit8254::connect_out: channel must be 0, 1 or 2");
    }
    const bool was_observed = observed(channel);
    outs_[channel].connect(sink, input);
    observed_[channel] = true;
    // Bring the new listener up to date (lines start deasserted): an already driven high line is reported
    // to it alone; a line that was never driven catches up through update_output, and edges follow.
    if (was_observed && outs_[channel].level()) {
        sink.set_irq_input(input, true);
    }
    update_output(channel, cycle_now());
}

void Pit8254::update_output(unsigned channel, std::uint64_t c) {
    if (!observed(channel)) {
        return; // nobody listens: OUT is computed when port 0x61 is read
    }
    drive_line(channel, c);
    const std::uint64_t edge = channels_[channel].next_edge(c);
    if (edge == scheduled_edge_[channel]) {
        return; // already armed for exactly this edge
    }
    edge_events_[channel].cancel();
    scheduled_edge_[channel] = kNoEdge;
    if (edge == PitChannel::kNever) {
        return;
    }
    const std::uint64_t at = clock_.duration_of(edge);
    const std::uint64_t now = now_ps();
    if (at == std::numeric_limits<std::uint64_t>::max() || at <= now) {
        return; // beyond the representable time range (edge > current cycle implies at > now otherwise)
    }
    notify_at(edge_events_[channel], at);
    scheduled_edge_[channel] = edge;
    ++stats_.events_scheduled;
}

void Pit8254::drive_line(unsigned channel, std::uint64_t c) {
    if (!observed(channel)) {
        return;
    }
    auto& line = outs_[channel];
    const bool level = channels_[channel].out(c);
    if (level == line.level()) {
        return;
    }
    line.set(level);
    if (!level) {
        return;
    }
    ++rising_edges_[channel];
    if (channel == 0) {
        ++fires_;
        if (observer_.wants(HopKind::TimerExpiry)) {
            observer_.send(InterruptHop{
                .time_ps = now_ps(), .kind = HopKind::TimerExpiry, .source = "pit", .detail = 0});
        }
    }
}

void Pit8254::on_edge_event(unsigned channel) {
    ++stats_.edge_events;
    scheduled_edge_[channel] = kNoEdge;
    update_output(channel, cycle_now());
}

MmioResult Pit8254::io_read(std::uint16_t port, unsigned size, std::uint32_t& value) {
    value = 0xFFFF'FFFFU;
    if (size != 1 && size != 2 && size != 4) {
        ++stats_.bad_accesses;
        return {AccessStatus::BadSize, config_.access_cost_ps};
    }
    const auto c = cycle_now();
    AccessStatus status = AccessStatus::Ok;
    std::uint32_t result = 0;
    for (unsigned byte = 0; byte < size; ++byte) {
        const auto port_byte = static_cast<std::uint16_t>(port + byte);
        result |= static_cast<std::uint32_t>(read_byte(port_byte, c, status)) << (8 * byte);
    }
    value = result;
    return {status, config_.access_cost_ps * size};
}

MmioResult Pit8254::io_write(std::uint16_t port, unsigned size, std::uint32_t value) {
    if (size != 1 && size != 2 && size != 4) {
        ++stats_.bad_accesses;
        return {AccessStatus::BadSize, config_.access_cost_ps};
    }
    const auto c = cycle_now();
    AccessStatus status = AccessStatus::Ok;
    for (unsigned byte = 0; byte < size; ++byte) {
        const auto port_byte = static_cast<std::uint16_t>(port + byte);
        write_byte(port_byte, static_cast<std::uint8_t>(value >> (8 * byte)), c, status);
    }
    return {status, config_.access_cost_ps * size};
}

std::uint8_t Pit8254::read_byte(std::uint16_t port, std::uint64_t c, AccessStatus& status) {
    ++stats_.reads;
    if (port >= kCounter0Port && port < kControlPort) {
        return channels_[port - kCounter0Port].read_data(c);
    }
    if (port == kPort61) {
        const bool refresh = ((c / kRefreshToggleCycles) & 1) != 0;
        return static_cast<std::uint8_t>((port61_ & 0x0F) | (refresh ? 0x10 : 0) |
                                         (channels_[2].out(c) ? 0x20 : 0));
    }
    ++stats_.bad_accesses;
    if (status == AccessStatus::Ok) {
        status = port == kControlPort ? AccessStatus::WriteOnlyRead : AccessStatus::Unmapped;
    }
    return 0xFF;
}

void Pit8254::write_byte(std::uint16_t port, std::uint8_t value, std::uint64_t c, AccessStatus& status) {
    ++stats_.writes;
    if (port >= kCounter0Port && port < kControlPort) {
        const unsigned channel = port - kCounter0Port;
        drive_line(channel, c);
        channels_[channel].write_data(value, c);
        update_output(channel, c);
        return;
    }
    if (port == kControlPort) {
        const unsigned select = value >> 6;
        if (select == 3) {
            // Read-back command: bit 5 = 0 latches counts, bit 4 = 0 latches status, bits 3:1 select
            // counters 2/1/0, bit 0 must be 0 (§2.1).
            if ((value & 1) != 0) {
                ++stats_.bad_accesses;
                return;
            }
            for (unsigned channel = 0; channel < 3; ++channel) {
                if ((value & (2U << channel)) == 0) {
                    continue;
                }
                if ((value & 0x20) == 0) {
                    channels_[channel].latch_count(c);
                }
                if ((value & 0x10) == 0) {
                    channels_[channel].latch_status(c);
                }
            }
            return;
        }
        if ((value & 0x30) == 0) {
            channels_[select].latch_count(c);
            return;
        }
        drive_line(select, c);
        channels_[select].write_control(value, c);
        update_output(select, c);
        return;
    }
    if (port == kPort61) {
        port61_ = value & 0x0F;
        drive_line(2, c);
        channels_[2].set_gate((value & 1) != 0, c);
        update_output(2, c);
        return;
    }
    ++stats_.bad_accesses;
    if (status == AccessStatus::Ok) {
        status = AccessStatus::Unmapped;
    }
}

PitDump Pit8254::dump() const {
    PitDump dump;
    dump.cycle = cycle_now();
    for (unsigned channel = 0; channel < 3; ++channel) {
        dump.channels[channel] = channels_[channel].snapshot(dump.cycle);
        dump.next_edge_ps[channel] =
            scheduled_edge_[channel] == kNoEdge ? kNoEdge : clock_.duration_of(scheduled_edge_[channel]);
    }
    const bool refresh = ((dump.cycle / kRefreshToggleCycles) & 1) != 0;
    dump.port61 = static_cast<std::uint8_t>((port61_ & 0x0F) | (refresh ? 0x10 : 0) |
                                            (channels_[2].out(dump.cycle) ? 0x20 : 0));
    return dump;
}

void Pit8254::report_metrics(MetricSink& sink) const {
    sink.counter("fires", fires_);
    sink.counter("channel0.rising_edges", rising_edges_[0]);
    sink.counter("channel1.rising_edges", rising_edges_[1]);
    sink.counter("channel2.rising_edges", rising_edges_[2]);
    sink.counter("reads", stats_.reads);
    sink.counter("writes", stats_.writes);
    sink.counter("bad_accesses", stats_.bad_accesses);
    std::uint64_t illegal = 0;
    for (const auto& channel : channels_) {
        illegal += channel.illegal_counts();
    }
    sink.counter("illegal_counts", illegal);
    sink.counter("events_scheduled", stats_.events_scheduled);
    sink.counter("edge_events", stats_.edge_events);
}

} // namespace x86sim::models
