#include "sched/run_queue.h"

#include <algorithm>

namespace kut::sched {

namespace {

unsigned clamp_level(const Task& task) {
    const unsigned limit = task.rt() ? kRtLevels - 1 : kPrioLevels - 1;
    return std::min(task.level, limit);
}

} // namespace

void RunQueue::push(const Task& task, bool front) {
    auto& queue = task.rt() ? rt_[clamp_level(task)] : normal_[clamp_level(task)];
    if (front) {
        queue.push_front(task.id);
    } else {
        queue.push_back(task.id);
    }
    ++size_;
    if (task.rt()) {
        ++rt_size_;
    }
}

bool RunQueue::remove(const Task& task) {
    auto& queue = task.rt() ? rt_[clamp_level(task)] : normal_[clamp_level(task)];
    const auto it = std::find(queue.begin(), queue.end(), task.id);
    if (it == queue.end()) {
        return false;
    }
    queue.erase(it);
    --size_;
    if (task.rt()) {
        --rt_size_;
    }
    return true;
}

bool RunQueue::contains(const Task& task) const {
    const auto& queue = task.rt() ? rt_[clamp_level(task)] : normal_[clamp_level(task)];
    return std::find(queue.begin(), queue.end(), task.id) != queue.end();
}

int RunQueue::highest_rt_level() const {
    for (unsigned level = 0; level < kRtLevels; ++level) {
        if (!rt_[level].empty()) {
            return static_cast<int>(level);
        }
    }
    return -1;
}

std::optional<Pick> RunQueue::pop_rt() {
    for (unsigned level = 0; level < kRtLevels; ++level) {
        if (!rt_[level].empty()) {
            const kut_task_id id = rt_[level].front();
            rt_[level].pop_front();
            --size_;
            --rt_size_;
            return Pick{id, level + 1};
        }
    }
    return std::nullopt;
}

std::optional<Pick> RunQueue::pop_dwrr(DwrrState& st) {
    if (size_ == rt_size_) {
        return std::nullopt;
    }
    unsigned queue = st.last_queue % kPrioLevels;
    for (unsigned visits = 1; visits <= kDwrrMaxIterations; ++visits) {
        auto& q = normal_[queue];
        if (!q.empty()) {
            if (st.balance[queue] < kDwrrQuantum) {
                st.balance[queue] += kPrioToWeight[queue];
            } else {
                st.balance[queue] -= kDwrrQuantum;
                st.last_queue = queue;
                const kut_task_id id = q.front();
                q.pop_front();
                --size_;
                return Pick{id, visits};
            }
        }
        queue = (queue + 1) % kPrioLevels;
    }
    for (unsigned prio = 0; prio < kPrioLevels; ++prio) {
        if (!normal_[prio].empty()) {
            const kut_task_id id = normal_[prio].front();
            normal_[prio].pop_front();
            --size_;
            st.last_queue = prio;
            return Pick{id, kDwrrMaxIterations};
        }
    }
    return std::nullopt;
}

std::optional<Pick> RunQueue::pop(DwrrState& st) {
    if (auto rt = pop_rt()) {
        return rt;
    }
    return pop_dwrr(st);
}

std::optional<kut_task_id> RunQueue::steal() {
    if (auto rt = pop_rt()) {
        return rt->id;
    }
    for (auto& q : normal_) {
        if (!q.empty()) {
            const kut_task_id id = q.front();
            q.pop_front();
            --size_;
            return id;
        }
    }
    return std::nullopt;
}

} // namespace kut::sched
