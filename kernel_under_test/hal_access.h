// hal_access.h - a thin C++ face over the kut_hal table (include/kut/hal.h).
//
// All hardware access of the kernel goes through here; instrumentation calls (now_ps, log, metrics)
// are only used for reporting, never to make a decision (redox-kernel.md is the behaviour; time the
// kernel acts on comes from its own clock, see arch/x86/timer.h).
#pragma once

#include "kut/hal.h"

#include <cstdarg>
#include <cstdint>

namespace kut {

class Hal {
  public:
    Hal() = default;
    explicit Hal(const kut_hal* table) : t_(table) {}

    // Names the first missing entry of the table, or nullptr when complete.
    const char* missing_entry() const;

    std::uint64_t mmio_read(std::uint32_t cpu, std::uint64_t address, std::uint32_t size) const {
        return t_->mmio_read(t_->host, cpu, address, size);
    }
    void mmio_write(std::uint32_t cpu, std::uint64_t address, std::uint32_t size, std::uint64_t value) const {
        t_->mmio_write(t_->host, cpu, address, size, value);
    }
    std::uint8_t in8(std::uint32_t cpu, std::uint16_t port) const {
        return static_cast<std::uint8_t>(t_->port_in(t_->host, cpu, port, 1));
    }
    void out8(std::uint32_t cpu, std::uint16_t port, std::uint8_t value) const {
        t_->port_out(t_->host, cpu, port, 1, value);
    }
    bool rdmsr(std::uint32_t cpu, std::uint32_t index, std::uint64_t& value) const {
        return t_->rdmsr(t_->host, cpu, index, &value) == KUT_OK;
    }
    bool wrmsr(std::uint32_t cpu, std::uint32_t index, std::uint64_t value) const {
        return t_->wrmsr(t_->host, cpu, index, value) == KUT_OK;
    }
    void cpuid(std::uint32_t cpu, std::uint32_t leaf, std::uint32_t subleaf, std::uint32_t out[4]) const {
        t_->cpuid(t_->host, cpu, leaf, subleaf, out);
    }
    std::uint64_t rdtsc(std::uint32_t cpu) const { return t_->rdtsc(t_->host, cpu); }
    void cli(std::uint32_t cpu) const { t_->cli(t_->host, cpu); }
    void sti(std::uint32_t cpu) const { t_->sti(t_->host, cpu); }
    void hlt(std::uint32_t cpu) const { t_->hlt(t_->host, cpu); }
    void spend(std::uint32_t cpu, std::uint64_t cycles) const {
        if (cycles != 0) {
            t_->spend(t_->host, cpu, cycles);
        }
    }
    kut_lock_id lock_create(const char* name) const { return t_->lock_create(t_->host, name); }
    void lock(std::uint32_t cpu, kut_lock_id id) const { t_->spin_lock(t_->host, cpu, id); }
    void unlock(std::uint32_t cpu, kut_lock_id id) const { t_->spin_unlock(t_->host, cpu, id); }
    bool trylock(std::uint32_t cpu, kut_lock_id id) const { return t_->spin_trylock(t_->host, cpu, id) != 0; }
    void switch_to(std::uint32_t cpu, kut_task_id task) const { t_->switch_to(t_->host, cpu, task); }

    // Instrumentation.
    std::uint64_t now_ps() const { return t_->now_ps(t_->host); }
    void metric_add(const char* name, std::uint64_t delta) const { t_->metric_add(t_->host, name, delta); }
    void metric_set(const char* name, double value) const { t_->metric_set(t_->host, name, value); }
    void metric_sample(const char* name, std::uint64_t ps) const { t_->metric_sample(t_->host, name, ps); }
    void log(std::uint32_t cpu, int level, const char* format, ...) const
        __attribute__((format(printf, 4, 5)));

  private:
    const kut_hal* t_ = nullptr;
};

// Held for a scope; a no-op when constructed with `take` false (the caller already holds it).
class LockGuard {
  public:
    LockGuard(const Hal& hal, std::uint32_t cpu, kut_lock_id id, bool take = true)
        : hal_(hal), cpu_(cpu), id_(id), held_(take) {
        if (held_) {
            hal_.lock(cpu_, id_);
        }
    }
    ~LockGuard() {
        if (held_) {
            hal_.unlock(cpu_, id_);
        }
    }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

  private:
    const Hal& hal_;
    std::uint32_t cpu_;
    kut_lock_id id_;
    bool held_;
};

} // namespace kut
