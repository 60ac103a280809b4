// PitChannel readout sequences (lapic-pit-msi.md §2.1, 8254DS): the counting element clock by clock,
// computed without SystemC time. A count written during cycle 0 is loaded at edge 1.
#include "models/pit/pit_channel.h"

#include <gtest/gtest.h>
#include <vector>

namespace x86sim::models {
namespace {

struct Sample {
    std::uint16_t count;
    bool out;
};

std::vector<Sample> run(std::uint8_t control, std::uint16_t count, std::uint64_t cycles) {
    PitChannel channel;
    channel.write_control(control, 0);
    channel.write_data(static_cast<std::uint8_t>(count & 0xFF), 0);
    channel.write_data(static_cast<std::uint8_t>(count >> 8), 0);
    std::vector<Sample> samples;
    for (std::uint64_t c = 1; c <= cycles; ++c) {
        samples.push_back({channel.readout(c), channel.out(c)});
    }
    return samples;
}

void expect_samples(const std::vector<Sample>& actual, const std::vector<Sample>& expected) {
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(actual[i].count, expected[i].count) << "cycle " << i + 1;
        EXPECT_EQ(actual[i].out, expected[i].out) << "cycle " << i + 1;
    }
}

// Mode 2: N, N-1, ..., 1 (OUT low while 1), then reload; 0 never shows.
TEST(PitChannel, Mode2CountsDownToOneAndReloads) {
    expect_samples(run(0x34, 3, 7),
                   {{3, true}, {2, true}, {1, false}, {3, true}, {2, true}, {1, false}, {3, true}});
}

// Mode 3, even N: steps of two, OUT toggles at each reload.
TEST(PitChannel, Mode3EvenCountStepsByTwo) {
    expect_samples(run(0x36, 4, 6), {{4, true}, {2, true}, {4, false}, {2, false}, {4, true}, {2, true}});
}

// Mode 3, odd N: N-1 is loaded; the high half is one clock longer and shows 0 in its last clock.
TEST(PitChannel, Mode3OddCountLoadsNMinusOne) {
    expect_samples(run(0x36, 5, 6), {{4, true}, {2, true}, {0, true}, {4, false}, {2, false}, {4, true}});
}

// The next OUT edge is computed in closed form from the segment (what the module schedules).
TEST(PitChannel, NextEdgeIsClosedForm) {
    PitChannel channel;
    channel.write_control(0x34, 0);
    channel.write_data(0x9C, 0);
    channel.write_data(0x2E, 0);                 // 11932
    EXPECT_EQ(channel.next_edge(0), 11932U);     // falls when the count is 1
    EXPECT_EQ(channel.next_edge(11932), 11933U); // rises at the reload
    EXPECT_EQ(channel.next_edge(1'000'000), 1 + 84 * 11932U - 1);
    channel.write_control(0x30, 1'000'000); // mode 0 without a count: idle
    EXPECT_EQ(channel.next_edge(1'000'000), PitChannel::kNever);
}

// Reset state documented in pit_channel.h: control 0x30, NULL COUNT, OUT low, nothing scheduled.
TEST(PitChannel, ResetStateIsIdle) {
    PitChannel channel(false);
    EXPECT_EQ(channel.status(0), 0x70);
    EXPECT_FALSE(channel.out(123));
    EXPECT_EQ(channel.next_edge(0), PitChannel::kNever);
    EXPECT_FALSE(channel.gate());
}

} // namespace
} // namespace x86sim::models
