#include "sim/workload/workload.h"

#include "kut/guest.h"
#include "sim/scenario/diagnostic.h"

#include <algorithm>
#include <type_traits>

namespace x86sim::sim::workload {

namespace {
std::int32_t task_class_of(const scenario::Priority& priority) {
    return priority.cls == scenario::Priority::Class::rt ? KUT_CLASS_RT_FIFO : KUT_CLASS_NORMAL;
}
} // namespace

Workload::Workload(const scenario::Config& config, cpu::TaskTable& tasks)
    : tasks_(tasks), cpus_(config.platform.cpus == 0 ? 1 : config.platform.cpus), per_cpu_(cpus_) {
    std::vector<scenario::Diagnostic> problems;
    for (std::size_t i = 0; i < config.workload.size(); ++i) {
        const auto& item = config.workload[i];
        entries_.push_back(std::make_unique<Entry>());
        auto& entry = *entries_.back();
        entry.name = scenario::workload_name(item);
        auto& stats = entry.stats;
        std::visit(
            [&](const auto& spec) {
                using Spec = std::decay_t<decltype(spec)>;
                if constexpr (std::is_same_v<Spec, scenario::IoConfig>) {
                    problems.push_back(
                        {config.where("workload." + std::to_string(i) + ".io"),
                         "I/O workload '" + spec.name + "': NVMe I/O is not modelled in this build yet"});
                } else if constexpr (std::is_same_v<Spec, scenario::ThreadsConfig>) {
                    SpawnerHooks hooks;
                    hooks.create_thread = [this, name = entry.name, created = std::uint64_t{0}]() mutable {
                        const auto id = tasks_.create(name + ".thread" + std::to_string(created++));
                        set_behaviour(id, make_exit_at_once());
                        return id;
                    };
                    hooks.failed = [this](kut_task_id id) { tasks_.mark_exited(id); };
                    add_initial(entry.name,
                                make_spawner(spec.create, KUT_CLASS_NORMAL, 0, std::move(hooks), stats),
                                KUT_CLASS_NORMAL, 0);
                } else {
                    const auto task_class = task_class_of(spec.priority);
                    const auto level = spec.priority.level;
                    std::uint32_t pair_number = 0; // ping-pong pairs are numbered on across copies
                    for (std::uint32_t copy = 0; copy < spec.count; ++copy) {
                        const auto name = entry.name + "." + std::to_string(copy);
                        switch (spec.run) {
                        case scenario::RunKind::cpu:
                            add_initial(name, make_cpu_hog(spec.burst_ps, stats), task_class, level);
                            break;
                        case scenario::RunKind::yield:
                            add_initial(name, make_yielder(spec.burst_ps, stats), task_class, level);
                            break;
                        case scenario::RunKind::sleep:
                            add_initial(name, make_sleeper(spec.burst_ps, spec.period_ps, stats), task_class,
                                        level);
                            break;
                        case scenario::RunKind::periodic:
                            add_initial(name, make_periodic_probe(spec.period_ps, spec.work_ps, stats),
                                        task_class, level);
                            break;
                        case scenario::RunKind::pingpong:
                            for (std::uint32_t p = 0; p < spec.pairs; ++p, ++pair_number) {
                                const auto suffix = std::to_string(pair_number);
                                auto pair = std::make_shared<PingPongPair>();
                                pair->a = add_initial(entry.name + ".a" + suffix,
                                                      make_ping_pong_side(pair, true, spec.work_ps, stats),
                                                      task_class, level);
                                pair->b = add_initial(entry.name + ".b" + suffix,
                                                      make_ping_pong_side(pair, false, spec.work_ps, stats),
                                                      task_class, level);
                            }
                            break;
                        }
                    }
                }
            },
            item);
    }
    if (!problems.empty()) {
        throw scenario::ScenarioError(std::move(problems));
    }
}

// Fairness of an entry with several tasks: how evenly its tasks shared the CPUs. max_share_deviation
// is max |t_i - mean| / mean over the tasks' user CPU times (the figure the Redox fairness benchmark
// publishes, redox-kernel.md §8), cpu_share_spread is (max - min) / mean. Ratios (0.01 = 1 %).
void Workload::report_shares(models::MetricSink& sink, const std::string& prefix, std::size_t entry) const {
    std::vector<std::uint64_t> times;
    for (std::size_t i = 0; i < owner_.size(); ++i) {
        if (owner_[i] == entry) {
            times.push_back(cpu_time_ps_[i]);
        }
    }
    if (times.size() < 2) {
        return;
    }
    long double sum = 0;
    for (const auto t : times) {
        sum += static_cast<long double>(t);
    }
    const long double mean = sum / static_cast<long double>(times.size());
    if (mean <= 0) {
        return;
    }
    const auto [low, high] = std::minmax_element(times.begin(), times.end());
    long double deviation = 0;
    for (const auto t : times) {
        const long double d = static_cast<long double>(t) - mean;
        deviation = std::max(deviation, d < 0 ? -d : d);
    }
    sink.gauge(prefix + "max_share_deviation", static_cast<double>(deviation / mean));
    sink.gauge(prefix + "cpu_share_spread",
               static_cast<double>((static_cast<long double>(*high) - *low) / mean));
}

kut_task_id Workload::add_initial(std::string name, std::unique_ptr<TaskBehaviour> behaviour,
                                  std::int32_t task_class, std::int32_t level) {
    const auto id = tasks_.create(std::move(name));
    set_behaviour(id, std::move(behaviour));
    per_cpu_[initial_count_ % cpus_].push_back({id, task_class, level});
    ++initial_count_;
    return id;
}

void Workload::set_behaviour(kut_task_id task, std::unique_ptr<TaskBehaviour> behaviour) {
    if (behaviours_.size() < task) {
        behaviours_.resize(task);
        owner_.resize(task, kNoEntry);
        cpu_time_ps_.resize(task, 0);
    }
    behaviours_[task - 1] = std::move(behaviour);
    owner_[task - 1] = entries_.empty() ? kNoEntry : entries_.size() - 1;
}

std::vector<cpu::InitialTask> Workload::initial_tasks(unsigned cpu) const {
    return cpu < per_cpu_.size() ? per_cpu_[cpu] : std::vector<cpu::InitialTask>{};
}

cpu::UserStep Workload::next_step(kut_task_id task, unsigned, std::uint64_t now_ps) {
    if (task == KUT_IDLE_TASK || task > behaviours_.size() || !behaviours_[task - 1]) {
        return cpu::UserStep::syscall(KUT_SYS_EXIT); // a task the host knows no behaviour for
    }
    return behaviours_[task - 1]->next(now_ps);
}

void Workload::syscall_returned(kut_task_id task, std::uint32_t number, std::int64_t result,
                                std::uint64_t now_ps) {
    if (task != KUT_IDLE_TASK && task <= behaviours_.size() && behaviours_[task - 1]) {
        behaviours_[task - 1]->returned(number, result, now_ps);
    }
}

void Workload::ran(kut_task_id task, std::uint64_t picoseconds) {
    if (task != KUT_IDLE_TASK && task <= cpu_time_ps_.size()) {
        cpu_time_ps_[task - 1] += picoseconds;
    }
}

void Workload::report_metrics(models::MetricSink& sink, std::uint64_t end_ps,
                              const std::vector<bool>& cpu_started) const {
    const double seconds = static_cast<double>(end_ps) / 1e12;
    for (const auto& entry : entries_) {
        const auto prefix = "workload." + entry->name + ".";
        sink.counter(prefix + "ops", entry->stats.ops);
        sink.gauge(prefix + "ops_per_s", seconds > 0 ? static_cast<double>(entry->stats.ops) / seconds : 0.0);
        report_shares(sink, prefix, static_cast<std::size_t>(&entry - entries_.data()));
        if (entry->stats.has_latency) {
            sink.counter(prefix + "missed", entry->stats.missed);
            sink.latency_samples(prefix + "latency", entry->stats.latencies_ps);
        }
    }
    std::uint64_t unstarted = 0;
    for (std::size_t cpu = 0; cpu < per_cpu_.size(); ++cpu) {
        if (cpu >= cpu_started.size() || !cpu_started[cpu]) {
            unstarted += per_cpu_[cpu].size();
        }
    }
    if (!entries_.empty()) {
        sink.counter("workload.unstarted_tasks", unstarted);
    }
}

} // namespace x86sim::sim::workload
