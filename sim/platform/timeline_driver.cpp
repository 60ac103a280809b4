#include "sim/platform/timeline_driver.h"

#include "models/common/time.h"

#include <algorithm>
#include <string>
#include <type_traits>

namespace x86sim::sim {

TimelineDriver::TimelineDriver(sc_core::sc_module_name name, Platform& platform,
                               const std::vector<scenario::TimelineEvent>& events)
    : sc_module(name), platform_(platform) {
    for (std::size_t i = 0; i < events.size(); ++i) {
        order_.emplace_back(i, &events[i]);
    }
    std::stable_sort(order_.begin(), order_.end(),
                     [](const auto& a, const auto& b) { return a.second->at_ps < b.second->at_ps; });
    if (!order_.empty()) {
        SC_THREAD(run);
    }
}

void TimelineDriver::run() {
    for (const auto& [index, event] : order_) {
        const auto now = models::now_ps();
        if (event->at_ps > now) {
            wait(models::from_ps(event->at_ps - now));
        }
        execute(index, event->action);
    }
}

void TimelineDriver::execute(std::size_t index, const scenario::TimelineAction& action) {
    ++executed_;
    std::visit(
        [&](const auto& act) {
            using Action = std::decay_t<decltype(act)>;
            auto& map = platform_.address_map();
            if constexpr (std::is_same_v<Action, scenario::MemWriteAction>) {
                if (map.write(act.cpu, act.addr, act.size, act.value).status ==
                    models::AccessStatus::Unmapped) {
                    ++unclaimed_;
                }
            } else if constexpr (std::is_same_v<Action, scenario::MemReadAction>) {
                std::uint64_t value = 0;
                if (map.read(act.cpu, act.addr, act.size, value).status == models::AccessStatus::Unmapped) {
                    ++unclaimed_;
                }
                values_[index] = value;
            } else if constexpr (std::is_same_v<Action, scenario::WrmsrAction>) {
                if (!platform_.wrmsr(act.cpu, act.index, act.value)) {
                    ++gp_faults_;
                }
            } else if constexpr (std::is_same_v<Action, scenario::RdmsrAction>) {
                std::uint64_t value = 0;
                if (!platform_.rdmsr(act.cpu, act.index, value)) {
                    ++gp_faults_;
                }
                values_[index] = value;
            } else if constexpr (std::is_same_v<Action, scenario::PortOutAction>) {
                if (map.out(act.port, act.size, act.value).status == models::AccessStatus::Unmapped) {
                    ++unclaimed_;
                }
            } else if constexpr (std::is_same_v<Action, scenario::PortInAction>) {
                std::uint32_t value = 0;
                if (map.in(act.port, act.size, value).status == models::AccessStatus::Unmapped) {
                    ++unclaimed_;
                }
                values_[index] = value;
            } else if constexpr (std::is_same_v<Action, scenario::StormAction>) {
                platform_.pci().storm(act);
            } else if constexpr (std::is_same_v<Action, scenario::DmaAction>) {
                platform_.pci().dma(act);
            } else {
                // fault / power_fail name NVMe devices, which the platform builder refuses while NVMe
                // is not modelled; nothing reaches here.
            }
        },
        action);
}

void TimelineDriver::report_metrics(models::MetricSink& sink) const {
    sink.counter("timeline.actions", executed_);
    sink.counter("timeline.gp_faults", gp_faults_);
    sink.counter("timeline.unclaimed", unclaimed_);
    for (const auto& [index, value] : values_) {
        sink.counter("timeline." + std::to_string(index) + ".value", value);
    }
}

} // namespace x86sim::sim
