// thread_create.h - thread creation paths (redox-kernel.md §7; fix-plan.md §1 and §5 Phase 4).
//
//   upstream  6 round trips to procmgr (new-thread, addrspace, current-addrspace, filetable,
//             current-filetable, start) + 3 direct kernel writes (§7 table).
//   ipc3      3 round trips + 3 kernel writes (the plan's "before" count of hops).
//   ipc2      2 round trips + 3 kernel writes (the plan's "after", T4.1 batched requests).
//
// A round trip is charged, not scheduled: the caller's user-scheme call blocks and procmgr is woken
// through its event queue, i.e. two context switches plus the packet copy and procmgr's work
// (costs::kIpcRoundTrip). The host has no procmgr task, so charging is the honest model; the
// latency reported is the cycles charged, converted at the core clock. The new context is then
// runnable, queued on the calling CPU (§7 step 9, wakeup_context).
#pragma once

#include "config.h"
#include "hal_access.h"
#include "sched/scheduler.h"

#include <cstdint>

namespace kut::proc {

struct ThreadCreatePlan {
    unsigned ipc_round_trips;
    unsigned kernel_writes;
};

ThreadCreatePlan thread_create_plan(kut_thread_create variant);
// Cycles charged for one creation with `plan`.
std::uint64_t thread_create_cycles(const ThreadCreatePlan& plan);

// KUT_SYS_THREAD_CREATE from `cpu`: returns 0, or -EEXIST / -EINVAL for a bad new id.
std::int64_t thread_create(std::uint32_t cpu, const Hal& hal, const KernelConfig& config,
                           sched::Scheduler& scheduler, std::uint64_t new_id, std::uint64_t task_class,
                           std::uint64_t level);

} // namespace kut::proc
