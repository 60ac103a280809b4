// The simulated user programs (SCENARIOS.md `workload:`). Each task's behaviour is a small state machine
// the CPU asks for its next step whenever the task runs and its previous step is done: a CPU burst
// (spent in simulated time, cut by interrupts and resumed) or a system call into the guest. Steps never
// depend on anything but simulated time and the guest's results, so runs are deterministic.
//
//   cpu       burst, burst, ...                        op = a completed burst (preemption only by ticks)
//   yield     burst, YIELD, burst, YIELD ...           op = a completed burst
//   sleep     burst, SLEEP(period), ...                op = a completed burst
//   periodic  an RT-style probe released at every multiple of `period` in absolute simulated time: it
//             SLEEPs until the release, and when it next runs records latency = start of work - release,
//             works `work`, and sleeps until the next release. A release already past when the work ends
//             is skipped (counted as missed). op = a completed period.
//   pingpong  pairs (a, b): a works `work` and WAKEs b, then waits for b; b waits, works, WAKEs a. Waiting
//             is a host-side semaphore in front of BLOCK, so a wake-up that comes before the partner
//             blocked is not lost. op = one round trip a -> b -> a.
//   threads   a spawner: THREAD_CREATE `create` times (each new thread EXITs at once when it first
//             runs), then EXIT. op = a thread created (the call returned 0).
// SLEEP's argument is a duration in picoseconds (kut/guest.h: runnable again at the first tick after it).
#pragma once

#include "sim/cpu/task_table.h"
#include "sim/cpu/user_tasks.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace x86sim::sim::workload {

// The counters of one workload entry (workload.<name>.*).
struct EntryStats {
    std::uint64_t ops = 0;
    std::uint64_t missed = 0;
    bool has_latency = false;
    std::vector<std::uint64_t> latencies_ps;
};

class TaskBehaviour {
  public:
    virtual ~TaskBehaviour() = default;
    virtual cpu::UserStep next(std::uint64_t now_ps) = 0;
    virtual void returned(std::uint32_t /*number*/, std::int64_t /*result*/, std::uint64_t /*now_ps*/) {}
};

std::unique_ptr<TaskBehaviour> make_cpu_hog(std::uint64_t burst_ps, EntryStats& stats);
std::unique_ptr<TaskBehaviour> make_yielder(std::uint64_t burst_ps, EntryStats& stats);
std::unique_ptr<TaskBehaviour> make_sleeper(std::uint64_t burst_ps, std::uint64_t sleep_ps,
                                            EntryStats& stats);
std::unique_ptr<TaskBehaviour> make_periodic_probe(std::uint64_t period_ps, std::uint64_t work_ps,
                                                   EntryStats& stats);
std::unique_ptr<TaskBehaviour> make_exit_at_once();

// One ping-pong pair: the two sides share their semaphores.
struct PingPongPair {
    kut_task_id a = 0;
    kut_task_id b = 0;
    std::uint64_t tokens_a = 0;
    std::uint64_t tokens_b = 0;
};
std::unique_ptr<TaskBehaviour> make_ping_pong_side(std::shared_ptr<PingPongPair> pair, bool initiator,
                                                   std::uint64_t work_ps, EntryStats& stats);

// `create_thread()` allocates the new task's id and gives it its behaviour (before the syscall, so the
// guest may run it at once); `failed(id)` retires an id the guest refused.
struct SpawnerHooks {
    std::function<kut_task_id()> create_thread;
    std::function<void(kut_task_id)> failed;
};
std::unique_ptr<TaskBehaviour> make_spawner(std::uint64_t threads, std::int32_t task_class,
                                            std::int32_t level, SpawnerHooks hooks, EntryStats& stats);

} // namespace x86sim::sim::workload
