#include "sched/scheduler.h"

#include "arch/x86/vectors.h"
#include "costs.h"
#include "kerrno.h"
#include "sched/weights.h"

#include <algorithm>
#include <cstdio>

namespace kut::sched {

Scheduler::Scheduler(const Hal* hal, const KernelConfig* config, const x86::Lapic* lapic,
                     x86::TickTimer* timer)
    : hal_(hal), config_(config), lapic_(lapic), timer_(timer), cpus_(config->cpus) {
    for (std::uint32_t i = 0; i < cpus_.size(); ++i) {
        cpus_[i].apic_id = i; // until the CPU reads its own ID (there is no MADT to read it from)
    }
}

void Scheduler::create_locks() {
    if (shared_queue()) {
        switch_lock_ = hal_->lock_create("sched.context_switch");
        run_contexts_lock_ = hal_->lock_create("sched.run_contexts");
    } else {
        for (std::uint32_t i = 0; i < cpus_.size(); ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "sched.rq.%u", i);
            cpus_[i].queue_lock = hal_->lock_create(name);
        }
    }
    timeout_lock_ = hal_->lock_create("time.timeouts");
}

Task* Scheduler::find(kut_task_id id) {
    const auto it = tasks_.find(id);
    return it == tasks_.end() ? nullptr : &it->second;
}

Task* Scheduler::add_task(kut_task_id id, std::int32_t task_class, std::int32_t level) {
    if (id == KUT_IDLE_TASK || tasks_.count(id) != 0) {
        return nullptr;
    }
    Task task;
    task.id = id;
    if (task_class == KUT_CLASS_RT_FIFO || task_class == KUT_CLASS_RT_RR) {
        task.cls = static_cast<kut_task_class>(task_class);
        task.level = static_cast<unsigned>(std::clamp(level, 0, static_cast<int>(kRtLevels) - 1));
    } else {
        task.cls = KUT_CLASS_NORMAL;
        task.level = prio_from_nice(level); // level = nice -20..19
    }
    task.state = TaskState::blocked;
    return &tasks_.emplace(id, task).first->second;
}

void Scheduler::send_ipi(std::uint32_t from, std::uint32_t to, std::uint8_t vector) {
    if (to >= cpus_.size() || !cpus_[to].started || to == from) {
        return;
    }
    hal_->spend(from, costs::kIpiSend);
    lapic_->send_ipi(from, cpus_[to].apic_id, vector);
}

void Scheduler::broadcast_ipi(std::uint32_t from, std::uint8_t vector) {
    if (cpus_.size() < 2) {
        return;
    }
    hal_->spend(from, costs::kIpiSend);
    lapic_->broadcast_ipi(from, x86::Shorthand::all_but_self, vector);
}

int Scheduler::find_idle_cpu(std::uint32_t except) const {
    for (std::uint32_t i = 0; i < cpus_.size(); ++i) {
        if (i != except && idle_cpu(i)) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

bool Scheduler::must_give_way(std::uint32_t cpu, const Task& task) const {
    const kut_task_id current = cpus_[cpu].current;
    if (current == KUT_IDLE_TASK) {
        return true;
    }
    const auto it = tasks_.find(current);
    return it == tasks_.end() || outranks(task, it->second);
}

std::uint32_t Scheduler::rt_target(std::uint32_t waker, const Task& task) const {
    const std::uint32_t preferred =
        task.last_cpu >= 0 && cpus_[static_cast<std::uint32_t>(task.last_cpu)].started
            ? static_cast<std::uint32_t>(task.last_cpu)
            : waker;
    if (idle_cpu(preferred)) {
        return preferred;
    }
    if (const int idle = find_idle_cpu(cpus_.size()); idle >= 0) {
        return static_cast<std::uint32_t>(idle);
    }
    if (must_give_way(preferred, task)) {
        return preferred;
    }
    for (std::uint32_t i = 0; i < cpus_.size(); ++i) {
        if (cpus_[i].started && must_give_way(i, task)) {
            return i;
        }
    }
    return preferred;
}

void Scheduler::enqueue_initial(std::uint32_t cpu, Task& task) {
    task.state = TaskState::runnable;
    task.reason = ReadyReason::wakeup;
    task.ready_since_ps = hal_->now_ps();
    LockGuard guard(*hal_, cpu, queue_lock_of(cpu));
    queue_of(cpu).push(task);
    note_event(cpu);
}

void Scheduler::make_ready(std::uint32_t waker, Task& task) {
    hal_->spend(waker, costs::kWakeup);
    if (task.in_idle_list) {
        task.in_idle_list = false;
        --waiting_contexts_;
    }
    task.state = TaskState::runnable;
    task.reason = ReadyReason::wakeup;
    task.wake_pending = false;
    task.ready_since_ps = hal_->now_ps();

    if (task.rt()) {
        // Immediate dispatch (fix-plan.md §4 T3.3): queue where it can run now and make that CPU
        // switch (locally at the end of this entry, elsewhere through IPI 0x42).
        const std::uint32_t target = rt_target(waker, task);
        {
            LockGuard guard(*hal_, waker, queue_lock_of(target));
            queue_of(target).push(task);
        }
        if (must_give_way(target, task)) {
            cpus_[target].need_resched = true;
            send_ipi(waker, target, vec::kIpiSwitch);
        }
        return;
    }

    std::uint32_t target = waker;
    if (task.last_cpu >= 0 && cpus_[static_cast<std::uint32_t>(task.last_cpu)].started) {
        target = static_cast<std::uint32_t>(task.last_cpu); // a never-run context stays on the waker's CPU
    }
    if (config_->sched_wakeup == KUT_WAKEUP_LAZY_IPI) {
        if (target == waker) {
            LockGuard guard(*hal_, waker, queue_lock_of(waker));
            queue_of(waker).push(task);
        } else {
            {
                LockGuard guard(*hal_, waker, queue_lock_of(target));
                cpus_[target].wakeup_list.push_back(task.id);
            }
            broadcast_ipi(waker, vec::kIpiWakeup);
            return;
        }
    } else {
        if (target != waker && !idle_cpu(target)) {
            if (const int idle = find_idle_cpu(waker); idle >= 0) {
                target = static_cast<std::uint32_t>(idle);
            }
        }
        {
            LockGuard guard(*hal_, waker, queue_lock_of(target));
            queue_of(target).push(task);
        }
        if (target != waker) {
            send_ipi(waker, target, vec::kIpiSwitch);
            return;
        }
    }
    // Queued on the waker's own (busy) CPU: with work stealing, kick an idle CPU to come and take it.
    if (!shared_queue() && config_->sched_balance == KUT_BALANCE_WORK_STEALING && !idle_cpu(waker)) {
        if (const int idle = find_idle_cpu(waker); idle >= 0) {
            send_ipi(waker, static_cast<std::uint32_t>(idle), vec::kIpiSwitch);
        }
    }
}

void Scheduler::preempt_if_needed(std::uint32_t cpu) {
    CpuState& c = cpus_[cpu];
    if (!c.need_resched) {
        return;
    }
    if (c.current == KUT_IDLE_TASK) {
        return; // the idle loop switches as soon as this interrupt returns
    }
    schedule(cpu, Cause::preempt);
}

kut_task_id Scheduler::steal(std::uint32_t cpu) {
    const auto n = static_cast<std::uint32_t>(cpus_.size());
    for (std::uint32_t step = 1; step < n; ++step) {
        const std::uint32_t victim = (cpu + step) % n;
        if (!cpus_[victim].started || cpus_[victim].queue.empty()) {
            continue;
        }
        if (!hal_->trylock(cpu, cpus_[victim].queue_lock)) {
            continue;
        }
        const auto id = cpus_[victim].queue.steal();
        hal_->unlock(cpu, cpus_[victim].queue_lock);
        if (id) {
            hal_->spend(cpu, costs::kQueueMove);
            hal_->metric_add("sched.steals", 1);
            return *id;
        }
    }
    return KUT_IDLE_TASK;
}

void Scheduler::schedule(std::uint32_t cpu, Cause cause, bool switch_lock_held) {
    if (cpu >= cpus_.size()) {
        return;
    }
    CpuState& c = cpus_[cpu];
    const bool global = shared_queue();
    if (global && !switch_lock_held) {
        hal_->lock(cpu, switch_lock_);
    }
    hal_->spend(cpu, costs::kRunQueuePick);
    if (global) {
        // The DWRR kernel (global RUN_CONTEXTS) rescans its IDLE_CONTEXTS list linearly at every
        // switch for contexts that became runnable (redox-kernel.md §2 DWRR); per-CPU queues do not.
        hal_->spend(cpu, waiting_contexts_ * costs::kIdleContextScanPerEntry);
    }

    const kut_task_id prev = c.current;
    kut_task_id next = KUT_IDLE_TASK;
    {
        LockGuard guard(*hal_, cpu, queue_lock_of(cpu));
        RunQueue& queue = queue_of(cpu);
        for (const kut_task_id id : c.wakeup_list) {
            if (Task* t = find(id); t != nullptr && t->state == TaskState::runnable) {
                queue.push(*t);
                hal_->spend(cpu, costs::kQueueMove);
            }
        }
        c.wakeup_list.clear();

        if (Task* p = prev != KUT_IDLE_TASK ? find(prev) : nullptr;
            p != nullptr && p->state == TaskState::running) {
            p->state = TaskState::runnable;
            p->reason = cause == Cause::yield ? ReadyReason::yielded : ReadyReason::preempted;
            p->ready_since_ps = hal_->now_ps();
            // P5: a running RT context is kept; FIFO is never rotated, RR only at the end of its slice.
            const bool keep_head =
                p->rt() && cause != Cause::yield && (cause != Cause::tick || p->cls == KUT_CLASS_RT_FIFO);
            queue.push(*p, keep_head);
        }
        if (auto pick = queue.pop(c.dwrr)) {
            next = pick->id;
            hal_->spend(cpu, pick->visits * costs::kDwrrVisit);
        }
    }
    if (next == KUT_IDLE_TASK && !global && config_->sched_balance == KUT_BALANCE_WORK_STEALING) {
        next = steal(cpu);
    }
    dispatch(cpu, prev, next);
    if (global) {
        hal_->unlock(cpu, switch_lock_); // switch_finish_hook: released after the switch itself
    }
}

void Scheduler::dispatch(std::uint32_t cpu, kut_task_id prev, kut_task_id next) {
    CpuState& c = cpus_[cpu];
    c.ticks = 0;
    c.need_resched = false;
    Task* task = next != KUT_IDLE_TASK ? find(next) : nullptr;
    if (task != nullptr) {
        task->state = TaskState::running;
    }
    if (next != prev) {
        hal_->spend(cpu, costs::kContextSwitch);
        hal_->metric_add("sched.context_switches", 1);
        if (task != nullptr) {
            if (task->last_cpu >= 0 && static_cast<std::uint32_t>(task->last_cpu) != cpu) {
                hal_->metric_add("sched.migrations", 1);
            }
            const std::uint64_t now = hal_->now_ps();
            const std::uint64_t waited = now > task->ready_since_ps ? now - task->ready_since_ps : 0;
            if (task->reason == ReadyReason::wakeup) {
                hal_->metric_sample("sched.wakeup_latency", waited);
            } else if (task->reason == ReadyReason::preempted) {
                hal_->metric_sample("sched.switch_latency", waited);
            }
        }
    }
    if (task != nullptr) {
        task->last_cpu = static_cast<int>(cpu);
    }
    c.current = next;
    hal_->switch_to(cpu, next);
}

void Scheduler::tick(std::uint32_t cpu) {
    if (cpu >= cpus_.size()) {
        return;
    }
    CpuState& c = cpus_[cpu];
    hal_->metric_add("sched.ticks", 1);
    hal_->spend(cpu, costs::kTickHandler);
    ++c.ticks;
    if (c.current == KUT_IDLE_TASK) {
        return; // the idle loop's own switch() follows this interrupt (redox-kernel.md §2 "Idle")
    }
    const Task* current = find(c.current);
    if (current != nullptr && current->cls == KUT_CLASS_RT_FIFO && !c.need_resched) {
        return;
    }
    if (c.ticks < config_->switch_ticks && !c.need_resched) {
        return;
    }
    if (shared_queue()) {
        if (!hal_->trylock(cpu, switch_lock_)) {
            hal_->metric_add("sched.tick_lock_busy", 1); // §1: the tick is just counted
            return;
        }
        schedule(cpu, c.need_resched ? Cause::preempt : Cause::tick, true);
        return;
    }
    schedule(cpu, c.need_resched ? Cause::preempt : Cause::tick);
}

void Scheduler::idle(std::uint32_t cpu) {
    if (cpu >= cpus_.size()) {
        return;
    }
    CpuState& c = cpus_[cpu];
    if (c.current != KUT_IDLE_TASK) {
        hal_->log(cpu, KUT_LOG_WARN, "idle entered while task %u is current; requeueing it", c.current);
    }
    // Upstream idle loop: loop { cli; switch(); sti; hlt } (redox-kernel.md §2 "Idle"). One call is one
    // pass plus the switch() that follows the hlt, so a task made runnable by the interrupt that ended
    // the hlt runs at once whether or not the host calls idle() again straight away. A pass whose
    // switch() would repeat one that found nothing, with no interrupt since, goes straight to hlt.
    hal_->cli(cpu);
    const bool nothing_new = c.current == KUT_IDLE_TASK && c.idle_clean && c.events == c.idle_checked_events;
    if (!nothing_new) {
        schedule(cpu, Cause::idle);
        if (c.current != KUT_IDLE_TASK) {
            c.idle_clean = false;
            hal_->sti(cpu);
            return;
        }
    }
    hal_->sti(cpu);
    hal_->hlt(cpu);
    hal_->cli(cpu);
    schedule(cpu, Cause::idle);
    c.idle_clean = c.current == KUT_IDLE_TASK;
    c.idle_checked_events = c.events;
    hal_->sti(cpu);
}

std::int64_t Scheduler::sys_yield(std::uint32_t cpu, Task&) {
    schedule(cpu, Cause::yield);
    return 0;
}

void Scheduler::block_current(std::uint32_t cpu, Task& task, TaskState state) {
    task.state = state;
    if (state != TaskState::exited && !task.in_idle_list) {
        task.in_idle_list = true;
        ++waiting_contexts_;
    }
    schedule(cpu, Cause::block);
}

std::int64_t Scheduler::sys_sleep(std::uint32_t cpu, Task& task, std::uint64_t ps) {
    const std::uint64_t deadline = timer_->monotonic_ns(cpu) + ps / 1000 + (ps % 1000 != 0 ? 1 : 0);
    {
        LockGuard guard(*hal_, cpu, timeout_lock_);
        timeouts_.push_back({deadline, task.id});
    }
    block_current(cpu, task, TaskState::sleeping);
    return 0;
}

std::int64_t Scheduler::sys_block(std::uint32_t cpu, Task& task) {
    if (task.wake_pending) {
        task.wake_pending = false;
        return 0;
    }
    block_current(cpu, task, TaskState::blocked);
    return 0;
}

std::int64_t Scheduler::sys_wake(std::uint32_t cpu, kut_task_id target) {
    Task* task = find(target);
    if (task == nullptr || task->state == TaskState::exited) {
        return err::kSrch;
    }
    switch (task->state) {
    case TaskState::running:
    case TaskState::runnable:
        task->wake_pending = true;
        return 0;
    case TaskState::sleeping: {
        LockGuard guard(*hal_, cpu, timeout_lock_);
        std::erase_if(timeouts_, [&](const Timeout& t) { return t.task == target; });
        break;
    }
    case TaskState::blocked:
    case TaskState::irq_wait:
    case TaskState::exited:
        break;
    }
    make_ready(cpu, *task);
    preempt_if_needed(cpu);
    return 0;
}

std::int64_t Scheduler::sys_exit(std::uint32_t cpu, Task& task) {
    {
        LockGuard guard(*hal_, cpu, timeout_lock_);
        std::erase_if(timeouts_, [&](const Timeout& t) { return t.task == task.id; });
    }
    block_current(cpu, task, TaskState::exited);
    return 0;
}

void Scheduler::trigger_timeouts(std::uint32_t cpu) {
    const std::uint64_t now = timer_->monotonic_ns(cpu);
    std::vector<kut_task_id> expired;
    {
        LockGuard guard(*hal_, cpu, timeout_lock_);
        hal_->spend(cpu, costs::kTimeoutScan + timeouts_.size() * costs::kTimeoutScanPerEntry);
        for (auto it = timeouts_.begin(); it != timeouts_.end();) {
            if (it->deadline_ns <= now) {
                expired.push_back(it->task);
                it = timeouts_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (const kut_task_id id : expired) {
        if (Task* task = find(id); task != nullptr && task->state == TaskState::sleeping) {
            make_ready(cpu, *task);
        }
    }
}

} // namespace kut::sched
