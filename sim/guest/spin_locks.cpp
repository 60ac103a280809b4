#include "sim/guest/spin_locks.h"

#include "models/common/time.h"
#include "sim/cpu/cpu.h"

#include <algorithm>
#include <map>
#include <spdlog/spdlog.h>

namespace x86sim::sim::guest {

namespace {
std::string metric_segment(const std::string& name) {
    if (name.empty()) {
        return "unnamed";
    }
    std::string out = name;
    for (auto& c : out) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '_' || c == '-';
        if (!ok) {
            c = '_';
        }
    }
    return out;
}
} // namespace

kut_lock_id SpinLocks::create(const char* name) {
    auto lock = std::make_unique<Lock>();
    lock->name = name != nullptr ? name : "";
    locks_.push_back(std::move(lock));
    return static_cast<kut_lock_id>(locks_.size());
}

SpinLocks::Lock* SpinLocks::find(kut_lock_id id) {
    if (id == 0 || id > locks_.size()) {
        ++errors_;
        spdlog::warn("guest: spin lock id {} was never created", id);
        return nullptr;
    }
    return locks_[id - 1].get();
}

void SpinLocks::lock(cpu::Cpu& cpu, kut_lock_id id) {
    auto* lock = find(id);
    if (lock == nullptr) {
        return;
    }
    const auto me = static_cast<int>(cpu.index());
    const bool queued = std::any_of(lock->queue.begin(), lock->queue.end(),
                                    [&](const Waiter& w) { return static_cast<int>(w.cpu) == me; });
    if (lock->owner == me || queued) {
        ++errors_;
        spdlog::error("guest: cpu{} takes spin lock '{}' it already holds or waits for: deadlock", me,
                      lock->name);
        cpu.stop_forever();
        return;
    }
    const auto& costs = cpu.costs();
    if (lock->owner < 0 && lock->queue.empty()) {
        lock->owner = me;
        ++lock->acquisitions;
        cpu.charge_cycles(costs.lock_acquire_cycles);
        return;
    }
    const auto arrival = models::now_ps();
    const Waiter waiter{arrival, cpu.index()};
    const auto position = std::upper_bound(
        lock->queue.begin(), lock->queue.end(), waiter, [](const Waiter& a, const Waiter& b) {
            return a.arrival_ps != b.arrival_ps ? a.arrival_ps < b.arrival_ps : a.cpu < b.cpu;
        });
    lock->queue.insert(position, waiter);
    ++lock->contended;
    cpu.wait_for(lock->handed_over, [lock, me] { return lock->owner == me; });
    lock->wait_ps += models::now_ps() - arrival;
    ++lock->acquisitions;
    cpu.charge_cycles(costs.lock_acquire_cycles + costs.lock_handoff_cycles);
}

bool SpinLocks::trylock(cpu::Cpu& cpu, kut_lock_id id) {
    auto* lock = find(id);
    if (lock == nullptr) {
        return false;
    }
    cpu.charge_cycles(cpu.costs().lock_acquire_cycles);
    if (lock->owner >= 0 || !lock->queue.empty()) {
        return false;
    }
    lock->owner = static_cast<int>(cpu.index());
    ++lock->acquisitions;
    return true;
}

void SpinLocks::unlock(cpu::Cpu& cpu, kut_lock_id id) {
    auto* lock = find(id);
    if (lock == nullptr) {
        return;
    }
    if (lock->owner != static_cast<int>(cpu.index())) {
        ++errors_;
        spdlog::warn("guest: cpu{} releases spin lock '{}' it does not hold (ignored)", cpu.index(),
                     lock->name);
        return;
    }
    if (lock->queue.empty()) {
        lock->owner = -1;
    } else {
        lock->owner = static_cast<int>(lock->queue.front().cpu);
        lock->queue.erase(lock->queue.begin());
        models::notify_now(lock->handed_over);
    }
    cpu.charge_cycles(cpu.costs().lock_release_cycles);
}

std::uint64_t SpinLocks::sched_wait_ps() const {
    std::uint64_t total = 0;
    for (const auto& lock : locks_) {
        if (lock->name.starts_with("sched")) {
            total += lock->wait_ps;
        }
    }
    return total;
}

void SpinLocks::report_metrics(models::MetricSink& sink) const {
    struct Totals {
        std::uint64_t acquisitions = 0;
        std::uint64_t contended = 0;
        std::uint64_t wait_ps = 0;
    };
    std::map<std::string, Totals> by_name;
    for (const auto& lock : locks_) {
        auto& totals = by_name[metric_segment(lock->name)];
        totals.acquisitions += lock->acquisitions;
        totals.contended += lock->contended;
        totals.wait_ps += lock->wait_ps;
    }
    for (const auto& [name, totals] : by_name) {
        sink.gauge("lock." + name + ".wait", static_cast<double>(totals.wait_ps) / 1e12);
        sink.counter("lock." + name + ".acquisitions", totals.acquisitions);
        sink.counter("lock." + name + ".contended", totals.contended);
    }
    sink.gauge("sched.lock_wait", static_cast<double>(sched_wait_ps()) / 1e12);
}

} // namespace x86sim::sim::guest
