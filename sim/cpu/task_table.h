// Host-side bookkeeping of the simulated user tasks (design/GUEST-MODEL.md "Entries run to completion;
// contexts are chosen, not blocked on"): which ids exist, which CPU runs each one, and how much of its
// current CPU burst is left. The guest keeps its own task structures; this table is only what the host
// needs to run the contexts the guest selects and to refuse impossible selections.
#pragma once

#include "kut/hal.h"

#include <cstdint>
#include <string>
#include <vector>

namespace x86sim::sim::cpu {

class TaskTable {
  public:
    static constexpr int kNotRunning = -1;

    // A new task id: 1, 2, 3 ... in creation order (deterministic), with the name traces and messages
    // show for it (the workload names its tasks: "hog.0", "pp.a0", ...).
    kut_task_id create(std::string name);
    // "idle" for KUT_IDLE_TASK, "task N" for an id never created.
    std::string name(kut_task_id task) const;
    // Created and not exited.
    bool exists(kut_task_id task) const;
    bool exited(kut_task_id task) const;
    void mark_exited(kut_task_id task);
    std::uint32_t created() const { return static_cast<std::uint32_t>(tasks_.size()); }

    // The CPU whose selected context `task` is, or kNotRunning.
    int running_on(kut_task_id task) const;
    void set_running_on(kut_task_id task, int cpu);

    // What is left of the task's current CPU burst (kept when an interrupt or a switch cuts it).
    std::uint64_t remaining_ps(kut_task_id task) const;
    void set_remaining_ps(kut_task_id task, std::uint64_t picoseconds);

  private:
    struct Entry {
        int running_on = kNotRunning;
        bool exited = false;
        std::uint64_t remaining_ps = 0;
        std::string name;
    };
    const Entry* find(kut_task_id task) const;
    Entry* find(kut_task_id task);

    std::vector<Entry> tasks_; // index = id - 1
};

} // namespace x86sim::sim::cpu
