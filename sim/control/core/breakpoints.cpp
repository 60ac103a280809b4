#include "sim/control/core/breakpoints.h"

#include <algorithm>

namespace x86sim::control {

namespace {

std::string with_cpu(std::string text, const std::optional<std::uint32_t>& cpu) {
    return cpu ? text + " cpu " + std::to_string(*cpu) : text;
}

} // namespace

std::string Breakpoint::command() const {
    switch (kind) {
    case DebugOp::BreakIrq:
        return with_cpu("break irq " + std::to_string(number), cpu);
    case DebugOp::BreakMsi:
        return text.empty() ? "break msi" : "break msi " + text;
    case DebugOp::BreakCoalesce:
        return with_cpu("break coalesce", cpu);
    case DebugOp::BreakStorm:
        return "break storm " + std::to_string(number) + " " + std::to_string(time_ps) + "ps";
    case DebugOp::BreakFault:
        return "break fault";
    case DebugOp::BreakTime:
        return "break time " + std::to_string(time_ps) + "ps";
    case DebugOp::Watch:
        return "watch " + text;
    default:
        return "?";
    }
}

nlohmann::json Breakpoint::to_json() const {
    nlohmann::json json;
    json["id"] = id;
    json["command"] = command();
    json["hits"] = hits;
    if (kind == DebugOp::Watch && watch_value) {
        json["value"] = *watch_value;
    }
    return json;
}

const Breakpoint& BreakpointSet::add(const DebugRequest& request) {
    return add_with_id(next_id_, request);
}

const Breakpoint& BreakpointSet::add_with_id(std::uint32_t id, const DebugRequest& request) {
    Breakpoint breakpoint;
    breakpoint.id = id;
    breakpoint.kind = request.op;
    breakpoint.cpu = request.cpu;
    breakpoint.number = request.number;
    breakpoint.time_ps = request.time_ps;
    breakpoint.text = request.text;
    next_id_ = std::max(next_id_, id + 1);
    return breakpoints_[id] = std::move(breakpoint);
}

bool BreakpointSet::remove(std::uint32_t id) {
    return breakpoints_.erase(id) != 0;
}

nlohmann::json BreakpointSet::list() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [id, breakpoint] : breakpoints_) {
        list.push_back(breakpoint.to_json());
    }
    return list;
}

bool BreakpointSet::has_watches() const {
    return std::any_of(breakpoints_.begin(), breakpoints_.end(),
                       [](const auto& entry) { return entry.second.kind == DebugOp::Watch; });
}

std::optional<BreakHit> BreakpointSet::on_hop(const HopRecord& hop) {
    using models::HopKind;
    const bool arrival = hop.kind == HopKind::IrrSet || hop.kind == HopKind::Coalesced;
    std::uint64_t longest_window = 0;
    std::uint64_t largest_rate = 0;
    for (const auto& [id, breakpoint] : breakpoints_) {
        if (breakpoint.kind == DebugOp::BreakStorm) {
            longest_window = std::max(longest_window, breakpoint.time_ps);
            largest_rate = std::max(largest_rate, breakpoint.number);
        }
    }
    std::deque<std::uint64_t>* arrivals = nullptr;
    if (arrival && longest_window > 0) {
        arrivals = &arrivals_[hop.cpu];
        arrivals->push_back(hop.time_ps);
        // Only what a storm breakpoint can still count: inside the longest window, at most rate + 1.
        while (!arrivals->empty() &&
               (hop.time_ps - arrivals->front() >= longest_window || arrivals->size() > largest_rate + 1)) {
            arrivals->pop_front();
        }
    }

    std::optional<BreakHit> first;
    for (auto& [id, breakpoint] : breakpoints_) {
        bool hit = false;
        nlohmann::json detail = nlohmann::json::object();
        const bool cpu_matches = !breakpoint.cpu || static_cast<std::int64_t>(*breakpoint.cpu) == hop.cpu;
        switch (breakpoint.kind) {
        case DebugOp::BreakIrq:
            hit = hop.kind == HopKind::Acknowledge &&
                  hop.vector == static_cast<std::int64_t>(breakpoint.number) && cpu_matches;
            break;
        case DebugOp::BreakMsi:
            hit = hop.kind == HopKind::DeviceMessage &&
                  (breakpoint.text.empty() || breakpoint.text == hop.source);
            break;
        case DebugOp::BreakCoalesce:
            hit = hop.kind == HopKind::Coalesced && cpu_matches;
            break;
        case DebugOp::BreakFault:
            hit = hop.kind == HopKind::Rejected;
            break;
        case DebugOp::BreakStorm:
            if (arrivals != nullptr) {
                const auto from =
                    hop.time_ps >= breakpoint.time_ps ? hop.time_ps - breakpoint.time_ps + 1 : 0;
                const auto in_window = static_cast<std::uint64_t>(
                    arrivals->end() - std::lower_bound(arrivals->begin(), arrivals->end(), from));
                if (in_window > breakpoint.number) {
                    hit = true;
                    detail["interrupts_in_window"] = in_window;
                    detail["window_ps"] = breakpoint.time_ps;
                }
            }
            break;
        default:
            break;
        }
        if (hit) {
            ++breakpoint.hits;
            if (!first) {
                first =
                    BreakHit{id, "breakpoint " + std::to_string(id) + ": " + breakpoint.command(), detail};
            }
        }
    }
    if (first && arrivals != nullptr && first->detail.contains("interrupts_in_window")) {
        arrivals->clear(); // the storm window restarts, so `continue` does not stop on the next arrival
    }
    return first;
}

std::optional<std::uint64_t> BreakpointSet::next_time_stop(std::uint64_t now_ps) const {
    std::optional<std::uint64_t> next;
    for (const auto& [id, breakpoint] : breakpoints_) {
        if (breakpoint.kind == DebugOp::BreakTime && breakpoint.time_ps > now_ps &&
            (!next || breakpoint.time_ps < *next)) {
            next = breakpoint.time_ps;
        }
    }
    return next;
}

std::optional<BreakHit> BreakpointSet::on_time(std::uint64_t now_ps) {
    for (auto& [id, breakpoint] : breakpoints_) {
        if (breakpoint.kind == DebugOp::BreakTime && breakpoint.time_ps == now_ps) {
            ++breakpoint.hits;
            return BreakHit{id, "breakpoint " + std::to_string(id) + ": " + breakpoint.command(),
                            nlohmann::json::object()};
        }
    }
    return std::nullopt;
}

std::optional<BreakHit> BreakpointSet::check_watches(const RegisterReader& read) {
    std::optional<BreakHit> first;
    for (auto& [id, breakpoint] : breakpoints_) {
        if (breakpoint.kind != DebugOp::Watch) {
            continue;
        }
        const auto value = read(breakpoint.text);
        if (value && breakpoint.watch_value && *value != *breakpoint.watch_value && !first) {
            ++breakpoint.hits;
            first = BreakHit{id,
                             "breakpoint " + std::to_string(id) + ": " + breakpoint.command(),
                             {{"old", *breakpoint.watch_value}, {"new", *value}}};
        }
        breakpoint.watch_value = value;
    }
    return first;
}

void BreakpointSet::rebase_watches(const RegisterReader& read) {
    for (auto& [id, breakpoint] : breakpoints_) {
        if (breakpoint.kind == DebugOp::Watch) {
            breakpoint.watch_value = read(breakpoint.text);
        }
    }
}

} // namespace x86sim::control
