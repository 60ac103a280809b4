// task.h - the kernel's context structure for a simulated user task (host-side id >= 1).
#pragma once

#include "kut/guest.h"
#include "kut/hal.h"

#include <cstdint>

namespace kut::sched {

enum class TaskState : std::uint8_t {
    runnable, // queued (run queue or a CPU's wakeup list)
    running,  // current on some CPU
    blocked,  // KUT_SYS_BLOCK: until woken
    sleeping, // on the timeout list
    irq_wait, // waiting for an irq: count change
    exited,
};

// Why a task became runnable: decides which latency histogram its dispatch is recorded in.
enum class ReadyReason : std::uint8_t {
    wakeup,    // woken, new, timeout, irq -> sched.wakeup_latency
    preempted, // lost the CPU at the end of its slice or to a higher class -> sched.switch_latency
    yielded,   // gave the CPU up itself -> not recorded
};

struct Task {
    kut_task_id id = 0;
    kut_task_class cls = KUT_CLASS_NORMAL;
    unsigned level = 20; // normal: prio 0..39 (20 + nice); RT: 0 (highest) .. 9
    TaskState state = TaskState::blocked;
    ReadyReason reason = ReadyReason::wakeup;
    int last_cpu = -1;         // -1: never ran
    bool wake_pending = false; // a wake arrived while it was not blocked: the next block returns at once
    std::uint64_t ready_since_ps = 0;
    bool in_idle_list = false; // counted in Scheduler's waiting contexts (the DWRR IDLE_CONTEXTS list)

    bool rt() const { return cls == KUT_CLASS_RT_FIFO || cls == KUT_CLASS_RT_RR; }
};

// True when `a` must run before `b` at once (RT beats normal; lower RT level beats higher).
inline bool outranks(const Task& a, const Task& b) {
    if (!a.rt()) {
        return false;
    }
    return !b.rt() || a.level < b.level;
}

} // namespace kut::sched
