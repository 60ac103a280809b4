#include "sim/metrics/catalog.h"
#include "sim/metrics/did_you_mean.h"

#include <gtest/gtest.h>
#include <set>
#include <sstream>

namespace x86sim::metrics {
namespace {

TEST(Catalog, LiteralAndPatternMatches) {
    auto tick = match_metric("sched.tick_hz");
    ASSERT_TRUE(tick);
    EXPECT_EQ(tick->row->pattern, "sched.tick_hz");
    EXPECT_EQ(tick->unit, UnitKind::hz);

    auto fires = match_metric("cpu12.lapic.timer.fires");
    ASSERT_TRUE(fires);
    EXPECT_EQ(fires->row->pattern, "cpu{N}.lapic.timer.fires");
    ASSERT_EQ(fires->captures.size(), 1U);
    EXPECT_EQ(fires->captures[0], (std::pair<std::string, std::string>{"N", "12"}));

    auto iops = match_metric("nvme0.iops");
    ASSERT_TRUE(iops);
    EXPECT_EQ(iops->captures[0].second, "nvme0");

    auto latency = match_metric("workload.probe.latency.p99");
    ASSERT_TRUE(latency);
    EXPECT_EQ(latency->row->pattern, "workload.{name}.latency");
    EXPECT_EQ(latency->field, "p99");
    EXPECT_EQ(latency->unit, UnitKind::seconds);
    EXPECT_EQ(match_metric("workload.probe.latency.count")->unit, UnitKind::count);

    EXPECT_EQ(match_metric("hpet.timer2.fires")->row->pattern, "hpet.timer{T}.fires");
    EXPECT_EQ(match_metric("pit.fires")->row->pattern, "pit.fires");
    EXPECT_TRUE(match_metric("sim.wall_s")->row->wall_clock);
}

TEST(Catalog, NonMatches) {
    EXPECT_FALSE(match_metric("sched.tick_hzz"));
    EXPECT_FALSE(match_metric("cpu.lapic.eoi"));        // no index
    EXPECT_FALSE(match_metric("cpu01.lapic.eoi"));      // leading zero
    EXPECT_FALSE(match_metric("sched.wakeup_latency")); // histogram needs a field
    EXPECT_FALSE(match_metric("sched.wakeup_latency.p42"));
    EXPECT_FALSE(match_metric(""));
    EXPECT_FALSE(match_metric("a.b.c.d.e.f.g"));
}

TEST(Catalog, Suggestions) {
    Instances instances;
    instances.cpus = 2;
    instances.devices = {"nvme0", "storm0"};
    instances.workloads = {"probe"};
    EXPECT_EQ(suggest_metric("sched.tick_hzz", instances), "sched.tick_hz");
    EXPECT_EQ(suggest_metric("nvme0.iop", instances), "nvme0.iops");
    EXPECT_EQ(suggest_metric("workload.prob.latency.p99", instances), "workload.probe.latency.p99");
    EXPECT_EQ(suggest_metric("sched.wakeup_latency.p9", instances), "sched.wakeup_latency.p99");
    EXPECT_FALSE(suggest_metric("completely.unrelated.thing", instances));
}

TEST(Catalog, EveryRowIsDocumentedAndUnique) {
    std::set<std::string_view> patterns;
    for (const CatalogRow& row : catalog()) {
        EXPECT_FALSE(row.description.empty()) << row.pattern;
        EXPECT_TRUE(patterns.insert(row.pattern).second) << "duplicate " << row.pattern;
    }
    // The names SCENARIOS.md promises (and the additions of the brief).
    for (const char* name : {"sim.time",
                             "sim.events",
                             "cpu0.busy",
                             "cpu0.irq_time",
                             "cpu0.idle",
                             "cpu0.lapic.irr_coalesced",
                             "cpu0.lapic.spurious",
                             "cpu0.lapic.eoi",
                             "cpu0.lapic.accepted",
                             "cpu0.lapic.ipis_sent",
                             "cpu0.lapic.errors",
                             "cpu0.lapic.timer.first_fire",
                             "cpu0.lapic.timer.last_fire",
                             "ioapic.deliveries",
                             "kernel.calibration.error_ppm",
                             "sched.context_switches",
                             "sched.migrations",
                             "sched.steals",
                             "sched.lock_wait",
                             "sched.wakeup_latency.mean",
                             "sched.switch_latency.max",
                             "irq.delivered",
                             "irq.coalesced",
                             "irq.spurious",
                             "irq.blocked",
                             "irq.latency.p50",
                             "iommu.translations",
                             "iommu.iotlb.hits",
                             "iommu.iotlb.misses",
                             "iommu.faults",
                             "iommu.ir.faults",
                             "dma.bounce_bytes",
                             "dma.stray_writes_landed",
                             "nvme0.bandwidth",
                             "nvme0.latency.max",
                             "nvme0.commands",
                             "nvme0.errors",
                             "nvme0.interrupts",
                             "nvme0.lost_writes",
                             "proc.thread_create.ipc_hops",
                             "proc.thread_create.latency.p99",
                             "workload.w.ops",
                             "workload.w.ops_per_s"}) {
        EXPECT_TRUE(match_metric(name)) << name;
    }
    std::ostringstream printed;
    print_catalog(printed);
    EXPECT_NE(printed.str().find("sched.wakeup_latency.{count,min,mean,p50,p99,max}"), std::string::npos);
    EXPECT_NE(printed.str().find("cpu{N}.lapic.timer.fires"), std::string::npos);
}

TEST(DidYouMean, EditDistanceAndThreshold) {
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
    EXPECT_EQ(edit_distance("", "abc"), 3U);
    EXPECT_EQ(edit_distance("same", "same"), 0U);
    EXPECT_EQ(closest_match("cpu_frq", {"cpus", "cpu_freq", "tsc_freq"}), "cpu_freq");
    EXPECT_FALSE(closest_match("zzzzzz", {"cpus", "cpu_freq"}));
    EXPECT_EQ(did_you_mean("hzz", {"hz", "divisor"}), "; did you mean 'hz'?");
    EXPECT_EQ(did_you_mean("qqqqqq", {"hz"}), "");
}

} // namespace
} // namespace x86sim::metrics
