// Scheduler: DWRR pick order with geometric weights, RT class, switch_ticks, the global lock, lazy and
// targeted wakeups, work stealing, sleep timeouts (redox-kernel.md §1, §2; fix-plan.md §4).
#include "costs.h"
#include "sched/run_queue.h"
#include "sched/weights.h"
#include "tests/kernel_under_test/kernel_fixture.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace kut_test {
namespace {

using kut::sched::RunQueue;
using kut::sched::Task;
using kut::sched::TaskState;

Task make(kut_task_id id, kut_task_class cls, unsigned level) {
    Task t;
    t.id = id;
    t.cls = cls;
    t.level = level;
    return t;
}

TEST(Dwrr, GeometricWeights) {
    EXPECT_EQ(kut::sched::kPrioToWeight[20], 1024u);
    EXPECT_EQ(kut::sched::kPrioToWeight[0], 88761u);
    EXPECT_EQ(kut::sched::kPrioToWeight[39], 15u);
    for (unsigned p = 1; p < kut::sched::kPrioLevels; ++p) {
        const double ratio = double(kut::sched::kPrioToWeight[p - 1]) / kut::sched::kPrioToWeight[p];
        EXPECT_NEAR(ratio, 1.25, 0.06) << p; // integer table: 18/15 = 1.2 at the end
    }
    EXPECT_EQ(kut::sched::prio_from_nice(0), 20u);
    EXPECT_EQ(kut::sched::prio_from_nice(-30), 0u);
    EXPECT_EQ(kut::sched::prio_from_nice(19), 39u);
}

TEST(Dwrr, QueueWithLowBalanceIsSkippedUntilItsWeightAccumulates) {
    RunQueue rq;
    kut::sched::DwrrState st;
    const Task a = make(1, KUT_CLASS_NORMAL, 20);
    rq.push(a);
    // The walk starts at queue 0 and reaches 20 on visit 21: balance 0 < 1024, so +1024 and skipped;
    // it comes round all 40 queues and picks it on visit 61.
    auto pick = rq.pop_dwrr(st);
    ASSERT_TRUE(pick);
    EXPECT_EQ(pick->id, 1u);
    EXPECT_EQ(pick->visits, 61u);
    EXPECT_EQ(st.balance[20], 0);
    EXPECT_EQ(st.last_queue, 20u);
    EXPECT_FALSE(rq.pop_dwrr(st));
}

TEST(Dwrr, PicksAreProportionalToWeight) {
    // Three CPU hogs at prio 15, 20 and 25: each pick puts the previous one back at the tail.
    RunQueue rq;
    kut::sched::DwrrState st;
    std::map<kut_task_id, Task> tasks = {{1, make(1, KUT_CLASS_NORMAL, 15)},
                                         {2, make(2, KUT_CLASS_NORMAL, 20)},
                                         {3, make(3, KUT_CLASS_NORMAL, 25)}};
    for (auto& [id, t] : tasks) {
        rq.push(t);
    }
    std::map<kut_task_id, unsigned> picks;
    for (int i = 0; i < 20000; ++i) {
        auto pick = rq.pop_dwrr(st);
        ASSERT_TRUE(pick);
        ++picks[pick->id];
        rq.push(tasks[pick->id]);
    }
    const double w15 = kut::sched::kPrioToWeight[15];
    const double w20 = kut::sched::kPrioToWeight[20];
    const double w25 = kut::sched::kPrioToWeight[25];
    EXPECT_NEAR(double(picks[1]) / picks[2], w15 / w20, 0.05 * w15 / w20);
    EXPECT_NEAR(double(picks[3]) / picks[2], w25 / w20, 0.05 * w25 / w20);
}

TEST(Dwrr, SameQueueIsRoundRobin) {
    RunQueue rq;
    kut::sched::DwrrState st;
    for (kut_task_id id = 1; id <= 3; ++id) {
        rq.push(make(id, KUT_CLASS_NORMAL, 20));
    }
    std::vector<kut_task_id> order;
    for (int i = 0; i < 6; ++i) {
        auto pick = rq.pop_dwrr(st);
        order.push_back(pick->id);
        rq.push(make(pick->id, KUT_CLASS_NORMAL, 20));
    }
    EXPECT_EQ(order, (std::vector<kut_task_id>{1, 2, 3, 1, 2, 3}));
}

TEST(RtClass, RtBeatsNormalAndLowerLevelFirst) {
    RunQueue rq;
    kut::sched::DwrrState st;
    rq.push(make(1, KUT_CLASS_NORMAL, 0));
    rq.push(make(2, KUT_CLASS_RT_RR, 5));
    rq.push(make(3, KUT_CLASS_RT_FIFO, 2));
    EXPECT_EQ(rq.highest_rt_level(), 2);
    EXPECT_EQ(rq.pop(st)->id, 3u);
    EXPECT_EQ(rq.pop(st)->id, 2u);
    EXPECT_EQ(rq.pop(st)->id, 1u);
    EXPECT_TRUE(rq.empty());
    EXPECT_TRUE(kut::sched::outranks(make(4, KUT_CLASS_RT_FIFO, 9), make(5, KUT_CLASS_NORMAL, 0)));
    EXPECT_FALSE(kut::sched::outranks(make(4, KUT_CLASS_RT_FIFO, 3), make(5, KUT_CLASS_RT_RR, 3)));
}

// Where a task is queued before user space starts.
struct Placement {
    std::uint32_t cpu;
    kut_task_id id;
    kut_task_class cls = KUT_CLASS_NORMAL;
    std::int32_t level = 0;
};

class SchedTest : public KernelTest {
  protected:
    // `cpus` CPUs with `tasks` queued, booted, and the BSP tick count (bsp_tick) starting now.
    void boot_with(std::uint32_t cpus, std::initializer_list<Placement> tasks) {
        set_cpus(cpus);
        place(tasks);
        boot();
        mark_boot_time();
    }
    void place(std::initializer_list<Placement> tasks) {
        for (const Placement& t : tasks) {
            add(t.cpu, t.id, t.cls, t.level);
        }
    }
    // Two normal CPU hogs, tasks 1 and 2, both queued on CPU 0.
    void boot_two_hogs_on_cpu0(std::uint32_t cpus) { boot_with(cpus, {{0, 1}, {0, 2}}); }
    void idle_all() {
        for (std::uint32_t cpu = 0; cpu < cfg.cpus; ++cpu) {
            guest->idle(cpu);
        }
    }
    // Task 1 runs on CPU 0; task 2, alone on CPU 1, blocks and leaves CPU 1 to its idle task.
    void block_the_only_task_on_cpu1() {
        boot_with(2, {{0, 1}, {1, 2}});
        idle_all();
        ASSERT_EQ(sys(1, KUT_SYS_BLOCK), 0);
        ASSERT_EQ(running(1), KUT_IDLE_TASK);
    }
    // Task 2 last ran on CPU 1, which now runs task 3; task 1 on CPU 0 is the one to wake task 2.
    // `others` are queued on the CPUs beyond the first two.
    void park_task_on_cpu1(std::uint32_t cpus, std::initializer_list<Placement> others = {}) {
        set_cpus(cpus);
        place({{0, 1}, {1, 2}, {1, 3}});
        place(others);
        boot();
        mark_boot_time();
        idle_all();
        ASSERT_EQ(running(1), 2u);
        ASSERT_EQ(sys(1, KUT_SYS_BLOCK), 0);
        ASSERT_EQ(running(1), 3u);
    }
    // On a clean record, CPU 0's syscall succeeds and sends exactly one IPI (hal.ipis[0]).
    void cpu0_call_sends_one_ipi(std::uint32_t number, std::uint64_t a0, std::uint64_t a1 = 0,
                                 std::uint64_t a2 = 0) {
        hal.clear_records();
        EXPECT_EQ(sys(0, number, a0, a1, a2), 0);
        ASSERT_EQ(hal.ipis.size(), 1u);
    }
    bool lock_created(const std::string& name) const {
        return std::find(hal.lock_names.begin(), hal.lock_names.end(), name) != hal.lock_names.end();
    }
};

TEST_F(SchedTest, PreemptsExactlyEverySwitchTicks) {
    boot_two_hogs_on_cpu0(1);
    guest->idle(0);
    ASSERT_EQ(running(0), 1u);
    std::vector<kut_task_id> per_tick;
    for (int i = 0; i < 9; ++i) {
        bsp_tick();
        per_tick.push_back(running(0));
    }
    EXPECT_EQ(per_tick, (std::vector<kut_task_id>{1, 1, 2, 2, 2, 1, 1, 1, 2}));
    EXPECT_EQ(hal.counter("sched.ticks"), 9u);
    // A hog preempted at the end of its slice waits 3 ticks for the other one: 3 x 4.062 ms.
    const auto& waits = hal.samples["sched.switch_latency"];
    ASSERT_EQ(waits.size(), 2u); // task 1 back at tick 6, task 2 back at tick 9
    for (const auto ps : waits) {
        EXPECT_NEAR(double(ps), 3 * 4'062'246'998.0, 3 * 4'062'246'998.0 * 1e-3);
    }
}

TEST_F(SchedTest, SwitchTicksOneAtLapic1000HzGivesOneMillisecond) {
    cfg.tick_source = KUT_TICK_LAPIC;
    cfg.tick_mode = KUT_TICK_TSC_DEADLINE;
    cfg.tick_hz = 1000;
    cfg.switch_ticks = 1;
    boot_two_hogs_on_cpu0(1);
    const std::uint64_t start = hal.now_ps();
    guest->idle(0);
    for (int i = 1; i <= 4; ++i) {
        hal.advance_to_ps(start + i * 1'000'000'000ull);
        guest->interrupt(0, 48);
    }
    const auto& waits = hal.samples["sched.switch_latency"];
    ASSERT_GE(waits.size(), 2u);
    EXPECT_NEAR(double(waits.back()), 1e9, 1e9 * 0.01);
    EXPECT_EQ(hal.counter("sched.ticks"), 4u);
}

TEST_F(SchedTest, TickFindingTheGlobalLockHeldIsOnlyCounted) {
    boot_two_hogs_on_cpu0(1);
    guest->idle(0);
    EXPECT_TRUE(lock_created("sched.context_switch"));
    hal.busy_locks.insert("sched.context_switch");
    bsp_tick();
    bsp_tick();
    bsp_tick();
    bsp_tick();
    EXPECT_EQ(running(0), 1u);
    EXPECT_EQ(hal.counter("sched.tick_lock_busy"), 2u);
    hal.busy_locks.clear();
    bsp_tick();
    EXPECT_EQ(running(0), 2u);
}

TEST_F(SchedTest, PerCpuLocksAreNamedPerRunQueue) {
    cfg.sched_lock = KUT_LOCK_PER_CPU;
    boot();
    for (const char* name : {"sched.rq.0", "sched.rq.1", "sched.rq.2", "sched.rq.3"}) {
        EXPECT_TRUE(lock_created(name)) << name;
    }
    EXPECT_FALSE(lock_created("sched.context_switch"));
}

TEST_F(SchedTest, RtTaskPreemptsANormalTaskAtOnce) {
    boot_with(1, {{0, 1}});
    guest->idle(0);
    ASSERT_EQ(running(0), 1u);
    EXPECT_EQ(sys(0, KUT_SYS_THREAD_CREATE, 5, KUT_CLASS_RT_FIFO, 3), 0);
    EXPECT_EQ(running(0), 5u); // immediate dispatch, no tick needed
    EXPECT_EQ(task(1)->state, TaskState::runnable);
    EXPECT_EQ(sys(0, KUT_SYS_BLOCK), 0);
    EXPECT_EQ(running(0), 1u);
    EXPECT_EQ(hal.samples["sched.switch_latency"].size(), 1u);
    // A normal wakeup does not preempt.
    EXPECT_EQ(sys(0, KUT_SYS_THREAD_CREATE, 6, KUT_CLASS_NORMAL, 0), 0);
    EXPECT_EQ(running(0), 1u);
}

TEST_F(SchedTest, RtWakeupOnABusyCpuSendsARescheduleIpi) {
    cfg.sched_lock = KUT_LOCK_PER_CPU;
    boot_with(2, {{0, 1}, {1, 2}, {1, 3, KUT_CLASS_RT_FIFO, 0}});
    idle_all();
    ASSERT_EQ(running(1), 3u); // RT first
    EXPECT_EQ(sys(1, KUT_SYS_BLOCK), 0);
    ASSERT_EQ(running(1), 2u);
    ASSERT_NO_FATAL_FAILURE(cpu0_call_sends_one_ipi(KUT_SYS_WAKE, 3));
    EXPECT_EQ(hal.ipis[0].destination, 1u);
    EXPECT_EQ(hal.ipis[0].vector(), 0x42);
    EXPECT_EQ(running(1), 2u);
    guest->interrupt(1, 0x42);
    EXPECT_EQ(running(1), 3u);
    EXPECT_EQ(hal.samples["sched.wakeup_latency"].size(), 1u);
}

TEST_F(SchedTest, FifoIsNeverRotatedByTicksRrIs) {
    boot_with(1, {{0, 1, KUT_CLASS_RT_FIFO, 2}, {0, 2, KUT_CLASS_RT_FIFO, 2}});
    guest->idle(0);
    for (int i = 0; i < 7; ++i) {
        bsp_tick();
        EXPECT_EQ(running(0), 1u);
    }
    EXPECT_EQ(sys(0, KUT_SYS_YIELD), 0); // FIFO gives the CPU up only itself
    EXPECT_EQ(running(0), 2u);

    FakeHal rr_hal(1);
    kut_config rr = upstream_config(1);
    ASSERT_EQ(guest->init(&rr_hal.table, &rr), 0);
    place({{0, 1, KUT_CLASS_RT_RR, 2}, {0, 2, KUT_CLASS_RT_RR, 2}});
    guest->boot(0);
    guest->idle(0);
    const std::uint64_t start = rr_hal.now_ps();
    const std::uint64_t period = kut::current_kernel()->timer().period_ps();
    std::vector<kut_task_id> seen;
    for (int i = 1; i <= 6; ++i) {
        rr_hal.advance_to_ps(start + i * period);
        guest->interrupt(0, 32);
        seen.push_back(rr_hal.switched_to[0]);
    }
    EXPECT_EQ(seen, (std::vector<kut_task_id>{1, 1, 2, 2, 2, 1}));
}

TEST_F(SchedTest, LazyWakeupBroadcastsIpi0x40AndRunsAtTheTargetsNextSwitch) {
    cfg.sched_lock = KUT_LOCK_PER_CPU; // per-CPU queues make "the target's queue" unambiguous
    ASSERT_NO_FATAL_FAILURE(park_task_on_cpu1(2));
    ASSERT_NO_FATAL_FAILURE(cpu0_call_sends_one_ipi(KUT_SYS_WAKE, 2));
    EXPECT_EQ(hal.ipis[0].low, (3u << 18) | (1u << 14) | 0x40u); // all excluding self
    guest->interrupt(1, 0x40);
    EXPECT_EQ(running(1), 3u); // no forced preemption
    EXPECT_EQ(running(0), 1u);
    for (int i = 0; i < 3; ++i) {
        bsp_tick();
        guest->interrupt(1, 0x43);
    }
    EXPECT_EQ(running(1), 2u); // picked up at CPU 1's next switch
    EXPECT_EQ(hal.samples["sched.wakeup_latency"].size(), 1u);
    EXPECT_EQ(hal.counter("sched.migrations"), 0u);
}

TEST_F(SchedTest, LazyWakeupOfAHaltedCpuRunsAtOnce) {
    ASSERT_NO_FATAL_FAILURE(block_the_only_task_on_cpu1());
    guest->idle(1);
    EXPECT_EQ(hal.hlts[1], 1u);
    EXPECT_EQ(sys(0, KUT_SYS_WAKE, 2), 0);
    guest->interrupt(1, 0x40); // wakes the hlt ...
    guest->idle(1);            // ... and the idle loop switches at once
    EXPECT_EQ(running(1), 2u);
}

TEST_F(SchedTest, IdleLoopSwitchesRightAfterTheInterruptThatEndsHlt) {
    ASSERT_NO_FATAL_FAILURE(block_the_only_task_on_cpu1());
    hal.on_hlt = [&](std::uint32_t) {
        sys(0, KUT_SYS_WAKE, 2);
        guest->interrupt(1, 0x40);
    };
    guest->idle(1); // cli; switch (nothing); sti; hlt -> IPI 0x40; cli; switch -> task 2
    EXPECT_EQ(running(1), 2u);
    EXPECT_EQ(hal.hlts[1], 1u);
    ASSERT_EQ(sys(1, KUT_SYS_BLOCK), 0);
    const auto switches = hal.switch_log.size();
    guest->idle(1); // switch, hlt, switch
    EXPECT_EQ(hal.hlts[1], 2u);
    EXPECT_EQ(hal.switch_log.size(), switches + 2);
    // Nothing new since that empty switch(): the next pass goes straight to hlt.
    guest->idle(1);
    EXPECT_EQ(hal.switch_log.size(), switches + 3);
    EXPECT_EQ(hal.hlts[1], 3u);
}

TEST_F(SchedTest, TargetedWakeupSendsIpi0x42ToOneCpu) {
    cfg.sched_lock = KUT_LOCK_PER_CPU;
    cfg.sched_wakeup = KUT_WAKEUP_TARGETED;
    ASSERT_NO_FATAL_FAILURE(park_task_on_cpu1(4, {{2, 4}, {3, 5}}));
    ASSERT_NO_FATAL_FAILURE(cpu0_call_sends_one_ipi(KUT_SYS_WAKE, 2));
    EXPECT_EQ(hal.ipis[0].destination, 1u);
    EXPECT_EQ(hal.ipis[0].low, (1u << 14) | 0x42u);
    EXPECT_EQ(hal.ipis[0].shorthand(), 0u);
}

TEST_F(SchedTest, TargetedWakeupPrefersAnIdleCpu) {
    cfg.sched_lock = KUT_LOCK_PER_CPU;
    cfg.sched_wakeup = KUT_WAKEUP_TARGETED;
    ASSERT_NO_FATAL_FAILURE(park_task_on_cpu1(3));
    ASSERT_NO_FATAL_FAILURE(cpu0_call_sends_one_ipi(KUT_SYS_WAKE, 2));
    EXPECT_EQ(hal.ipis[0].destination, 2u);
    guest->interrupt(2, 0x42);
    guest->idle(2);
    EXPECT_EQ(running(2), 2u);
    EXPECT_EQ(hal.counter("sched.migrations"), 1u);
}

TEST_F(SchedTest, IdleCpuStealsWork) {
    cfg.sched_lock = KUT_LOCK_PER_CPU;
    cfg.sched_balance = KUT_BALANCE_WORK_STEALING;
    boot_two_hogs_on_cpu0(2);
    guest->idle(0);
    ASSERT_EQ(running(0), 1u);
    guest->idle(1);
    EXPECT_EQ(running(1), 2u);
    EXPECT_EQ(hal.counter("sched.steals"), 1u);
    // Work queued on a busy CPU kicks an idle one with IPI 0x42, which then steals it.
    ASSERT_EQ(sys(1, KUT_SYS_BLOCK), 0);
    guest->idle(1);
    ASSERT_EQ(running(1), KUT_IDLE_TASK);
    ASSERT_NO_FATAL_FAILURE(cpu0_call_sends_one_ipi(KUT_SYS_THREAD_CREATE, 7, KUT_CLASS_NORMAL, 0));
    EXPECT_EQ(hal.ipis[0].destination, 1u);
    EXPECT_EQ(hal.ipis[0].vector(), 0x42);
    guest->interrupt(1, 0x42);
    guest->idle(1);
    EXPECT_EQ(running(1), 7u);
    EXPECT_EQ(hal.counter("sched.steals"), 1u);
}

TEST_F(SchedTest, WithoutStealingAnIdleCpuStaysIdle) {
    cfg.sched_lock = KUT_LOCK_PER_CPU;
    boot_two_hogs_on_cpu0(2);
    idle_all();
    EXPECT_EQ(running(1), KUT_IDLE_TASK);
    EXPECT_EQ(hal.counter("sched.steals"), 0u);
}

TEST_F(SchedTest, SleepEndsAtTheFirstTickAfterTheTimeout) {
    boot_with(1, {{0, 1}});
    guest->idle(0);
    ASSERT_EQ(sys(0, KUT_SYS_SLEEP, 10'000'000'000ull), 0); // 10 ms
    EXPECT_EQ(running(0), KUT_IDLE_TASK);
    EXPECT_EQ(kernel->scheduler().timeouts(), 1u);
    bsp_tick(); // 4.06 ms
    bsp_tick(); // 8.12 ms
    EXPECT_EQ(task(1)->state, TaskState::sleeping);
    bsp_tick(); // 12.19 ms: expired
    EXPECT_EQ(task(1)->state, TaskState::runnable);
    guest->idle(0);
    EXPECT_EQ(running(0), 1u);
    EXPECT_EQ(kernel->scheduler().timeouts(), 0u);
}

TEST_F(SchedTest, BlockAfterAnEarlyWakeReturnsAtOnce) {
    boot_with(2, {{0, 1}, {1, 2}});
    idle_all();
    EXPECT_EQ(sys(0, KUT_SYS_WAKE, 2), 0); // 2 is running: remembered
    EXPECT_EQ(sys(1, KUT_SYS_BLOCK), 0);
    EXPECT_EQ(running(1), 2u);
    EXPECT_EQ(sys(1, KUT_SYS_EXIT), 0);
    EXPECT_EQ(running(1), KUT_IDLE_TASK);
    EXPECT_EQ(sys(0, KUT_SYS_WAKE, 2), -3);
}

TEST_F(SchedTest, ContextSwitchesAndCostsAreReported) {
    boot_two_hogs_on_cpu0(1);
    guest->idle(0);
    const std::uint64_t before = hal.spent_cycles;
    EXPECT_EQ(sys(0, KUT_SYS_YIELD), 0);
    EXPECT_EQ(running(0), 2u);
    EXPECT_EQ(hal.counter("sched.context_switches"), 2u); // idle -> 1, 1 -> 2
    EXPECT_GE(hal.spent_cycles - before, kut::costs::kSyscallEntry + kut::costs::kContextSwitch);
}

// redox-kernel.md §2 DWRR: the global-queue kernel rescans IDLE_CONTEXTS (every blocked or sleeping
// context) at each switch; per-CPU queues do not. The yield below costs exactly 3 entries more.

TEST_F(SchedTest, GlobalQueueSwitchRescansWaitingContexts) {
    boot_with(1, {{0, 1}, {0, 2}, {0, 10}, {0, 11}, {0, 12}}); // 10, 11 and 12 become sleepers
    guest->idle(0);
    // Let the three sleepers run once each and block: they join the waiting list.
    while (running(0) != 1u && running(0) != 2u) {
        ASSERT_EQ(sys(0, KUT_SYS_BLOCK), 0);
    }
    for (int round = 0;
         round < 6 && (task(10)->state != TaskState::blocked || task(11)->state != TaskState::blocked ||
                       task(12)->state != TaskState::blocked);
         ++round) {
        const auto current = running(0);
        ASSERT_EQ(sys(0, current >= 10u ? KUT_SYS_BLOCK : KUT_SYS_YIELD), 0);
    }
    ASSERT_EQ(task(10)->state, TaskState::blocked);
    ASSERT_EQ(task(11)->state, TaskState::blocked);
    ASSERT_EQ(task(12)->state, TaskState::blocked);
    const std::uint64_t before = hal.spent_cycles;
    ASSERT_EQ(sys(0, KUT_SYS_YIELD), 0);
    const std::uint64_t with_three = hal.spent_cycles - before;
    // Wake one sleeper: one entry fewer on the next switch.
    ASSERT_EQ(sys(0, KUT_SYS_WAKE, 10), 0);
    const std::uint64_t before_two = hal.spent_cycles;
    ASSERT_EQ(sys(0, KUT_SYS_YIELD), 0);
    const std::uint64_t with_two = hal.spent_cycles - before_two;
    EXPECT_GE(with_three, 3 * kut::costs::kIdleContextScanPerEntry);
    EXPECT_EQ(with_three - with_two, kut::costs::kIdleContextScanPerEntry)
        << with_three << " vs " << with_two;
}

} // namespace
} // namespace kut_test
