#include "proc/thread_create.h"

#include "costs.h"
#include "kerrno.h"
#include "muldiv.h"

namespace kut::proc {

ThreadCreatePlan thread_create_plan(kut_thread_create variant) {
    switch (variant) {
    case KUT_THREAD_CREATE_IPC3:
        return {3, 3};
    case KUT_THREAD_CREATE_IPC2:
        return {2, 3};
    case KUT_THREAD_CREATE_UPSTREAM:
    default:
        return {6, 3};
    }
}

std::uint64_t thread_create_cycles(const ThreadCreatePlan& plan) {
    return costs::kContextAlloc + plan.ipc_round_trips * costs::kIpcRoundTrip +
           plan.kernel_writes * (costs::kSyscallEntry + costs::kThreadFdWrite);
}

std::int64_t thread_create(std::uint32_t cpu, const Hal& hal, const KernelConfig& config,
                           sched::Scheduler& scheduler, std::uint64_t new_id, std::uint64_t task_class,
                           std::uint64_t level) {
    if (new_id == 0 || new_id > UINT32_MAX) {
        return err::kInval;
    }
    const auto id = static_cast<kut_task_id>(new_id);
    if (scheduler.find(id) != nullptr) {
        return err::kExist;
    }
    const ThreadCreatePlan plan = thread_create_plan(config.thread_create);
    const std::uint64_t cycles = thread_create_cycles(plan);
    hal.spend(cpu, cycles);
    sched::Task* task = scheduler.add_task(id, static_cast<std::int32_t>(task_class),
                                           static_cast<std::int32_t>(static_cast<std::int64_t>(level)));
    if (task == nullptr) {
        return err::kInval;
    }
    hal.metric_add("proc.thread_create.ipc_hops", plan.ipc_round_trips);
    hal.metric_sample("proc.thread_create.latency", mul_div(cycles, 1'000'000'000'000ull, config.cpu_hz));
    scheduler.make_ready(cpu, *task);
    scheduler.preempt_if_needed(cpu);
    return 0;
}

} // namespace kut::proc
