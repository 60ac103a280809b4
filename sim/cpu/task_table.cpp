#include "sim/cpu/task_table.h"

namespace x86sim::sim::cpu {

kut_task_id TaskTable::create(std::string name) {
    tasks_.emplace_back();
    tasks_.back().name = std::move(name);
    return static_cast<kut_task_id>(tasks_.size());
}

std::string TaskTable::name(kut_task_id task) const {
    if (task == KUT_IDLE_TASK) {
        return "idle";
    }
    const auto* entry = find(task);
    return entry != nullptr && !entry->name.empty() ? entry->name : "task " + std::to_string(task);
}

const TaskTable::Entry* TaskTable::find(kut_task_id task) const {
    if (task == KUT_IDLE_TASK || task > tasks_.size()) {
        return nullptr;
    }
    return &tasks_[task - 1];
}

TaskTable::Entry* TaskTable::find(kut_task_id task) {
    return const_cast<Entry*>(static_cast<const TaskTable*>(this)->find(task));
}

bool TaskTable::exists(kut_task_id task) const {
    const auto* entry = find(task);
    return entry != nullptr && !entry->exited;
}

bool TaskTable::exited(kut_task_id task) const {
    const auto* entry = find(task);
    return entry != nullptr && entry->exited;
}

void TaskTable::mark_exited(kut_task_id task) {
    if (auto* entry = find(task)) {
        entry->exited = true;
        entry->running_on = kNotRunning;
        entry->remaining_ps = 0;
    }
}

int TaskTable::running_on(kut_task_id task) const {
    const auto* entry = find(task);
    return entry == nullptr ? kNotRunning : entry->running_on;
}

void TaskTable::set_running_on(kut_task_id task, int cpu) {
    if (auto* entry = find(task)) {
        entry->running_on = cpu;
    }
}

std::uint64_t TaskTable::remaining_ps(kut_task_id task) const {
    const auto* entry = find(task);
    return entry == nullptr ? 0 : entry->remaining_ps;
}

void TaskTable::set_remaining_ps(kut_task_id task, std::uint64_t picoseconds) {
    if (auto* entry = find(task)) {
        entry->remaining_ps = picoseconds;
    }
}

} // namespace x86sim::sim::cpu
