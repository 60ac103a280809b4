// What a CPU asks of the simulated user programs (sim/workload implements it). A user task's behaviour
// lives host-side (design/GUEST-MODEL.md): running it means spending its CPU bursts in simulated time
// and, at the end of a burst, making its next system call into the guest.
#pragma once

#include "kut/hal.h"

#include <cstdint>
#include <vector>

namespace x86sim::sim::cpu {

struct UserStep {
    enum class Kind { Run, Syscall };
    Kind kind = Kind::Run;
    std::uint64_t run_ps = 0; // Run: CPU time of the burst
    std::uint32_t number = 0; // Syscall: enum kut_syscall
    std::uint64_t arg0 = 0;
    std::uint64_t arg1 = 0;
    std::uint64_t arg2 = 0;

    static UserStep run(std::uint64_t picoseconds) { return {Kind::Run, picoseconds, 0, 0, 0, 0}; }
    static UserStep syscall(std::uint32_t number, std::uint64_t a0 = 0, std::uint64_t a1 = 0,
                            std::uint64_t a2 = 0) {
        return {Kind::Syscall, 0, number, a0, a1, a2};
    }
};

struct InitialTask {
    kut_task_id id = 0;
    std::int32_t task_class = 0; // enum kut_task_class
    std::int32_t level = 0;      // nice or RT priority
};

class UserTasks {
  public:
    virtual ~UserTasks() = default;
    // The tasks CPU `cpu` hands to the guest (guest->task_new) before it first runs a context.
    virtual std::vector<InitialTask> initial_tasks(unsigned cpu) const = 0;
    // `task` runs on `cpu` and its previous step is complete (or it runs for the first time).
    virtual UserStep next_step(kut_task_id task, unsigned cpu, std::uint64_t now_ps) = 0;
    // The system call of the task's last step returned `result`.
    virtual void syscall_returned(kut_task_id task, std::uint32_t number, std::int64_t result,
                                  std::uint64_t now_ps) = 0;
    // `task` ran user code for `picoseconds` (a burst, or the part of it before an interrupt).
    virtual void ran(kut_task_id /*task*/, std::uint64_t /*picoseconds*/) {}
};

} // namespace x86sim::sim::cpu
