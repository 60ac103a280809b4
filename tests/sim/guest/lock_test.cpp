// Simulated spin locks (design/GUEST-MODEL.md "Locks"): FIFO by arrival, ties by CPU index, hand-off at
// the release instant, wait charged to sched.lock_wait and the lock's own metrics, in exact time.
#include "tests/sim/cpu/script_guest.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

constexpr std::uint64_t kHandoffPs = 30'000; // lock_acquire 20 + lock_handoff 70 cycles at 3 GHz

TEST(SpinLocks, FifoWithTiesByCpuAndExactLockWait) {
    ScriptGuest guest;
    kut_lock_id lock = 0;
    guest.boot = [&](std::uint32_t cpu) {
        lock = guest.hal->lock_create(guest.hal->host, "sched.test");
        guest.enable_lapic(cpu);
        guest.hal->spin_lock(guest.hal->host, cpu, lock);
        guest.lapic_write(cpu, kIcrLow, 0xC4500);       // INIT to all APs
        guest.lapic_write(cpu, kIcrLow, 0xC4610);       // SIPI: both APs start at the same instant
        guest.hal->spend(guest.hal->host, cpu, 30'000); // hold it 10 us
        guest.record("release", cpu);
        guest.hal->spin_unlock(guest.hal->host, cpu, lock);
    };
    guest.ap_start = [&](std::uint32_t cpu, std::uint8_t) {
        guest.record("arrive", cpu);
        guest.hal->spin_lock(guest.hal->host, cpu, lock);
        guest.record("acquired", cpu);
        guest.hal->spend(guest.hal->host, cpu, 3'000); // 1 us
        guest.record("release", cpu);
        guest.hal->spin_unlock(guest.hal->host, cpu, lock);
    };
    Machine machine(test_config(3, 1'000'000, 100'000'000), guest);
    machine.run_to(100'000'000);

    const auto arrive = guest.of("arrive");
    const auto acquired = guest.of("acquired");
    const auto release = guest.of("release");
    ASSERT_EQ(arrive.size(), 2U);
    ASSERT_EQ(acquired.size(), 2U);
    ASSERT_EQ(release.size(), 3U);
    EXPECT_EQ(arrive[0].time_ps, arrive[1].time_ps); // a tie
    // CPU 1 wins the tie; each waiter gets the lock at the previous holder's release + hand-off cost.
    EXPECT_EQ(acquired[0].cpu, 1U);
    EXPECT_EQ(acquired[1].cpu, 2U);
    EXPECT_EQ(release[0].cpu, 0U);
    EXPECT_EQ(acquired[0].time_ps, release[0].time_ps + kHandoffPs);
    EXPECT_EQ(release[1].time_ps, acquired[0].time_ps + 1'000'000U);
    EXPECT_EQ(acquired[1].time_ps, release[1].time_ps + kHandoffPs);

    const auto wait_ps = (release[0].time_ps - arrive[0].time_ps) + (release[1].time_ps - arrive[1].time_ps);
    const auto& r = machine.registry();
    EXPECT_DOUBLE_EQ(r.value("sched.lock_wait").value_or(-1), static_cast<double>(wait_ps) / 1e12);
    EXPECT_DOUBLE_EQ(r.value("lock.sched_test.wait").value_or(-1), static_cast<double>(wait_ps) / 1e12);
    EXPECT_EQ(r.counter_value("lock.sched_test.acquisitions"), 3U);
    EXPECT_EQ(r.counter_value("lock.sched_test.contended"), 2U);
    EXPECT_EQ(r.counter_value("guest.lock_errors"), 0U);
}

TEST(SpinLocks, LaterArrivalQueuesBehindEarlierOneAndOtherNamesAreNotSchedWait) {
    ScriptGuest guest;
    kut_lock_id lock = 0;
    guest.boot = [&](std::uint32_t cpu) {
        lock = guest.hal->lock_create(guest.hal->host, "io.queue");
        guest.enable_lapic(cpu);
        guest.hal->spin_lock(guest.hal->host, cpu, lock);
        guest.lapic_write(cpu, kIcrHigh, 2U << 24);
        guest.lapic_write(cpu, kIcrLow, 0x4500);
        guest.lapic_write(cpu, kIcrLow, 0x4610); // CPU 2 first
        guest.lapic_write(cpu, kIcrHigh, 1U << 24);
        guest.lapic_write(cpu, kIcrLow, 0x4500);
        guest.lapic_write(cpu, kIcrLow, 0x4610); // CPU 1 later
        guest.hal->spend(guest.hal->host, cpu, 30'000);
        guest.hal->spin_unlock(guest.hal->host, cpu, lock);
    };
    guest.ap_start = [&](std::uint32_t cpu, std::uint8_t) {
        guest.hal->spin_lock(guest.hal->host, cpu, lock);
        guest.record("acquired", cpu);
        guest.hal->spin_unlock(guest.hal->host, cpu, lock);
    };
    Machine machine(test_config(3, 0, 100'000'000), guest);
    machine.run_to(100'000'000);
    const auto acquired = guest.of("acquired");
    ASSERT_EQ(acquired.size(), 2U);
    EXPECT_EQ(acquired[0].cpu, 2U);
    EXPECT_EQ(acquired[1].cpu, 1U);
    EXPECT_DOUBLE_EQ(machine.registry().value("sched.lock_wait").value_or(-1), 0.0);
    EXPECT_GT(machine.registry().value("lock.io_queue.wait").value_or(0), 0.0);
}

TEST(SpinLocks, MisuseIsCountedNotFatal) {
    ScriptGuest guest;
    guest.boot = [&](std::uint32_t cpu) {
        const auto lock = guest.hal->lock_create(guest.hal->host, "x");
        guest.enable_lapic(cpu);
        guest.hal->spin_unlock(guest.hal->host, cpu, lock); // not held
        guest.hal->spin_lock(guest.hal->host, cpu, 77);     // never created
        EXPECT_EQ(guest.hal->spin_trylock(guest.hal->host, cpu, lock), 1);
        EXPECT_EQ(guest.hal->spin_trylock(guest.hal->host, cpu, lock), 0);
        guest.hal->spin_unlock(guest.hal->host, cpu, lock);
    };
    Machine machine(test_config(1, 0, 1'000'000), guest);
    machine.run_to(1'000'000);
    EXPECT_EQ(machine.registry().counter_value("guest.lock_errors"), 2U);
}

} // namespace
} // namespace x86sim::test
