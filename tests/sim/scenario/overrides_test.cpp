// --set and variants: one mechanism (replace the node at a dotted path, then validate).
#include "scenario_test_util.h"
#include "sim/scenario/overrides.h"

#include <gtest/gtest.h>

namespace x86sim::scenario {
namespace {

using test::errors_of;
using test::minimal;
using test::only_error;

const std::string base = minimal + R"(kernel:
  tick: { source: lapic, mode: tsc-deadline, hz: 1000 }
  sched: { lock: per-cpu }
workload:
  - task: { name: hog, run: cpu, burst: 5ms }
  - task: { name: probe, run: periodic, period: 3ms, work: 20us }
variants:
  before: { kernel.tick: { source: pit, hz: 148 }, kernel.sched.lock: global }
  after:  { kernel.tick.hz: 2000 }
  broken: { kernel.tick.hzz: 5 }
)";

Scenario load(const std::string& text, LoadOptions options) {
    return load_scenario_text(text, "s.yaml", options);
}

TEST(Overrides, SetReplacesAWholeMapParsedAsYaml) {
    LoadOptions options;
    options.overrides = {"kernel.tick={source: pit, hz: 148}"};
    options.variant = "after"; // the base with a broken variant is only accepted when a valid one is selected
    const Config c = load(base, options).config;
    EXPECT_EQ(c.kernel->tick.source, TickSource::pit);
    EXPECT_EQ(c.kernel->tick.mode, TickMode::periodic); // replaced, not merged
    EXPECT_EQ(c.kernel->tick.hz, 148U);
    EXPECT_EQ(c.where("kernel.tick.hz"), (SourceLocation{"<--set>", 1, 31}));
}

TEST(Overrides, SetScalarAndCreatesIntermediateMaps) {
    LoadOptions options;
    options.variant = "after";
    options.overrides = {"platform.hpet.freq=10MHz", "seed=9"};
    const Config c = load(base, options).config;
    EXPECT_TRUE(c.platform.hpet.enabled);
    EXPECT_EQ(c.platform.hpet.freq_hz, 10'000'000U);
    EXPECT_EQ(c.seed, 9U);
}

TEST(Overrides, VariantsUseTheSameMechanism) {
    LoadOptions before;
    before.variant = "before";
    const Scenario scenario = load(base, before);
    EXPECT_EQ(scenario.variant, "before");
    EXPECT_EQ(scenario.config.kernel->tick.source, TickSource::pit);
    EXPECT_EQ(scenario.config.kernel->tick.hz, 148U);
    EXPECT_EQ(scenario.config.kernel->sched.lock, SchedLock::global);
    // Locations of variant values point into the file.
    EXPECT_EQ(scenario.config.where("kernel.sched.lock"), (SourceLocation{"s.yaml", 10, 71}));

    LoadOptions set;
    set.variant = "after";
    set.overrides = {"kernel.tick={source: pit, hz: 148}", "kernel.sched.lock=global"};
    const Config via_set = load(base, set).config;
    EXPECT_EQ(via_set.kernel->tick.hz, scenario.config.kernel->tick.hz);
    EXPECT_EQ(via_set.kernel->sched.lock, scenario.config.kernel->sched.lock);

    LoadOptions after;
    after.variant = "after";
    EXPECT_EQ(load(base, after).config.kernel->tick.hz, 2000U);
    EXPECT_EQ(load(base, after).config.kernel->tick.source, TickSource::lapic); // only hz changed
}

TEST(Overrides, UnknownPathInAVariantIsReportedAtTheVariantEntry) {
    EXPECT_EQ(only_error(base), "s.yaml:12:13: error: variant 'broken': unknown key 'hzz' in kernel.tick; "
                                "did you mean 'hz'? (allowed: "
                                "source, mode, hz, divisor)");
}

TEST(Overrides, UnknownPathInSetIsReportedAtSet) {
    LoadOptions options;
    options.variant = "after";
    options.overrides = {"kernel.tick.hzz=5"};
    EXPECT_EQ(only_error(base, options), "<--set>:1:1: error: unknown key 'hzz' in kernel.tick; did you mean "
                                         "'hz'? (allowed: source, mode, hz, "
                                         "divisor)");
    options.overrides = {"platfrom.cpus=2"};
    EXPECT_NE(
        only_error(base, options).find("unknown key 'platfrom' at the top level; did you mean 'platform'?"),
        std::string::npos);
}

TEST(Overrides, BadValuesInSetPointIntoTheArgument) {
    LoadOptions options;
    options.variant = "after";
    options.overrides = {"platform.cpus=lots"};
    EXPECT_EQ(only_error(base, options),
              "<--set>:1:15: error: platform.cpus: expected an integer, got 'lots'");
    options.overrides = {"kernel.tick={source: pit, hz: 1"};
    EXPECT_NE(only_error(base, options).find("<--set>:1:"), std::string::npos);
    options.overrides = {"no-equals-sign"};
    EXPECT_EQ(only_error(base, options),
              "<--set>:1:1: error: expected --set key.path=value, got 'no-equals-sign'");
}

TEST(Overrides, ListItemsByIndexOrName) {
    LoadOptions options;
    options.variant = "after";
    options.overrides = {"workload.probe.period=5ms", "workload.0.task.burst=7ms"};
    const Config c = load(base, options).config;
    EXPECT_EQ(std::get<TaskConfig>(c.workload[1]).period_ps, 5'000'000'000U);
    EXPECT_EQ(std::get<TaskConfig>(c.workload[0]).burst_ps, 7'000'000'000U);

    options.overrides = {"workload.prob.period=5ms"};
    EXPECT_EQ(
        only_error(base, options),
        "<--set>:1:1: error: cannot set 'workload.prob.period': workload has no entry named 'prob'; did you "
        "mean 'probe'? (use a name or an index)");
    options.overrides = {"workload.5.task.burst=1ms"};
    EXPECT_EQ(
        only_error(base, options),
        "<--set>:1:1: error: cannot set 'workload.5.task.burst': workload has 2 entries (indices from 0)");
    options.overrides = {"name.x=1"};
    EXPECT_EQ(only_error(base, options),
              "<--set>:1:1: error: cannot set 'name.x': 'name' is a single value ('t'), not a map");
}

TEST(Overrides, UnknownVariant) {
    LoadOptions options;
    options.variant = "befor";
    EXPECT_EQ(only_error(base, options), "s.yaml:1:1: error: no variant named 'befor'; did you mean "
                                         "'before'? (variants: before, after, broken)");
}

TEST(Overrides, OverridesDoNotModifyTheOriginalTree) {
    const NodePtr root = parse_yaml("a: { b: 1, c: 2 }\n", "x");
    const NodePtr value = parse_yaml("5", "v");
    const NodePtr changed = apply_override(root, "a.b", value, SourceLocation{"<--set>", 1, 1});
    EXPECT_EQ(root->find("a")->value->find("b")->value->scalar, "1");
    EXPECT_EQ(changed->find("a")->value->find("b")->value->scalar, "5");
    // The untouched sibling is shared, not copied.
    EXPECT_EQ(root->find("a")->value->find("c")->value.get(),
              changed->find("a")->value->find("c")->value.get());
    EXPECT_THROW(apply_override(root, "a..b", value, SourceLocation{}), ScenarioError);
}

} // namespace
} // namespace x86sim::scenario
