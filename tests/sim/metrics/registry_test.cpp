#include "sim/metrics/registry.h"

#include <gtest/gtest.h>

namespace x86sim::metrics {
namespace {

TEST(Registry, CountersGaugesAndHistograms) {
    Registry r;
    models::MetricSink& sink = r;
    sink.counter("pit.fires", 5);
    sink.counter("pit.fires", 7); // set, not add
    r.add("irq.delivered");
    r.add("irq.delivered", 2);
    sink.gauge("sched.tick_hz", 246.17);
    sink.latency_sample("irq.latency", 2'000'000);
    sink.latency_sample("irq.latency", 4'000'000);
    EXPECT_EQ(r.value("pit.fires"), 7.0);
    EXPECT_EQ(r.counter_value("irq.delivered"), 3U);
    EXPECT_EQ(r.value("sched.tick_hz"), 246.17);
    EXPECT_DOUBLE_EQ(*r.value("irq.latency.max"), 4e-6);
    EXPECT_DOUBLE_EQ(*r.value("irq.latency.mean"), 3e-6);
    EXPECT_EQ(r.value("irq.latency.count"), 2.0);
    EXPECT_FALSE(r.value("irq.latency").has_value());
    EXPECT_FALSE(r.value("irq.latency.p77").has_value());
    EXPECT_FALSE(r.value("nothing").has_value());
    EXPECT_FALSE(r.counter_value("sched.tick_hz").has_value());
}

TEST(Registry, UnitsComeFromTheCatalog) {
    Registry r;
    r.gauge("sched.tick_hz", 1000);
    r.latency_sample("nvme0.latency", 1);
    r.counter("dma.bounce_bytes", 4096);
    r.counter("my.own", 1);
    r.set_unit("my.own.rate", UnitKind::per_second);
    EXPECT_EQ(r.unit_of("sched.tick_hz"), UnitKind::hz);
    EXPECT_EQ(r.unit_of("nvme0.latency.p99"), UnitKind::seconds);
    EXPECT_EQ(r.unit_of("nvme0.latency.count"), UnitKind::count);
    EXPECT_EQ(r.unit_of("dma.bounce_bytes"), UnitKind::bytes);
    EXPECT_EQ(r.unit_of("my.own"), UnitKind::count);
    EXPECT_EQ(r.unit_of("my.own.rate"), UnitKind::per_second);
    EXPECT_EQ(r.unit_of("cpu3.busy"), UnitKind::ratio);
}

TEST(Registry, FlattenIsSortedAndMarksWallClockMetrics) {
    Registry r;
    r.gauge("sim.wall_s", 1.25);
    r.counter("b", 2);
    r.latency_sample("a.lat", 10);
    const auto flat = r.flatten();
    std::vector<std::string> names;
    for (const auto& metric : flat) {
        names.push_back(metric.name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"a.lat.count", "a.lat.max", "a.lat.mean", "a.lat.min",
                                               "a.lat.p50", "a.lat.p99", "b", "sim.wall_s"}));
    EXPECT_TRUE(flat.back().wall_clock);
    EXPECT_FALSE(flat[6].wall_clock);
    EXPECT_EQ(flat[6].integer, 2U);
    EXPECT_EQ(flat[0].integer, 1U);
    EXPECT_FALSE(flat[1].integer.has_value());
}

TEST(Registry, EmptyHistogramReportsOnlyItsCount) {
    // Not reachable through MetricSink (a sample creates it), but kind changes are: a gauge replaced by
    // a counter under the same name keeps only the last kind.
    Registry r;
    r.gauge("x", 1.5);
    r.counter("x", 3);
    EXPECT_EQ(r.value("x"), 3.0);
    r.clear();
    EXPECT_TRUE(r.empty());
}

} // namespace
} // namespace x86sim::metrics
