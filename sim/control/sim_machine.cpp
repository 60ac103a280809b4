#include "sim/control/sim_machine.h"

#include "models/common/irq_line.h"
#include "models/common/time.h"
#include "sim/control/core/session.h"
#include "sim/control/state_json.h"
#include "sim/platform/guest_session.h"
#include "sim/platform/platform.h"
#include "sim/platform/simulation.h"
#include "sim/platform/timeline_driver.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <systemc>
#include <tlm>

namespace x86sim::control {

namespace {

constexpr std::size_t kRingCapacity = 4096;
constexpr std::size_t kMaxListed = 100; // events/hops named in one step reply

std::uint64_t now_ps() {
    return models::now_ps();
}

std::string format_time(std::uint64_t ps) {
    char text[64];
    if (ps % 1'000'000 == 0) {
        std::snprintf(text, sizeof text, "%.3f us", static_cast<double>(ps) / 1e6);
    } else {
        std::snprintf(text, sizeof text, "%.6f us", static_cast<double>(ps) / 1e6);
    }
    return text;
}

} // namespace

// Wire taps for irq_intercept: PIT OUT0 (input 0) and the 8259 INT output (input 1).
class IrqTap : public models::IrqLineSink {
  public:
    explicit IrqTap(SimMachine& machine) : machine_(machine) {}
    void set_irq_input(unsigned input, bool asserted) override {
        levels_[input & 1] = asserted;
        machine_.irq_line_changed(input, asserted);
    }
    bool level(unsigned input) const { return levels_[input & 1]; }

  private:
    SimMachine& machine_;
    bool levels_[2] = {false, false};
};

SimMachine::SimMachine(const scenario::Config& config, ScenarioSource source)
    : config_(config), source_(std::move(source)) {
    sim::refuse_unmodelled(config_);
    models::ensure_time_resolution();
    tlm::tlm_global_quantum::instance().set(models::from_ps(config_.platform.quantum_ps));
    platform_ = std::make_unique<sim::Platform>(config_);
    if (config_.kernel) {
        guest_ = std::make_unique<sim::GuestSession>(config_, *platform_, registry_, nullptr, "");
    }
    timeline_ = std::make_unique<sim::TimelineDriver>("timeline", *platform_, config_.timeline);
    platform_->add_interrupt_observer(*this);
    tap_ = std::make_unique<IrqTap>(*this);
    if (auto* pit = platform_->pit()) {
        pit->out0().connect(*tap_, 0);
    }
    if (auto* pic = platform_->pic()) {
        pic->int_output().connect(*tap_, 1);
    }
    intr_levels_.assign(platform_->cpu_count(), false);
}

SimMachine::~SimMachine() = default;

unsigned SimMachine::cpu_count() const {
    return platform_->cpu_count();
}

// ---- qtest core -------------------------------------------------------------------------------------

Status SimMachine::mem_read(unsigned cpu, std::uint64_t address, unsigned size, std::uint64_t& value) {
    in_command_ = true;
    value = 0;
    // Unclaimed addresses read all ones, as on a PC (and as QEMU answers): the reply is still OK.
    platform_->address_map().read(cpu, address, size, value);
    in_command_ = false;
    return Status::success();
}

Status SimMachine::mem_write(unsigned cpu, std::uint64_t address, unsigned size, std::uint64_t value) {
    in_command_ = true;
    platform_->address_map().write(cpu, address, size, value);
    in_command_ = false;
    return Status::success();
}

namespace {
// QEMU's qtest `read`/`write`/`memset` go through the address space, which splits a buffer into the
// largest naturally aligned accesses a device takes (4 bytes by default for MMIO): `read 0xfee00030 4`
// is one dword read of the LAPIC version there, not four byte reads a LAPIC would not answer. RAM gives
// the same bytes either way.
unsigned buffer_access_size(std::uint64_t address, std::size_t remaining) {
    for (unsigned size = 4; size > 1; size /= 2) {
        if (remaining >= size && address % size == 0) {
            return size;
        }
    }
    return 1;
}
} // namespace

Status SimMachine::mem_read_bytes(unsigned cpu, std::uint64_t address, std::span<std::uint8_t> out) {
    in_command_ = true;
    for (std::size_t i = 0; i < out.size();) {
        const auto size = buffer_access_size(address + i, out.size() - i);
        std::uint64_t value = 0;
        platform_->address_map().read(cpu, address + i, size, value);
        for (unsigned byte = 0; byte < size; ++byte, ++i) {
            out[i] = static_cast<std::uint8_t>(value >> (8 * byte)); // little endian
        }
    }
    in_command_ = false;
    return Status::success();
}

Status SimMachine::mem_write_bytes(unsigned cpu, std::uint64_t address, std::span<const std::uint8_t> data) {
    in_command_ = true;
    for (std::size_t i = 0; i < data.size();) {
        const auto size = buffer_access_size(address + i, data.size() - i);
        std::uint64_t value = 0;
        for (unsigned byte = 0; byte < size; ++byte) {
            value |= static_cast<std::uint64_t>(data[i + byte]) << (8 * byte);
        }
        platform_->address_map().write(cpu, address + i, size, value);
        i += size;
    }
    in_command_ = false;
    return Status::success();
}

Status SimMachine::port_in(std::uint16_t port, unsigned size, std::uint32_t& value) {
    in_command_ = true;
    value = 0;
    platform_->address_map().in(port, size, value);
    in_command_ = false;
    return Status::success();
}

Status SimMachine::port_out(std::uint16_t port, unsigned size, std::uint32_t value) {
    in_command_ = true;
    platform_->address_map().out(port, size, value);
    in_command_ = false;
    return Status::success();
}

std::uint64_t SimMachine::clock_step(std::optional<std::uint64_t> ns) {
    std::uint64_t target = now_ps();
    if (ns) {
        target += std::min<std::uint64_t>(*ns, (UINT64_MAX - target) / 1000) * 1000;
    } else if (sc_core::sc_pending_activity()) {
        target += models::to_ps(sc_core::sc_time_to_pending_activity());
    }
    if (target > now_ps() || (target == now_ps() && !ns && sc_core::sc_pending_activity_at_current_time())) {
        run(Limits::until(target));
    }
    return now_ps() / 1000;
}

std::uint64_t SimMachine::clock_set(std::uint64_t ns) {
    const auto target = ns > UINT64_MAX / 1000 ? UINT64_MAX : ns * 1000;
    if (target > now_ps()) {
        run(Limits::until(target));
    }
    return now_ps() / 1000;
}

Status SimMachine::irq_intercept(bool outputs, std::string_view device) {
    const bool known = (device == "ioapic" && !outputs && platform_->ioapic()) ||
                       (device == "pic" && platform_->pic()) ||
                       (device == "pit" && outputs && platform_->pit()) || (device == "lapic" && outputs);
    if (!known) {
        return Status::failure("Unknown device");
    }
    if (!intercept_device_.empty()) {
        if (intercept_device_ != device || intercept_outputs_ != outputs) {
            return Status::failure("IRQ intercept already enabled");
        }
        return Status::success();
    }
    intercept_device_ = std::string(device);
    intercept_outputs_ = outputs;
    intr_levels_.assign(platform_->cpu_count(), false);
    sample_intr();
    return Status::success();
}

void SimMachine::irq_line_changed(unsigned line, bool level) {
    if (intercept_device_.empty() || replaying_) {
        return;
    }
    // Line numbers as a qtest client sees them: IOAPIC inputs by pin, 8259 inputs by IRQ, outputs by index.
    int reported = -1;
    if (line == 0 && intercept_device_ == "ioapic") {
        reported = static_cast<int>(sim::kPitIoapicPin);
    } else if (line == 0 && intercept_device_ == "pic" && !intercept_outputs_) {
        reported = 0;
    } else if (line == 0 && intercept_device_ == "pit") {
        reported = 0;
    } else if (line == 1 && intercept_device_ == "pic" && intercept_outputs_) {
        reported = 0;
    }
    if (reported >= 0) {
        async_lines_.push_back(std::string("IRQ ") + (level ? "raise " : "lower ") +
                               std::to_string(reported));
    }
}

void SimMachine::sample_intr() {
    if (intercept_device_ != "lapic" || replaying_) {
        return;
    }
    for (unsigned cpu = 0; cpu < platform_->cpu_count(); ++cpu) {
        const bool level = platform_->lapic(cpu).intr_pending();
        if (level != intr_levels_[cpu]) {
            intr_levels_[cpu] = level;
            async_lines_.push_back(std::string("IRQ ") + (level ? "raise " : "lower ") + std::to_string(cpu));
        }
    }
}

std::vector<std::string> SimMachine::take_async_lines() {
    sample_intr();
    std::vector<std::string> lines;
    lines.swap(async_lines_);
    if (replaying_) {
        lines.clear();
    }
    return lines;
}

void SimMachine::journal(std::string_view line) {
    journal_.push_back({event_count_, now_ps(), std::string(line)});
}

Status SimMachine::rdmsr(unsigned cpu, std::uint32_t index, std::uint64_t& value) {
    in_command_ = true;
    const bool ok = platform_->rdmsr(cpu, index, value);
    in_command_ = false;
    return ok ? Status::success() : Status::failure("gp");
}

Status SimMachine::wrmsr(unsigned cpu, std::uint32_t index, std::uint64_t value) {
    in_command_ = true;
    const bool ok = platform_->wrmsr(cpu, index, value);
    in_command_ = false;
    return ok ? Status::success() : Status::failure("gp");
}

// ---- events and run control -------------------------------------------------------------------------

void SimMachine::on_hop(const models::InterruptHop& hop) {
    bool new_event = false;
    if (!in_command_) {
        const std::pair<std::uint64_t, std::uint64_t> key{now_ps(), sc_core::sc_delta_count()};
        if (key != last_key_) {
            last_key_ = key;
            ++event_count_;
            last_event_time_ps_ = key.first;
            new_event = true;
        }
    }
    ++hop_count_;
    auto record = make_record(hop, event_count_, hop_count_);
    ring_.push_back(record);
    if (ring_.size() > kRingCapacity) {
        ring_.pop_front();
    }
    sample_intr();
    if (!running_ || in_command_) {
        return;
    }
    if (new_event && limits_.event && event_count_ >= *limits_.event) {
        request_stop("step", record);
    }
    if (limits_.hop && hop_count_ >= *limits_.hop) {
        request_stop("stepi", record);
    }
    if (limits_.breakpoints && !replaying_) {
        if (new_event && breakpoints_.has_watches()) {
            if (auto hit = breakpoints_.check_watches(
                    [this](const std::string& name) { return read_register(name); })) {
                request_stop("breakpoint", record, std::move(hit));
            }
        }
        if (auto hit = breakpoints_.on_hop(record)) {
            request_stop("breakpoint", record, std::move(hit));
        }
    }
}

void SimMachine::request_stop(std::string reason, const std::optional<HopRecord>& record,
                              std::optional<BreakHit> hit) {
    if (!stop_reason_.empty()) {
        return;
    }
    stop_reason_ = std::move(reason);
    stop_record_ = record;
    stop_hit_ = std::move(hit);
    if (running_ && sc_core::sc_get_status() == sc_core::SC_RUNNING) {
        sc_core::sc_pause();
    }
}

void SimMachine::settle() {
    while (stop_reason_.empty() && sc_core::sc_pending_activity_at_current_time()) {
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }
}

void SimMachine::run(const Limits& limits) {
    stop_reason_.clear();
    stop_record_.reset();
    stop_hit_.reset();
    limits_ = limits;
    if (limits.event && event_count_ >= *limits.event) {
        stop_reason_ = "step";
        return;
    }
    auto deadline = limits.until_ps;
    bool time_breakpoint = false;
    if (limits.breakpoints && !replaying_) {
        if (const auto at = breakpoints_.next_time_stop(now_ps()); at && (!deadline || *at <= *deadline)) {
            time_breakpoint = true;
            deadline = at;
        }
    }
    running_ = true;
    while (stop_reason_.empty()) {
        if (pause_poll_ && !replaying_ && pause_poll_()) {
            stop_reason_ = "pause";
            break;
        }
        const auto now = now_ps();
        if (deadline && now >= *deadline) {
            settle();
            if (stop_reason_.empty()) {
                if (time_breakpoint) {
                    if (auto hit = breakpoints_.on_time(now)) {
                        stop_hit_ = std::move(hit);
                        stop_reason_ = "breakpoint";
                        break;
                    }
                }
                stop_reason_ = "time";
            }
            break;
        }
        // Before the first sc_start nothing is initialised yet, so "nothing pending" means nothing then.
        if (started_ && !sc_core::sc_pending_activity()) {
            if (!deadline) {
                stop_reason_ = "idle";
                break;
            }
            sc_core::sc_start(models::from_ps(*deadline - now)); // nothing scheduled: time just advances
            started_ = true;
            continue;
        }
        started_ = true;
        const auto slice = deadline ? std::min(slice_ps_, *deadline - now) : slice_ps_;
        const auto wall_start = std::chrono::steady_clock::now();
        sc_core::sc_start(models::from_ps(slice));
        const auto wall = std::chrono::steady_clock::now() - wall_start;
        // Keep each slice around 2-20 ms of wall time, so `pause` is noticed quickly and idle time is cheap.
        if (wall < std::chrono::milliseconds(2) && slice == slice_ps_ && slice_ps_ < 1'000'000'000'000ULL) {
            slice_ps_ *= 2;
        } else if (wall > std::chrono::milliseconds(20) && slice_ps_ > 1'000) {
            slice_ps_ /= 2;
        }
    }
    running_ = false;
    if (limits.breakpoints && !replaying_ && breakpoints_.has_watches() && stop_reason_ != "breakpoint") {
        if (auto hit =
                breakpoints_.check_watches([this](const std::string& name) { return read_register(name); })) {
            stop_reason_ = "breakpoint";
            stop_hit_ = std::move(hit);
        }
    }
}

nlohmann::json SimMachine::stop_report(std::uint64_t start_hop, bool list_events) const {
    nlohmann::json report;
    report["stopped"] = stop_reason_;
    report["time_ps"] = now_ps();
    report["time"] = format_time(now_ps());
    report["event"] = event_count_;
    report["hops"] = hop_count_;
    if (stop_hit_) {
        report["breakpoint"] = stop_hit_->id;
        report["reason"] = stop_hit_->description;
        if (!stop_hit_->detail.empty()) {
            report["detail"] = stop_hit_->detail;
        }
    } else if (stop_reason_ == "step") {
        report["reason"] = "reached event " + std::to_string(event_count_);
    } else if (stop_reason_ == "stepi") {
        report["reason"] = "reached hop " + std::to_string(hop_count_);
    } else if (stop_reason_ == "pause") {
        report["reason"] = "paused by the client";
    } else if (stop_reason_ == "time") {
        report["reason"] = "reached the requested time";
    } else if (stop_reason_ == "end") {
        report["reason"] = "end of the scenario (duration " + format_time(config_.duration_ps) + ")";
    } else if (stop_reason_ == "idle") {
        report["reason"] = "nothing left to simulate (no pending events)";
    }
    // The record that triggered the stop, or else the latest one.
    if (stop_record_) {
        report["record"] = to_json(*stop_record_);
    } else if (!ring_.empty()) {
        report["record"] = to_json(ring_.back());
    } else {
        report["record"] = nullptr;
    }
    if (list_events) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& record : ring_) {
            if (record.hop > start_hop && list.size() < kMaxListed) {
                list.push_back(to_json(record));
            }
        }
        report["stepped"] = list;
    }
    return report;
}

nlohmann::json SimMachine::where() const {
    nlohmann::json pending = nlohmann::json::object();
    for (unsigned cpu = 0; cpu < platform_->cpu_count(); ++cpu) {
        const auto next = platform_->lapic(cpu).next_timer_event_ps();
        pending["cpu" + std::to_string(cpu) + ".lapic.timer_ps"] =
            next ? nlohmann::json(next) : nlohmann::json(nullptr);
    }
    if (const auto* ioapic = platform_->ioapic()) {
        pending["ioapic.messages_in_flight"] = ioapic->dump().messages_in_flight;
    }
    if (const auto* pit = platform_->pit()) {
        const auto dump = pit->dump();
        pending["pit.out0_next_edge_ps"] = dump.next_edge_ps[0] == UINT64_MAX
                                               ? nlohmann::json(nullptr)
                                               : nlohmann::json(dump.next_edge_ps[0]);
    }
    const bool any = sc_core::sc_pending_activity();
    pending["next_activity_ps"] =
        any ? nlohmann::json(now_ps() + models::to_ps(sc_core::sc_time_to_pending_activity()))
            : nlohmann::json(nullptr);
    nlohmann::json json;
    json["time_ps"] = now_ps();
    json["time"] = format_time(now_ps());
    json["event"] = event_count_;
    json["hops"] = hop_count_;
    json["scenario"] = config_.name;
    json["duration_ps"] = config_.duration_ps;
    json["seed"] = config_.seed;
    json["pending"] = pending;
    json["record"] = ring_.empty() ? nlohmann::json(nullptr) : to_json(ring_.back());
    return json;
}

// ---- debugger commands ------------------------------------------------------------------------------

Status SimMachine::debug(const DebugRequest& request, unsigned cpu, nlohmann::json& result) {
    const auto start_hop = hop_count_;
    switch (request.op) {
    case DebugOp::BreakIrq:
    case DebugOp::BreakMsi:
    case DebugOp::BreakCoalesce:
    case DebugOp::BreakStorm:
    case DebugOp::BreakFault:
    case DebugOp::BreakTime:
    case DebugOp::Watch: {
        if (request.op == DebugOp::Watch && !read_register(request.text)) {
            return Status::failure(
                "watch: unknown register '" + request.text +
                "' (e.g. lapic0.tpr, lapic0.irr, ioapic.rte2, pit.count0, pic.irr; see info)");
        }
        auto& breakpoint = const_cast<Breakpoint&>(
            forced_breakpoint_id_ != 0 ? breakpoints_.add_with_id(forced_breakpoint_id_, request)
                                       : breakpoints_.add(request));
        if (request.op == DebugOp::Watch) {
            breakpoint.watch_value = read_register(request.text);
        }
        result = breakpoint.to_json();
        return Status::success();
    }
    case DebugOp::Delete:
        if (request.number > UINT32_MAX || !breakpoints_.remove(static_cast<std::uint32_t>(request.number))) {
            return Status::failure("delete: no breakpoint " + std::to_string(request.number));
        }
        result = {{"deleted", request.number}};
        return Status::success();
    case DebugOp::Breakpoints:
        result = {{"breakpoints", breakpoints_.list()}};
        return Status::success();
    case DebugOp::Continue: {
        Limits limits;
        limits.breakpoints = true;
        if (!end_reported_ && now_ps() < config_.duration_ps) {
            limits.until_ps = config_.duration_ps;
        }
        run(limits);
        if (stop_reason_ == "time" && limits.until_ps && now_ps() >= config_.duration_ps) {
            stop_reason_ = "end";
            end_reported_ = true;
        }
        result = stop_report(start_hop, false);
        return Status::success();
    }
    case DebugOp::Step:
        run(Limits::to_event(event_count_ + request.number, true));
        result = stop_report(start_hop, true);
        return Status::success();
    case DebugOp::Stepi:
        run(Limits::to_hop(hop_count_ + request.number));
        result = stop_report(start_hop, true);
        return Status::success();
    case DebugOp::Pause:
        result = {{"paused", true}, {"time_ps", now_ps()}, {"event", event_count_}};
        return Status::success();
    case DebugOp::Where:
        result = where();
        return Status::success();
    case DebugOp::Events: {
        nlohmann::json list = nlohmann::json::array();
        const auto count = std::min<std::uint64_t>(request.number, ring_.size());
        for (auto it = ring_.end() - static_cast<std::ptrdiff_t>(count); it != ring_.end(); ++it) {
            list.push_back(to_json(*it));
        }
        result = {{"events", list}, {"event", event_count_}, {"hops", hop_count_}};
        return Status::success();
    }
    case DebugOp::Info:
        return info(request, cpu, result);
    case DebugOp::Save: {
        std::ofstream out(request.text);
        if (!out) {
            return Status::failure("save: cannot write '" + request.text + "'");
        }
        const auto json = to_json(checkpoint());
        out << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        if (!out.flush()) {
            return Status::failure("save: cannot write '" + request.text + "'");
        }
        result = {{"saved", request.text},
                  {"event", event_count_},
                  {"time_ps", now_ps()},
                  {"journal_entries", journal_.size()}};
        return Status::success();
    }
    case DebugOp::Back:
    case DebugOp::Load:
        return Status::failure(
            std::string(request.op == DebugOp::Back ? "back" : "load") +
            ": needs the control server (x86sim serve/debug), which re-executes the simulation "
            "in a fresh process; SystemC cannot restart within one");
    }
    return Status::failure("unsupported command");
}

Status SimMachine::pci_info(const DebugRequest& request, nlohmann::json& result) {
    // The platform builds exactly the functions of platform.devices (nvme ones are refused at load),
    // so the scenario's list, in file order, is the list of functions to show.
    nlohmann::json functions = nlohmann::json::array();
    for (const auto& device : config_.platform.devices) {
        const auto& name = scenario::device_name(device);
        auto* function = platform_->pci().testdev(name);
        if (function == nullptr) {
            continue;
        }
        auto json = pci_function_json(*function, scenario::device_kind(device));
        if (request.name.empty() || request.name == name || request.name == json["bdf"]) {
            functions.push_back(std::move(json));
        }
    }
    if (!request.name.empty() && functions.empty()) {
        return Status::failure("info pci: no PCI function '" + request.name +
                               "' (give a device name from platform.devices or a bus:dev.fn)");
    }
    result = {{"ecam_base", hex_string(platform_->pci().root_complex().config().ecam_base, 8)},
              {"functions", functions}};
    return Status::success();
}

Status SimMachine::info(const DebugRequest& request, unsigned cpu, nlohmann::json& result) {
    const auto& topic = request.text;
    auto which_cpu = [&](unsigned& index) -> Status {
        index = cpu;
        if (!request.name.empty()) {
            auto name = std::string_view(request.name);
            for (const std::string_view prefix : {"cpu", "lapic"}) {
                if (name.substr(0, prefix.size()) == prefix) {
                    name.remove_prefix(prefix.size());
                }
            }
            std::uint64_t value = 0;
            bool digits = !name.empty() && name.size() < 10;
            for (const char c : name) {
                digits = digits && c >= '0' && c <= '9';
                value = value * 10 + static_cast<unsigned>(c - '0');
            }
            if (!digits || value >= platform_->cpu_count()) {
                return Status::failure("info " + topic + ": no CPU '" + request.name +
                                       "' (this platform has " + std::to_string(platform_->cpu_count()) +
                                       ")");
            }
            index = static_cast<unsigned>(value);
        }
        return Status::success();
    };
    if (topic == "cpu") {
        unsigned index = 0;
        if (auto status = which_cpu(index); !status.ok) {
            return status;
        }
        const auto& lapic = platform_->lapic(index);
        const auto& core = platform_->cpu(index);
        result = {{"cpu", index},
                  {"apic_id", lapic.apic_id()},
                  {"lapic_mode", lapic.mode() == models::ApicMode::X2Apic  ? "x2apic"
                                 : lapic.mode() == models::ApicMode::XApic ? "xapic"
                                                                           : "disabled"},
                  {"started", core.started()},
                  {"interrupts_enabled", core.interrupts_enabled()},
                  {"current_task", core.current_task()},
                  {"intr_pending", lapic.intr_pending()},
                  {"tpr", hex_string(lapic.tpr(), 2)},
                  {"ppr", hex_string(lapic.ppr(), 2)},
                  {"next_timer_event_ps", lapic.next_timer_event_ps()},
                  {"guest", config_.kernel.has_value()}};
        return Status::success();
    }
    if (topic == "lapic") {
        unsigned index = 0;
        if (auto status = which_cpu(index); !status.ok) {
            return status;
        }
        result = lapic_json(platform_->lapic(index), index);
        return Status::success();
    }
    if (topic == "ioapic") {
        if (!platform_->ioapic()) {
            return Status::failure(
                "info ioapic: this platform has no IOAPIC (platform.ioapic.enabled: false)");
        }
        result = ioapic_json(*platform_->ioapic());
        return Status::success();
    }
    if (topic == "pit") {
        if (!platform_->pit()) {
            return Status::failure("info pit: this platform has no PIT (platform.pit.enabled: false)");
        }
        result = pit_json(*platform_->pit());
        return Status::success();
    }
    if (topic == "pic") {
        result = pic_json(*platform_->pic());
        return Status::success();
    }
    if (topic == "pci") {
        return pci_info(request, result);
    }
    if (topic == "nvme") {
        return Status::failure("info nvme: NVMe controllers are not modelled in this build (scenarios "
                               "with an nvme device are refused at load), so there is none to show");
    }
    if (topic == "iommu") {
        return Status::failure("info iommu: the VT-d IOMMU is not modelled in this build (DMA and MSI go "
                               "straight to memory and the interrupt fabric, untranslated)");
    }
    if (topic == "sched") {
        if (!config_.kernel) {
            return Status::failure(
                "info sched: no guest kernel in this scenario (no kernel: section), so no scheduler");
        }
        nlohmann::json cpus = nlohmann::json::array();
        for (unsigned index = 0; index < platform_->cpu_count(); ++index) {
            const auto& core = platform_->cpu(index);
            cpus.push_back({{"cpu", index},
                            {"current_task", core.current_task()},
                            {"interrupts_enabled", core.interrupts_enabled()},
                            {"started", core.started()}});
        }
        result = {{"cpus", cpus}, {"note", "run queues are guest state; the guest ABI exports none yet"}};
        return Status::success();
    }
    return Status::failure("info: unknown topic '" + topic +
                           "' (cpu, lapic, ioapic, pit, pic, pci, iommu, nvme, sched)");
}

std::optional<std::string> SimMachine::read_register(const std::string& device_register) {
    const auto dot = device_register.find('.');
    if (dot == std::string::npos) {
        return std::nullopt;
    }
    const auto device = device_register.substr(0, dot);
    const auto name = device_register.substr(dot + 1);
    if (device.rfind("lapic", 0) == 0) {
        const auto digits = device.substr(5);
        unsigned cpu = 0;
        if (!digits.empty()) {
            if (digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string::npos) {
                return std::nullopt;
            }
            cpu = static_cast<unsigned>(std::stoul(digits));
        }
        if (cpu >= platform_->cpu_count()) {
            return std::nullopt;
        }
        const auto dump = platform_->lapic(cpu).dump();
        if (name == "irr") {
            return dump.irr;
        }
        if (name == "isr") {
            return dump.isr;
        }
        if (name == "tmr") {
            return dump.tmr;
        }
        for (const auto& [register_name, value] : dump.registers) {
            if (register_name == name) {
                return hex_string(value);
            }
        }
        return std::nullopt;
    }
    if (device == "ioapic" && platform_->ioapic()) {
        const auto dump = platform_->ioapic()->dump();
        if (name == "ioregsel") {
            return hex_string(dump.ioregsel);
        }
        if (name == "id") {
            return hex_string(dump.id);
        }
        if (name.rfind("rte", 0) == 0 && name.size() > 3 && name.size() < 7 &&
            name.find_first_not_of("0123456789", 3) == std::string::npos) {
            const auto pin = std::stoul(name.substr(3));
            if (pin < dump.redirection_table.size()) {
                return hex_string(dump.redirection_table[pin], 16);
            }
        }
        return std::nullopt;
    }
    if (device == "pit" && platform_->pit()) {
        const auto dump = platform_->pit()->dump();
        for (unsigned channel = 0; channel < 3; ++channel) {
            if (name == "count" + std::to_string(channel)) {
                return std::to_string(dump.channels[channel].count);
            }
            if (name == "out" + std::to_string(channel)) {
                return dump.channels[channel].out ? "1" : "0";
            }
        }
        return std::nullopt;
    }
    if (device == "pic" && platform_->pic()) {
        const auto dump = platform_->pic()->dump();
        if (name == "irr") {
            return hex_string(dump.master.irr, 2);
        }
        if (name == "isr") {
            return hex_string(dump.master.isr, 2);
        }
        if (name == "imr") {
            return hex_string(dump.master.imr, 2);
        }
        return std::nullopt;
    }
    return std::nullopt;
}

// ---- replay -----------------------------------------------------------------------------------------

Checkpoint SimMachine::checkpoint() const {
    Checkpoint checkpoint;
    checkpoint.source = source_;
    checkpoint.event = event_count_;
    checkpoint.time_ps = now_ps();
    checkpoint.journal = journal_;
    for (const auto& [id, breakpoint] : breakpoints_.all()) {
        checkpoint.breakpoints.push_back({id, breakpoint.command()});
    }
    return checkpoint;
}

nlohmann::json SimMachine::replay(const Checkpoint& checkpoint, Session& session) {
    replaying_ = true;
    const auto target = checkpoint.event;
    const auto start_hop = hop_count_;
    // Commands applied before event `target`, and those applied while the run was still parked at it.
    for (const auto& entry : checkpoint.journal) {
        if (entry.event > target) {
            break;
        }
        if (event_count_ < entry.event) {
            run(Limits::to_event(entry.event));
        }
        if (entry.event == target && entry.time_ps != (target == 0 ? 0 : last_event_time_ps_)) {
            break;
        }
        if (now_ps() < entry.time_ps) {
            run(Limits::until(entry.time_ps));
        }
        session.handle_line(entry.line);
    }
    if (event_count_ < target) {
        run(Limits::to_event(target));
    }
    replaying_ = false;
    // Breakpoints as they were when the checkpoint was taken (debugger state, not machine state), with
    // their numbers; watches take the replayed state as their baseline.
    for (const auto& saved : checkpoint.breakpoints) {
        forced_breakpoint_id_ = saved.id;
        session.handle_line(saved.command);
        forced_breakpoint_id_ = 0;
    }
    stop_reason_ = event_count_ == target ? "replay" : "idle";
    auto report = stop_report(start_hop, false);
    if (event_count_ != target) {
        report["reason"] = "the re-executed run ended at event " + std::to_string(event_count_) +
                           " before reaching event " + std::to_string(target);
    } else {
        report["reason"] = "re-executed from time zero to event " + std::to_string(target);
    }
    return report;
}

nlohmann::json SimMachine::state_dump() {
    nlohmann::json json;
    json["event"] = event_count_;
    json["hops"] = hop_count_;
    json["time_ps"] = now_ps();
    json["lapics"] = nlohmann::json::array();
    for (unsigned cpu = 0; cpu < platform_->cpu_count(); ++cpu) {
        json["lapics"].push_back(lapic_json(platform_->lapic(cpu), cpu));
    }
    if (platform_->ioapic()) {
        json["ioapic"] = ioapic_json(*platform_->ioapic());
    }
    if (platform_->pit()) {
        json["pit"] = pit_json(*platform_->pit());
    }
    json["pic"] = pic_json(*platform_->pic());
    return json;
}

} // namespace x86sim::control
