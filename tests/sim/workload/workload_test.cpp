// The simulated user programs (sim/workload): task creation and placement, and each behaviour's steps
// and metrics, driven directly (no simulation needed).
#include "kut/guest.h"
#include "sim/cpu/task_table.h"
#include "sim/scenario/diagnostic.h"
#include "sim/scenario/loader.h"
#include "sim/workload/behaviours.h"
#include "sim/workload/workload.h"

#include <gtest/gtest.h>

namespace x86sim::test {
namespace {

using sim::cpu::UserStep;
using sim::workload::EntryStats;

scenario::Config load(const std::string& yaml) {
    return scenario::load_scenario_text(yaml, "w.yaml").config;
}

TEST(Workload, TasksAreNumberedInScenarioOrderAndSpreadRoundRobin) {
    const auto config = load(R"(name: w
duration: 1ms
platform: { cpus: 3 }
kernel: {}
workload:
  - task: { name: hog, count: 2, run: cpu, burst: 1ms }
  - task: { name: rt, run: periodic, period: 1ms, work: 10us, priority: "rt:7" }
  - task: { name: pp, run: pingpong, pairs: 1 }
  - threads: { name: spawn, create: 3 }
)");
    sim::cpu::TaskTable tasks;
    sim::workload::Workload workload(config, tasks);
    EXPECT_EQ(workload.initial_task_count(), 6U);
    const auto cpu0 = workload.initial_tasks(0);
    const auto cpu1 = workload.initial_tasks(1);
    const auto cpu2 = workload.initial_tasks(2);
    ASSERT_EQ(cpu0.size(), 2U);
    ASSERT_EQ(cpu1.size(), 2U);
    ASSERT_EQ(cpu2.size(), 2U);
    EXPECT_EQ(cpu0[0].id, 1U); // hog
    EXPECT_EQ(cpu1[0].id, 2U); // hog
    EXPECT_EQ(cpu2[0].id, 3U); // rt probe
    EXPECT_EQ(cpu2[0].task_class, KUT_CLASS_RT_FIFO);
    EXPECT_EQ(cpu2[0].level, 7);
    EXPECT_EQ(cpu0[1].id, 4U); // ping
    EXPECT_EQ(cpu1[1].id, 5U); // pong
    EXPECT_EQ(cpu2[1].id, 6U); // spawner
    EXPECT_EQ(cpu0[0].task_class, KUT_CLASS_NORMAL);
}

// The names traces and messages show: given by the workload when it creates each task (a ping-pong
// entry's pairs are numbered on across its copies; a spawner's threads after its name).
TEST(Workload, NamesEveryTaskItCreates) {
    const auto config = load(R"(name: w
duration: 1ms
platform: { cpus: 2 }
kernel: {}
workload:
  - task: { name: hog, count: 2, run: cpu, burst: 1ms }
  - task: { name: pp, count: 2, run: pingpong, pairs: 1 }
  - threads: { name: spawn, create: 2 }
)");
    sim::cpu::TaskTable tasks;
    sim::workload::Workload workload(config, tasks);
    EXPECT_EQ(tasks.name(KUT_IDLE_TASK), "idle");
    EXPECT_EQ(tasks.name(1), "hog.0");
    EXPECT_EQ(tasks.name(2), "hog.1");
    EXPECT_EQ(tasks.name(3), "pp.a0");
    EXPECT_EQ(tasks.name(4), "pp.b0");
    EXPECT_EQ(tasks.name(5), "pp.a1");
    EXPECT_EQ(tasks.name(6), "pp.b1");
    EXPECT_EQ(tasks.name(7), "spawn");
    EXPECT_EQ(tasks.name(8), "task 8"); // not created (yet)
    // The spawner's first step creates a thread through the hook the workload gave it.
    const auto step = workload.next_step(7, 0, 0);
    ASSERT_EQ(step.kind, UserStep::Kind::Syscall);
    ASSERT_EQ(step.number, static_cast<std::uint32_t>(KUT_SYS_THREAD_CREATE));
    EXPECT_EQ(tasks.name(static_cast<kut_task_id>(step.arg0)), "spawn.thread0");
}

TEST(Workload, IoEntriesAreRefusedAtTheirLocation) {
    auto config = load(R"(name: w
duration: 1ms
platform:
  devices:
    - nvme: { name: nvme0, bdf: "00:03.0" }
kernel: {}
workload:
  - task: { name: hog, run: cpu }
  - io: { name: fio, device: nvme0 }
)");
    sim::cpu::TaskTable tasks;
    try {
        sim::workload::Workload workload(config, tasks);
        FAIL() << "expected a ScenarioError";
    } catch (const scenario::ScenarioError& error) {
        ASSERT_EQ(error.diagnostics.size(), 1U);
        EXPECT_EQ(error.diagnostics[0].where.line, 9);
        EXPECT_NE(error.diagnostics[0].message.find("NVMe I/O is not modelled"), std::string::npos);
    }
}

TEST(Behaviours, PeriodicProbeMeasuresReleaseToStartAndSkipsOverruns) {
    EntryStats stats;
    auto probe = sim::workload::make_periodic_probe(1000, 200, stats);
    auto step = probe->next(100); // first run: sleep until the release at 1000
    EXPECT_EQ(step.kind, UserStep::Kind::Syscall);
    EXPECT_EQ(step.number, static_cast<std::uint32_t>(KUT_SYS_SLEEP));
    EXPECT_EQ(step.arg0, 900U);
    step = probe->next(1030); // released at 1000, runs at 1030
    EXPECT_EQ(step.kind, UserStep::Kind::Run);
    EXPECT_EQ(step.run_ps, 200U);
    step = probe->next(1230); // work done: sleep until 2000
    EXPECT_EQ(step.arg0, 770U);
    EXPECT_EQ(stats.ops, 1U);
    step = probe->next(1990); // woken early: sleep again
    EXPECT_EQ(step.arg0, 10U);
    step = probe->next(2050);
    EXPECT_EQ(step.kind, UserStep::Kind::Run);
    step = probe->next(4100); // work overran releases 3000 and 4000: next is 5000
    EXPECT_EQ(step.arg0, 900U);
    EXPECT_EQ(stats.missed, 2U);
    EXPECT_EQ(stats.latencies_ps, (std::vector<std::uint64_t>{30, 50}));
}

TEST(Behaviours, PingPongDoesNotLoseAWakeUpThatComesBeforeTheBlock) {
    EntryStats stats;
    auto pair = std::make_shared<sim::workload::PingPongPair>();
    pair->a = 1;
    pair->b = 2;
    auto a = sim::workload::make_ping_pong_side(pair, true, 10, stats);
    auto b = sim::workload::make_ping_pong_side(pair, false, 10, stats);
    EXPECT_EQ(a->next(0).kind, UserStep::Kind::Run); // a works
    auto step = a->next(10);                         // a wakes b (b has not blocked yet)
    EXPECT_EQ(step.number, static_cast<std::uint32_t>(KUT_SYS_WAKE));
    EXPECT_EQ(step.arg0, 2U);
    EXPECT_EQ(a->next(10).number, static_cast<std::uint32_t>(KUT_SYS_BLOCK)); // a waits
    EXPECT_EQ(b->next(20).kind, UserStep::Kind::Run); // b consumes the early wake-up: works, no block
    EXPECT_EQ(b->next(30).arg0, 1U);                  // b wakes a
    EXPECT_EQ(b->next(30).number, static_cast<std::uint32_t>(KUT_SYS_BLOCK));
    EXPECT_EQ(a->next(40).kind, UserStep::Kind::Run); // a was woken: one round trip
    EXPECT_EQ(stats.ops, 1U);
}

TEST(Behaviours, SpawnerCountsCreatedThreadsAndRetiresRefusedIds) {
    EntryStats stats;
    std::vector<kut_task_id> created;
    std::vector<kut_task_id> failed;
    sim::workload::SpawnerHooks hooks{[&] {
                                          created.push_back(static_cast<kut_task_id>(10 + created.size()));
                                          return created.back();
                                      },
                                      [&](kut_task_id id) { failed.push_back(id); }};
    auto spawner = sim::workload::make_spawner(2, KUT_CLASS_NORMAL, 0, std::move(hooks), stats);
    auto step = spawner->next(0);
    EXPECT_EQ(step.number, static_cast<std::uint32_t>(KUT_SYS_THREAD_CREATE));
    EXPECT_EQ(step.arg0, 10U);
    spawner->returned(KUT_SYS_THREAD_CREATE, 0, 1);
    step = spawner->next(1);
    EXPECT_EQ(step.arg0, 11U);
    spawner->returned(KUT_SYS_THREAD_CREATE, -12, 2);
    EXPECT_EQ(spawner->next(2).number, static_cast<std::uint32_t>(KUT_SYS_EXIT));
    EXPECT_EQ(stats.ops, 1U);
    EXPECT_EQ(failed, (std::vector<kut_task_id>{11}));
}

TEST(Behaviours, CpuHogCountsCompletedBurstsAndYielderCallsYield) {
    EntryStats hog_stats;
    auto hog = sim::workload::make_cpu_hog(500, hog_stats);
    EXPECT_EQ(hog->next(0).run_ps, 500U);
    EXPECT_EQ(hog->next(500).run_ps, 500U);
    EXPECT_EQ(hog_stats.ops, 1U);
    EntryStats yield_stats;
    auto yielder = sim::workload::make_yielder(300, yield_stats);
    EXPECT_EQ(yielder->next(0).run_ps, 300U);
    EXPECT_EQ(yielder->next(300).number, static_cast<std::uint32_t>(KUT_SYS_YIELD));
    EXPECT_EQ(yield_stats.ops, 1U);
}

} // namespace
} // namespace x86sim::test
