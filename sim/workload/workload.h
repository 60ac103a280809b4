// The scenario's `workload:` as simulated user tasks (SCENARIOS.md), and their metrics.
//
// Tasks are created at boot, in scenario order (an entry's `count` copies in turn; a ping-pong entry's
// pairs as a0, b0, a1, b1 ...; a threads entry is one spawner task), with host ids 1, 2, 3 ... and spread
// round-robin over the CPUs: the i-th task (from 0) goes to CPU i mod cpus. Each CPU hands its share to
// the guest with guest->task_new when it starts (cpu::Cpu), so a CPU the guest never starts never gets
// its tasks (reported as workload.unstarted_tasks). Priorities: `rt:N` -> KUT_CLASS_RT_FIFO level N,
// otherwise KUT_CLASS_NORMAL with the nice value; spawned threads are normal, nice 0.
//
// Metrics per entry: workload.<name>.ops, workload.<name>.ops_per_s (ops / simulated seconds),
// workload.<name>.latency (probes: release -> start of work), workload.<name>.missed (probe releases
// skipped because the work overran).
// I/O entries (NVMe) are refused: not modelled in this build.
#pragma once

#include "models/common/metric_sink.h"
#include "sim/cpu/task_table.h"
#include "sim/cpu/user_tasks.h"
#include "sim/scenario/config.h"
#include "sim/workload/behaviours.h"

#include <memory>
#include <string>
#include <vector>

namespace x86sim::sim::workload {

class Workload : public cpu::UserTasks {
  public:
    // Throws scenario::ScenarioError (at the entry) for workloads this build cannot run.
    Workload(const scenario::Config& config, cpu::TaskTable& tasks);

    std::vector<cpu::InitialTask> initial_tasks(unsigned cpu) const override;
    cpu::UserStep next_step(kut_task_id task, unsigned cpu, std::uint64_t now_ps) override;
    void syscall_returned(kut_task_id task, std::uint32_t number, std::int64_t result,
                          std::uint64_t now_ps) override;
    void ran(kut_task_id task, std::uint64_t picoseconds) override;

    std::size_t initial_task_count() const { return initial_count_; }
    // `cpu_started[i]`: CPU i ran (its tasks were handed to the guest), for workload.unstarted_tasks.
    void report_metrics(models::MetricSink& sink, std::uint64_t end_ps,
                        const std::vector<bool>& cpu_started) const;

  private:
    struct Entry {
        std::string name;
        EntryStats stats;
    };
    kut_task_id add_initial(std::string name, std::unique_ptr<TaskBehaviour> behaviour,
                            std::int32_t task_class, std::int32_t level);
    void set_behaviour(kut_task_id task, std::unique_ptr<TaskBehaviour> behaviour);
    void report_shares(models::MetricSink& sink, const std::string& prefix, std::size_t entry) const;
    static constexpr std::size_t kNoEntry = ~std::size_t{0};

    cpu::TaskTable& tasks_;
    unsigned cpus_;
    std::vector<std::unique_ptr<Entry>> entries_;
    std::vector<std::unique_ptr<TaskBehaviour>> behaviours_; // index = task id - 1
    std::vector<std::size_t> owner_;                         // index = task id - 1: its entry
    std::vector<std::uint64_t> cpu_time_ps_;                 // index = task id - 1: user CPU time
    std::vector<std::vector<cpu::InitialTask>> per_cpu_;
    std::size_t initial_count_ = 0;
};

} // namespace x86sim::sim::workload
