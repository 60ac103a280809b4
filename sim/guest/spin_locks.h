// Guest spin locks contended in simulated time (design/GUEST-MODEL.md "Locks").
//
// lock: the CPU has synchronised (the HAL does it first, so the lock is seen as it is at the CPU's exact
// local time). Free with nobody queued -> taken at once, charging lock_acquire. Otherwise the CPU joins
// the lock's queue, ordered by arrival time then CPU index (FIFO, deterministic ties), and waits in
// simulated time - taking interrupts meanwhile if its IF is 1, as a spin loop with interrupts enabled
// does. Release hands the lock straight to the head of the queue at the release instant; the new owner
// pays lock_acquire + lock_handoff (the cache line moves). The wait (arrival to hand-off) is charged to
// the lock's name, and to sched.lock_wait for names starting with "sched".
//
// Guest bugs are answered as hardware would and counted (`errors`): taking a lock this CPU already owns
// or already waits for deadlocks the CPU for good; unlocking a lock the CPU does not own is ignored; an
// unknown lock id is ignored.
//
// Per-name metrics (locks created under one name are added together; characters outside [A-Za-z0-9_-]
// become '_'): lock.<name>.wait (seconds), lock.<name>.acquisitions, lock.<name>.contended.
#pragma once

#include "kut/hal.h"
#include "models/common/metric_sink.h"

#include <cstdint>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

namespace x86sim::sim::cpu {
class Cpu;
}

namespace x86sim::sim::guest {

class SpinLocks {
  public:
    kut_lock_id create(const char* name);
    // `cpu` is the calling CPU, already synchronised.
    void lock(cpu::Cpu& cpu, kut_lock_id id);
    bool trylock(cpu::Cpu& cpu, kut_lock_id id);
    void unlock(cpu::Cpu& cpu, kut_lock_id id);

    std::uint64_t sched_wait_ps() const;
    std::uint64_t errors() const { return errors_; }
    std::size_t size() const { return locks_.size(); }
    void report_metrics(models::MetricSink& sink) const;

  private:
    struct Waiter {
        std::uint64_t arrival_ps;
        unsigned cpu;
    };
    struct Lock {
        std::string name;
        int owner = -1;
        std::vector<Waiter> queue; // sorted by (arrival, cpu)
        sc_core::sc_event handed_over;
        std::uint64_t acquisitions = 0;
        std::uint64_t contended = 0;
        std::uint64_t wait_ps = 0;
    };
    Lock* find(kut_lock_id id);

    std::vector<std::unique_ptr<Lock>> locks_; // id = index + 1
    std::uint64_t errors_ = 0;
};

} // namespace x86sim::sim::guest
