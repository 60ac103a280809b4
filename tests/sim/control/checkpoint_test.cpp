// Checkpoint files: round trip and clear errors for bad input.
#include "sim/control/core/checkpoint.h"

#include <gtest/gtest.h>

namespace x86sim::control {
namespace {

TEST(Checkpoint, RoundTrip) {
    Checkpoint checkpoint;
    checkpoint.source.path = "scenarios/storm-debug.yaml";
    checkpoint.source.overrides = {"seed=3"};
    checkpoint.source.seed = 9;
    checkpoint.event = 1834221;
    checkpoint.time_ps = 42;
    checkpoint.journal = {{0, 0, "writel 0xfee000f0 0x1ff"}, {7, 100, "cpu 1"}};
    checkpoint.breakpoints = {{2, "break coalesce cpu 0"}};
    const auto back = checkpoint_from_json(nlohmann::json::parse(to_json(checkpoint).dump()));
    EXPECT_EQ(back.source.path, checkpoint.source.path);
    EXPECT_EQ(back.source.overrides, checkpoint.source.overrides);
    EXPECT_EQ(back.source.seed, 9U);
    EXPECT_FALSE(back.source.variant);
    EXPECT_EQ(back.event, 1834221U);
    ASSERT_EQ(back.journal.size(), 2U);
    EXPECT_EQ(back.journal[1].line, "cpu 1");
    EXPECT_EQ(back.breakpoints.at(0).command, "break coalesce cpu 0");
}

TEST(Checkpoint, BadFilesNameTheProblem) {
    auto error_of = [](const std::string& text) {
        try {
            checkpoint_from_json(nlohmann::json::parse(text));
        } catch (const std::exception& error) {
            return std::string(error.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error_of("{}"), "not an x86sim checkpoint (no \"format\": \"x86sim-checkpoint\")");
    EXPECT_EQ(error_of(R"({"format":"x86sim-checkpoint","version":2})"), "unsupported checkpoint version 2");
    EXPECT_EQ(error_of(R"({"format":"x86sim-checkpoint","version":1,"scenario":null,"event":-1})"),
              "field 'event' must be a non-negative integer");
    EXPECT_EQ(error_of(R"({"format":"x86sim-checkpoint","version":1,"scenario":null,"event":1,"time_ps":0})"),
              "missing field 'journal'");
}

} // namespace
} // namespace x86sim::control
