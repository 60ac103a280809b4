// Thread creation hop counts per variant (redox-kernel.md §7; fix-plan.md §1, §8).
#include "costs.h"
#include "proc/thread_create.h"
#include "tests/kernel_under_test/kernel_fixture.h"

namespace kut_test {
namespace {

struct Variant {
    kut_thread_create variant;
    unsigned hops;
};

class ThreadCreateTest : public KernelTest, public ::testing::WithParamInterface<Variant> {};

TEST_P(ThreadCreateTest, ReportsIpcHopsAndLatency) {
    cfg.thread_create = GetParam().variant;
    set_cpus(1);
    add(0, 1, KUT_CLASS_NORMAL, 0);
    boot();
    guest->idle(0);
    hal.clear_records();
    const std::uint64_t before = hal.spent_cycles;
    EXPECT_EQ(sys(0, KUT_SYS_THREAD_CREATE, 10, KUT_CLASS_NORMAL, 0), 0);
    EXPECT_EQ(sys(0, KUT_SYS_THREAD_CREATE, 11, KUT_CLASS_NORMAL, static_cast<std::uint64_t>(-5)), 0);
    EXPECT_EQ(hal.counter("proc.thread_create.ipc_hops"), 2u * GetParam().hops);
    const auto plan = kut::proc::thread_create_plan(GetParam().variant);
    EXPECT_EQ(plan.ipc_round_trips, GetParam().hops);
    EXPECT_EQ(plan.kernel_writes, 3u);
    const std::uint64_t cycles = kut::proc::thread_create_cycles(plan);
    ASSERT_EQ(hal.samples["proc.thread_create.latency"].size(), 2u);
    EXPECT_EQ(hal.samples["proc.thread_create.latency"][0], cycles * 1000 / 3); // at 3 GHz
    EXPECT_GE(hal.spent_cycles - before, 2 * cycles);
    // The new contexts are runnable on the calling CPU, with their nice applied.
    ASSERT_NE(task(11), nullptr);
    EXPECT_EQ(task(11)->level, 15u);
    EXPECT_EQ(task(10)->state, kut::sched::TaskState::runnable);
    EXPECT_EQ(sys(0, KUT_SYS_THREAD_CREATE, 10, 0, 0), -17);
    EXPECT_EQ(sys(0, KUT_SYS_THREAD_CREATE, 0, 0, 0), -22);
}

INSTANTIATE_TEST_SUITE_P(Variants, ThreadCreateTest,
                         ::testing::Values(Variant{KUT_THREAD_CREATE_UPSTREAM, 6},
                                           Variant{KUT_THREAD_CREATE_IPC3, 3},
                                           Variant{KUT_THREAD_CREATE_IPC2, 2}));

TEST(ThreadCreateCost, FewerHopsCostLess) {
    using kut::proc::thread_create_cycles;
    using kut::proc::thread_create_plan;
    EXPECT_GT(thread_create_cycles(thread_create_plan(KUT_THREAD_CREATE_UPSTREAM)),
              thread_create_cycles(thread_create_plan(KUT_THREAD_CREATE_IPC3)));
    EXPECT_GT(thread_create_cycles(thread_create_plan(KUT_THREAD_CREATE_IPC3)),
              thread_create_cycles(thread_create_plan(KUT_THREAD_CREATE_IPC2)));
    EXPECT_EQ(thread_create_cycles(thread_create_plan(KUT_THREAD_CREATE_UPSTREAM)) -
                  thread_create_cycles(thread_create_plan(KUT_THREAD_CREATE_IPC3)),
              3 * kut::costs::kIpcRoundTrip);
}

} // namespace
} // namespace kut_test
