// scheduler.h - contexts, run queues, switch(), tick(), wakeups, sleep timeouts, work stealing.
//
// Switches (kut_config, SCENARIOS.md `kernel.sched`):
//   lock: global   one CONTEXT_SWITCH_LOCK (hal lock "sched.context_switch") held across every switch
//                  on every CPU, and the DWRR era's one shared run queue (RUN_CONTEXTS, hal lock
//                  "sched.run_contexts"); a tick that finds the switch lock held is only counted
//                  (redox-kernel.md §1 "tick()", §2 "switch()", "DWRR").
//         per-cpu  a run queue per CPU with its own hal lock "sched.rq.N" (Red Bear P6/P8), no global
//                  switch lock.
//   balance: work-stealing (per-cpu queues) an idle CPU's switch takes work from the other queues
//                  (try-locked, prio-0-first scan, P8-percpu-wiring) and an idle CPU is kicked with
//                  IPI 0x42 when work is queued on a busy one ("idle CPUs steal work via IPI").
//                  With the shared queue there is nothing to steal.
//   switch_ticks   ticks per slice: a CPU's switch() runs once its tick count reaches it; every
//                  switch resets the count (§1).
//   wakeup: lazy-ipi  cross-CPU: onto the target's wakeup list, IPI 0x40 broadcast to all but self;
//                  the target takes it at its next switch (at once only if it was halted) (§2).
//           targeted  straight into the target's queue, IPI 0x42 to that one CPU; a task whose last
//                  CPU is busy goes to an idle CPU when there is one.
//   RT class (P5): FIFO/RR, priority 0 (highest) .. 9, always picked before normal tasks; an RT task
//                  that becomes runnable preempts a lower class at once (locally, or with IPI 0x42 to
//                  the chosen CPU) in every configuration. RR rotates after switch_ticks ticks.
#pragma once

#include "arch/x86/lapic.h"
#include "arch/x86/tick_timer.h"
#include "config.h"
#include "hal_access.h"
#include "sched/run_queue.h"
#include "sched/task.h"

#include <cstdint>
#include <map>
#include <vector>

namespace kut::sched {

// Why switch() runs: decides where the previous context goes.
enum class Cause : std::uint8_t {
    tick,    // end of slice: previous to the tail (RT FIFO keeps the head)
    preempt, // a higher class became runnable: previous keeps the head of its level
    yield,   // previous to the tail
    block,   // previous is not runnable any more
    idle,    // the idle loop
};

struct CpuState {
    bool started = false;
    std::uint32_t apic_id = 0;
    kut_task_id current = KUT_IDLE_TASK;
    std::uint32_t ticks = 0;   // upstream pit_ticks
    bool need_resched = false; // a task that outranks the current one was queued here
    DwrrState dwrr;
    RunQueue queue;                       // per-cpu lock mode
    std::vector<kut_task_id> wakeup_list; // ipi_context_wakeup_list (lazy wakeups)
    kut_lock_id queue_lock = 0;           // "sched.rq.N" (per-cpu mode)
    // Idle loop bookkeeping: interrupts / queued tasks seen by this CPU, and whether the idle loop's
    // last switch() found nothing since the last of them (then its next pass goes straight to hlt).
    std::uint64_t events = 0;
    std::uint64_t idle_checked_events = 0;
    bool idle_clean = false;
};

struct Timeout {
    std::uint64_t deadline_ns;
    kut_task_id task;
};

class Scheduler {
  public:
    Scheduler(const Hal* hal, const KernelConfig* config, const x86::Lapic* lapic, x86::TickTimer* timer);

    void create_locks();
    CpuState& cpu(std::uint32_t index) { return cpus_[index]; }
    const CpuState& cpu(std::uint32_t index) const { return cpus_[index]; }
    std::uint32_t cpus() const { return static_cast<std::uint32_t>(cpus_.size()); }
    bool shared_queue() const { return config_->sched_lock == KUT_LOCK_GLOBAL; }

    Task* find(kut_task_id id);
    // A new context (task_new, thread_create). False when the id is 0 or already known.
    Task* add_task(kut_task_id id, std::int32_t task_class, std::int32_t level);

    // Queue a task that exists before user space on `cpu` (no IPI, no switch: it runs at that CPU's
    // next switch, i.e. its next idle loop pass or interrupt).
    void enqueue_initial(std::uint32_t cpu, Task& task);
    // wakeup_context from `waker` (which runs this code): routing per the wakeup switch; RT tasks are
    // dispatched at once. Sets need_resched on `waker` when the local current must give way.
    void make_ready(std::uint32_t waker, Task& task);
    // switch() if `cpu` is running a task that must give way to a queued one.
    void preempt_if_needed(std::uint32_t cpu);

    void schedule(std::uint32_t cpu, Cause cause, bool switch_lock_held = false);
    void tick(std::uint32_t cpu);
    void idle(std::uint32_t cpu);
    // Something happened on `cpu` (an interrupt, a queued task) that the idle loop must look at.
    void note_event(std::uint32_t cpu) {
        if (cpu < cpus_.size()) {
            ++cpus_[cpu].events;
        }
    }

    // System calls (task = the caller, current on cpu).
    std::int64_t sys_yield(std::uint32_t cpu, Task& task);
    std::int64_t sys_sleep(std::uint32_t cpu, Task& task, std::uint64_t ps);
    std::int64_t sys_block(std::uint32_t cpu, Task& task);
    std::int64_t sys_wake(std::uint32_t cpu, kut_task_id target);
    std::int64_t sys_exit(std::uint32_t cpu, Task& task);
    // Blocks `task` in `state` and switches away (irq waits use this).
    void block_current(std::uint32_t cpu, Task& task, TaskState state);

    // The BSP's timeout::trigger: linear scan of the timeout list (redox-kernel.md §1).
    void trigger_timeouts(std::uint32_t cpu);
    std::size_t timeouts() const { return timeouts_.size(); }

    // IPI 0x40: the handler only acknowledges (the list is taken at the next switch).
    void on_wakeup_ipi(std::uint32_t) {}
    // IPI 0x42: switch if something that outranks the current task was queued.
    void on_switch_ipi(std::uint32_t cpu) { preempt_if_needed(cpu); }

    void send_ipi(std::uint32_t from, std::uint32_t to, std::uint8_t vector);
    void broadcast_ipi(std::uint32_t from, std::uint8_t vector);

  private:
    RunQueue& queue_of(std::uint32_t cpu) { return shared_queue() ? shared_ : cpus_[cpu].queue; }
    kut_lock_id queue_lock_of(std::uint32_t cpu) const {
        return shared_queue() ? run_contexts_lock_ : cpus_[cpu].queue_lock;
    }
    bool idle_cpu(std::uint32_t cpu) const {
        return cpus_[cpu].started && cpus_[cpu].current == KUT_IDLE_TASK;
    }
    int find_idle_cpu(std::uint32_t except) const;
    std::uint32_t rt_target(std::uint32_t waker, const Task& task) const;
    bool must_give_way(std::uint32_t cpu, const Task& task) const;
    kut_task_id steal(std::uint32_t cpu);
    void dispatch(std::uint32_t cpu, kut_task_id prev, kut_task_id next);

    const Hal* hal_;
    const KernelConfig* config_;
    const x86::Lapic* lapic_;
    x86::TickTimer* timer_;
    std::vector<CpuState> cpus_;
    std::map<kut_task_id, Task> tasks_;
    // Contexts that are blocked, sleeping or waiting for an irq: the DWRR kernel keeps them on a
    // global IDLE_CONTEXTS list that every switch rescans (redox-kernel.md §2 DWRR).
    std::uint64_t waiting_contexts_ = 0;
    RunQueue shared_; // global lock mode: RUN_CONTEXTS
    kut_lock_id switch_lock_ = 0;
    kut_lock_id run_contexts_lock_ = 0;
    kut_lock_id timeout_lock_ = 0;
    std::vector<Timeout> timeouts_;
};

} // namespace kut::sched
