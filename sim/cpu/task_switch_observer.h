// Told when the context a CPU runs changes (a task selected by the guest, or the idle context): what the
// Perfetto trace draws as task spans, named like ftrace's sched_switch.
#pragma once

#include "kut/hal.h"

#include <cstdint>
#include <string>

namespace x86sim::sim::cpu {

class TaskSwitchObserver {
  public:
    virtual ~TaskSwitchObserver() = default;
    // `from`/`to` are task ids or KUT_IDLE_TASK with their names (cpu::TaskTable::name); `time_ps` is the
    // CPU's local time of the switch.
    virtual void on_task_switch(unsigned cpu, kut_task_id from, const std::string& from_name, kut_task_id to,
                                const std::string& to_name, std::uint64_t time_ps) = 0;
};

} // namespace x86sim::sim::cpu
