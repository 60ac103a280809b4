// run_queue.h - a run queue: 10 RT FIFO queues (one per RT priority) and 40 normal queues (one per
// prio) picked by DWRR (redox-kernel.md §2 "DWRR" and the Red Bear patches P5 "PASS 0").
//
// Pure data structure: no HAL, no locking (the scheduler holds the lock that covers it).
#pragma once

#include "sched/task.h"
#include "sched/weights.h"

#include <array>
#include <cstdint>
#include <deque>
#include <optional>

namespace kut::sched {

// Per-CPU DWRR state: balance per queue and the queue the cyclic walk resumes at.
struct DwrrState {
    std::array<std::int64_t, kPrioLevels> balance{};
    unsigned last_queue = 0;
};

struct Pick {
    kut_task_id id = KUT_IDLE_TASK;
    unsigned visits = 0; // queues visited (cost)
};

class RunQueue {
  public:
    // front: RT context preempted by a higher class keeps its place at the head of its level.
    void push(const Task& task, bool front = false);
    bool remove(const Task& task);
    bool contains(const Task& task) const;
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t rt_size() const { return rt_size_; }
    // Highest RT level queued (0 is highest), or -1.
    int highest_rt_level() const;

    // PASS 0: the head of the highest RT level.
    std::optional<Pick> pop_rt();
    // DWRR over the 40 normal queues: visited cyclically from `st.last_queue`; a non-empty queue whose
    // balance is below 1024 gets its weight added and is skipped, otherwise its head is taken and 1024
    // deducted (the walk stays on it). Capped at 5000 visits, then the highest non-empty prio wins.
    std::optional<Pick> pop_dwrr(DwrrState& st);
    // RT pass, then DWRR.
    std::optional<Pick> pop(DwrrState& st);
    // For work stealing: the first context of the highest class (RT 0 -> 9, then prio 0 -> 39), the
    // same prio-0-first scan as Red Bear's steal_work (P8-percpu-wiring).
    std::optional<kut_task_id> steal();

  private:
    std::array<std::deque<kut_task_id>, kRtLevels> rt_;
    std::array<std::deque<kut_task_id>, kPrioLevels> normal_;
    std::size_t size_ = 0;
    std::size_t rt_size_ = 0;
};

} // namespace kut::sched
