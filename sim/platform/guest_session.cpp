#include "sim/platform/guest_session.h"

#include "sim/guest/guest_library.h"
#include "sim/guest/kernel_config.h"
#include "sim/platform/prefixed_sink.h"
#include "sim/scenario/diagnostic.h"

#include <cmath>

namespace x86sim::sim {

GuestSession::GuestSession(const scenario::Config& config, Platform& platform, metrics::Registry& registry,
                           const kut_guest* guest, const std::string& guest_name)
    : config_(config), platform_(platform), guest_(guest) {
    const auto where = config.where("kernel");
    if (guest_ == nullptr) {
        guest_ = guest::reference_guest();
        if (guest_ == nullptr) {
            throw scenario::ScenarioError(
                where, "kernel: this x86sim has no guest kernel built in (kernel_under_test provides no "
                       "kut_guest_entry yet); load one with `x86sim run --guest PATH.so`");
        }
    }
    try {
        guest::require_valid_guest(guest_, guest_name.empty() ? "the built-in guest kernel" : guest_name);
    } catch (const guest::GuestLoadError& error) {
        throw scenario::ScenarioError(where, error.what());
    }

    workload_ = std::make_unique<workload::Workload>(config, tasks_);
    host_ = std::make_unique<guest::GuestHost>(platform, tasks_, registry);
    for (unsigned i = 0; i < platform.cpu_count(); ++i) {
        platform.cpu(i).attach({.guest = guest_, .user = workload_.get(), .tasks = &tasks_});
        platform.cpu(i).set_end_ps(config.duration_ps);
    }

    kernel_config_ = guest::make_kut_config(*config.kernel, config.platform);
    const int status = guest_->init(host_->hal(), &kernel_config_);
    if (status != 0) {
        throw scenario::ScenarioError(where, std::string("kernel: guest '") +
                                                 (guest_->name != nullptr ? guest_->name : "?") +
                                                 "' refused the configuration (init returned " +
                                                 std::to_string(status) + "; its log says why)");
    }
}

void GuestSession::report_metrics(metrics::Registry& registry, std::uint64_t end_ps) const {
    std::vector<bool> started;
    for (unsigned i = 0; i < platform_.cpu_count(); ++i) {
        const auto& cpu = platform_.cpu(i);
        started.push_back(cpu.started());
        PrefixedSink prefixed(registry, "cpu" + std::to_string(i) + ".");
        cpu.report_metrics(prefixed, end_ps);
    }
    platform_.irq_latency().report_metrics(registry);
    host_->report_metrics(registry);
    workload_->report_metrics(registry, end_ps, started);

    const double seconds = static_cast<double>(end_ps) / 1e12;
    if (const auto ticks = registry.value("sched.ticks"); ticks && seconds > 0) {
        registry.gauge("sched.tick_hz", *ticks / platform_.cpu_count() / seconds);
    }
    if (const auto measured = registry.value("kernel.calibration.lapic_timer_hz")) {
        const auto truth = static_cast<double>(config_.platform.lapic.timer_clock_hz);
        registry.gauge("kernel.calibration.error_ppm", std::abs(*measured - truth) / truth * 1e6);
    }
}

} // namespace x86sim::sim
