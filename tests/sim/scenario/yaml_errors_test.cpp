// Bad input is reported as file:line:col: error: message, with the exact place.
#include "scenario_test_util.h"

#include <gtest/gtest.h>

namespace x86sim::scenario {
namespace {

using test::errors_of;
using test::minimal;
using test::only_error;

TEST(YamlErrors, DiagnosticFormat) {
    Diagnostic diagnostic{SourceLocation{"a.yaml", 3, 7}, "something"};
    EXPECT_EQ(diagnostic.to_string(), "a.yaml:3:7: error: something");
    ScenarioError error({diagnostic, Diagnostic{SourceLocation{"b", 1, 1}, "x"}});
    EXPECT_STREQ(error.what(), "a.yaml:3:7: error: something\nb:1:1: error: x");
}

TEST(YamlErrors, SyntaxErrorHasLineAndColumn) {
    // Unclosed flow map: yaml-cpp reports at the end of the flow collection's content.
    EXPECT_EQ(only_error("name: t\nduration: 1ms\nplatform: { cpus: 2\n"),
              "s.yaml:4:1: error: YAML syntax error: end of map flow not found");
    // A tab-free but badly indented mapping value.
    EXPECT_EQ(only_error("name: t\n  duration: 1ms\n"),
              "s.yaml:2:11: error: YAML syntax error: illegal map value");
}

TEST(YamlErrors, UnknownKeyWithSuggestion) {
    EXPECT_EQ(
        only_error(minimal + "platform:\n  cpus: 2\n  cpu_frq: 3GHz\n"),
        "s.yaml:5:3: error: unknown key 'cpu_frq' in platform; did you mean 'cpu_freq'? (allowed: cpus, "
        "cpu_freq, tsc_freq, lapic, pit, hpet, ioapic, ecam_base, iommu, memory, quantum, devices)");
}

TEST(YamlErrors, UnknownTopLevelKeyAndMissingRequired) {
    const auto errors = errors_of("name: t\nduraton: 1ms\n");
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_EQ(errors[0].to_string().substr(0, 83),
              "s.yaml:2:1: error: unknown key 'duraton' at the top level; did you mean 'duration'?");
    EXPECT_EQ(errors[1].to_string(), "s.yaml:1:1: error: missing required key 'duration'");
}

TEST(YamlErrors, WrongType) {
    EXPECT_EQ(only_error(minimal + "platform:\n  cpus: [1, 2]\n"),
              "s.yaml:4:9: error: platform.cpus: expected an integer, got a list");
    EXPECT_EQ(only_error(minimal + "platform: 3\n"), "s.yaml:3:11: error: platform: expected a map, got '3'");
    EXPECT_EQ(only_error(minimal + "platform: { pit: { enabled: yes } }\n"),
              "s.yaml:3:29: error: platform.pit.enabled: expected true or false, got 'yes'");
}

TEST(YamlErrors, BadEnumListsAllowedValues) {
    EXPECT_EQ(
        only_error(minimal + "kernel:\n  tick: { source: pitt }\n"),
        "s.yaml:4:19: error: kernel.tick.source: unknown value 'pitt'; did you mean 'pit'? (allowed: pit, "
        "hpet, lapic)");
}

TEST(YamlErrors, MissingRequiredKeyInNestedMap) {
    EXPECT_EQ(only_error(minimal + "platform:\n  devices:\n    - testdev: { bdf: \"00:04.0\" }\n"),
              "s.yaml:5:16: error: missing required key 'name' in platform.devices.0.testdev");
}

TEST(YamlErrors, NegativeAndBadDurations) {
    EXPECT_EQ(only_error("name: t\nduration: -5ms\n"),
              "s.yaml:2:11: error: duration: negative time '-5ms' is not allowed");
    EXPECT_EQ(only_error("name: t\nduration: 5 parsecs\n").substr(0, 69),
              "s.yaml:2:11: error: duration: unknown time unit 'parsecs' in '5 parse");
    EXPECT_EQ(only_error("name: t\nduration: 0\n"), "s.yaml:2:11: error: duration: must be at least 1 ps");
}

TEST(YamlErrors, DuplicateKeys) {
    EXPECT_EQ(only_error("name: t\nduration: 1ms\nname: u\n"),
              "s.yaml:3:1: error: duplicate key 'name' (first at line 1)");
}

TEST(YamlErrors, EmptyAndNonMapDocuments) {
    EXPECT_EQ(only_error(""),
              "s.yaml:1:1: error: empty scenario: expected a map with at least 'name' and 'duration'");
    EXPECT_EQ(only_error("- a\n- b\n"), "s.yaml:1:1: error: scenario: expected a map, got a list");
    EXPECT_EQ(only_error(minimal + "---\nname: u\n").substr(0, 60),
              "s.yaml:4:1: error: a scenario holds exactly one YAML documen");
}

TEST(YamlErrors, NonScalarKeysAndRecursiveAliases) {
    EXPECT_EQ(only_error(minimal + "? [a, b]\n: 1\n"),
              "s.yaml:3:3: error: map keys must be plain scalars, not sequences");
    const auto errors = errors_of(minimal + "platform: &p { devices: [*p] }\n");
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_NE(errors[0].message.find("recursive alias"), std::string::npos);
}

TEST(YamlErrors, AliasesAreShared) {
    // The same device map used twice through an alias: a duplicate name and address, found via the alias.
    const auto errors = errors_of(
        minimal +
        "platform:\n  devices:\n    - testdev: &d { name: a, bdf: \"00:04.0\" }\n    - testdev: *d\n");
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_NE(errors[0].message.find("duplicate device name 'a'"), std::string::npos);
}

TEST(YamlErrors, DeepNestingIsRejected) {
    std::string deep = minimal + "description: ";
    for (int i = 0; i < 100; ++i) {
        deep += "[";
    }
    for (int i = 0; i < 100; ++i) {
        deep += "]";
    }
    const auto errors = errors_of(deep);
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(errors[0].message.find("nesting deeper than"), std::string::npos) << errors[0].to_string();
}

TEST(YamlErrors, SeveralDiagnosticsAreCollected) {
    const auto errors = errors_of("name: Bad_Name\nduration: 1ms\nplatform: { cpus: 0, memory: 12 parsecs }\n"
                                  "kernel: { tick: { mode: sometimes } }\n");
    ASSERT_EQ(errors.size(), 4U);
    EXPECT_EQ(errors[0].where.line, 1);
    EXPECT_EQ(errors[1].where, (SourceLocation{"s.yaml", 3, 19}));
    EXPECT_EQ(errors[2].where, (SourceLocation{"s.yaml", 3, 30}));
    EXPECT_EQ(errors[3].where, (SourceLocation{"s.yaml", 4, 25}));
}

TEST(YamlErrors, ManyErrorsAreCapped) {
    std::string text = minimal + "platform:\n";
    for (int i = 0; i < 200; ++i) {
        text += "  bad" + std::to_string(i) + ": 1\n";
    }
    const auto errors = errors_of(text);
    EXPECT_EQ(errors.size(), max_diagnostics + 1);
    EXPECT_EQ(errors.back().message, "too many errors; stopping here");
}

TEST(YamlErrors, MissingFile) {
    try {
        (void)load_scenario_file("/nonexistent/x.yaml");
        FAIL();
    } catch (const ScenarioError& error) {
        EXPECT_EQ(error.diagnostics.at(0).to_string(),
                  "/nonexistent/x.yaml:1:1: error: cannot open scenario file");
    }
}

} // namespace
} // namespace x86sim::scenario
