#include "sim/trace/trace_recorder.h"

#include "models/common/time.h"
#include "sim/platform/platform.h"

#include <cstdio>
#include <filesystem>

namespace x86sim::trace {

namespace {

constexpr int kCpuProcess = 1;
constexpr int kDeviceProcess = 2;
constexpr int kTimersTrack = 1;
constexpr int kIoapicTrack = 2;
constexpr int kMsiTrack = 3;
constexpr int kIpiTrack = 4;

int irq_track(unsigned cpu) {
    return static_cast<int>(2 * cpu + 1);
}
int task_track(unsigned cpu) {
    return static_cast<int>(2 * cpu + 2);
}

std::string vector_suffix(int vector) {
    if (vector < 0) {
        return "";
    }
    char text[16];
    std::snprintf(text, sizeof text, " vec=0x%02x", vector);
    return text;
}

std::string hop_args(const models::InterruptHop& hop) {
    char text[160];
    std::snprintf(text, sizeof text, "{\"vector\":%d,\"cpu\":%d,\"detail\":%llu,\"source\":\"", hop.vector,
                  hop.cpu, static_cast<unsigned long long>(hop.detail));
    std::string args = text;
    for (const char* c = hop.source ? hop.source : ""; *c != '\0'; ++c) {
        if (*c != '"' && *c != '\\' && static_cast<unsigned char>(*c) >= 0x20) {
            args += *c;
        }
    }
    return args + "\"}";
}

} // namespace

class TraceRecorder::WireTap : public models::IrqLineSink {
  public:
    WireTap(TraceRecorder& recorder, std::size_t signal) : recorder_(recorder), signal_(signal) {}
    void set_irq_input(unsigned, bool asserted) override { recorder_.wire_changed(signal_, asserted); }

  private:
    TraceRecorder& recorder_;
    std::size_t signal_;
};

std::string parse_trace_formats(const std::vector<std::string>& formats, TraceOptions& options) {
    for (const auto& format : formats) {
        if (format == "perfetto") {
            options.perfetto = true;
        } else if (format == "vcd") {
            options.vcd = true;
        } else {
            return "--trace " + format + ": unknown trace format (perfetto, vcd)";
        }
    }
    return "";
}

TraceRecorder::TraceRecorder(sim::Platform& platform, const TraceOptions& options) : platform_(platform) {
    const std::filesystem::path directory(options.directory.empty() ? "." : options.directory);
    const unsigned cpus = platform_.cpu_count();
    open_handlers_.assign(cpus, 0);
    task_.assign(cpus, 0);
    if (options.perfetto) {
        json_ = std::make_unique<ChromeTraceWriter>((directory / "trace.json").string());
        json_->name_process(kCpuProcess, "CPUs");
        for (unsigned cpu = 0; cpu < cpus; ++cpu) {
            json_->name_track(kCpuProcess, irq_track(cpu), "cpu" + std::to_string(cpu));
            json_->name_track(kCpuProcess, task_track(cpu), "cpu" + std::to_string(cpu) + " tasks");
        }
        json_->name_process(kDeviceProcess, "devices");
        json_->name_track(kDeviceProcess, kTimersTrack, "timers");
        json_->name_track(kDeviceProcess, kIoapicTrack, "ioapic");
        json_->name_track(kDeviceProcess, kMsiTrack, "msi");
        json_->name_track(kDeviceProcess, kIpiTrack, "ipi");
    }
    if (options.vcd) {
        vcd_ = std::make_unique<VcdWriter>((directory / "trace.vcd").string());
        for (unsigned cpu = 0; cpu < cpus; ++cpu) {
            intr_signal_.push_back(vcd_->add_signal("cpu" + std::to_string(cpu), "intr"));
        }
        intr_level_.assign(cpus, false);
        auto tap = [&](models::IrqLine& line, const std::string& scope, const std::string& name) {
            taps_.push_back(std::make_unique<WireTap>(*this, vcd_->add_signal(scope, name)));
            line.connect(*taps_.back(), 0);
        };
        if (auto* pit = platform_.pit()) {
            tap(pit->out0(), "pit", "out0");
        }
        if (auto* pic = platform_.pic()) {
            tap(pic->int_output(), "pic", "int");
        }
        if (auto* hpet = platform_.hpet()) {
            tap(hpet->pic_output(models::Hpet::kPicIrq0), "hpet", "irq0");
            tap(hpet->pic_output(models::Hpet::kPicIrq8), "hpet", "irq8");
            if (auto* ioapic = platform_.ioapic()) {
                for (unsigned pin = 0; pin < ioapic->pins() && pin < 24; ++pin) {
                    tap(hpet->ioapic_output(pin), "ioapic", "pin" + std::to_string(pin));
                }
            }
        }
    }
    platform_.add_interrupt_observer(*this);
    if (json_) {
        for (unsigned cpu = 0; cpu < cpus; ++cpu) {
            platform_.cpu(cpu).set_task_observer(this);
        }
    }
}

TraceRecorder::~TraceRecorder() = default;

void TraceRecorder::wire_changed(std::size_t signal, bool level) {
    if (!finished_) {
        vcd_->change(signal, models::now_ps(), level);
    }
}

void TraceRecorder::sample_cpu(unsigned cpu, std::uint64_t time_ps) {
    if (vcd_) {
        const bool level = platform_.lapic(cpu).intr_pending();
        if (level != intr_level_[cpu]) {
            intr_level_[cpu] = level;
            vcd_->change(intr_signal_[cpu], time_ps, level);
        }
    }
}

void TraceRecorder::on_task_switch(unsigned cpu, kut_task_id from, const std::string& from_name,
                                   kut_task_id to, const std::string& to_name, std::uint64_t time_ps) {
    if (finished_ || !json_ || cpu >= task_.size()) {
        return;
    }
    last_time_ps_ = std::max(last_time_ps_, time_ps);
    ++task_switches_;
    if (task_[cpu] != KUT_IDLE_TASK) {
        json_->end(kCpuProcess, task_track(cpu), time_ps);
    }
    const auto prev = ChromeTraceWriter::escape(from_name);
    const auto& next = to_name;
    json_->instant(kCpuProcess, task_track(cpu), time_ps, "sched_switch", "sched",
                   "{\"prev_comm\":\"" + prev + "\",\"prev_pid\":" + std::to_string(from) +
                       ",\"next_comm\":\"" + ChromeTraceWriter::escape(next) +
                       "\",\"next_pid\":" + std::to_string(to) + "}");
    if (to != KUT_IDLE_TASK) {
        json_->begin(kCpuProcess, task_track(cpu), time_ps, next, "sched",
                     "{\"pid\":" + std::to_string(to) + "}");
    }
    task_[cpu] = to;
}

void TraceRecorder::on_hop(const models::InterruptHop& hop) {
    if (finished_) {
        return;
    }
    // Timestamps from the simulation clock; a device may report a hop's own (later) issue time.
    const auto time = hop.time_ps;
    last_time_ps_ = std::max(last_time_ps_, time);
    const bool on_cpu = hop.cpu >= 0 && static_cast<unsigned>(hop.cpu) < platform_.cpu_count();
    if (json_) {
        using models::HopKind;
        const auto name = std::string(models::to_string(hop.kind)) + vector_suffix(hop.vector);
        const auto args = hop_args(hop);
        switch (hop.kind) {
        case HopKind::TimerExpiry:
            json_->instant(kDeviceProcess, kTimersTrack, time,
                           std::string("timer-expiry ") + (hop.source ? hop.source : ""), "timer", args);
            break;
        case HopKind::IoapicDelivery:
            json_->instant(kDeviceProcess, kIoapicTrack, time, name, "ioapic", args);
            break;
        case HopKind::DeviceMessage:
        case HopKind::Remap:
            json_->instant(kDeviceProcess, kMsiTrack, time, name, "msi", args);
            break;
        case HopKind::Ipi:
            json_->instant(kDeviceProcess, kIpiTrack, time, name, "ipi", args);
            break;
        case HopKind::HandlerEntry:
            if (on_cpu) {
                ++open_handlers_[static_cast<unsigned>(hop.cpu)];
                json_->begin(kCpuProcess, irq_track(static_cast<unsigned>(hop.cpu)), time,
                             "irq_handler" + vector_suffix(hop.vector), "irq_handler_entry", args);
            }
            break;
        case HopKind::HandlerExit:
            if (on_cpu && open_handlers_[static_cast<unsigned>(hop.cpu)] > 0) {
                --open_handlers_[static_cast<unsigned>(hop.cpu)];
                json_->end(kCpuProcess, irq_track(static_cast<unsigned>(hop.cpu)), time);
            }
            break;
        default:
            if (on_cpu) {
                json_->instant(kCpuProcess, irq_track(static_cast<unsigned>(hop.cpu)), time, name, "lapic",
                               args);
            } else {
                json_->instant(kDeviceProcess, kMsiTrack, time, name, "fabric", args);
            }
            break;
        }
    }
    if (on_cpu) {
        sample_cpu(static_cast<unsigned>(hop.cpu), models::now_ps());
    }
}

void TraceRecorder::finish(std::uint64_t end_ps) {
    if (finished_) {
        return;
    }
    finished_ = true;
    const auto end = std::max(end_ps, last_time_ps_);
    if (json_) {
        for (unsigned cpu = 0; cpu < open_handlers_.size(); ++cpu) {
            for (; open_handlers_[cpu] > 0; --open_handlers_[cpu]) {
                json_->end(kCpuProcess, irq_track(cpu), end);
            }
            if (task_[cpu] != KUT_IDLE_TASK) {
                json_->end(kCpuProcess, task_track(cpu), end);
            }
        }
        json_->finish();
    }
    if (vcd_) {
        vcd_->finish(end);
    }
}

} // namespace x86sim::trace
