// Nearest-rank percentiles on known sample sets.
#include "sim/metrics/histogram.h"

#include <gtest/gtest.h>

namespace x86sim::metrics {
namespace {

TEST(Histogram, NearestRankOnOneToHundred) {
    Histogram h;
    for (std::uint64_t v = 100; v >= 1; --v) { // inserted in reverse: must sort
        h.add(v);
    }
    EXPECT_EQ(h.count(), 100U);
    EXPECT_EQ(h.percentile_ps(50), 50U);
    EXPECT_EQ(h.percentile_ps(99), 99U);
    EXPECT_EQ(h.percentile_ps(100), 100U);
    EXPECT_EQ(h.percentile_ps(0), 1U);
    EXPECT_EQ(h.percentile_ps(1), 1U);
    EXPECT_EQ(h.min_ps(), 1U);
    EXPECT_EQ(h.max_ps(), 100U);
    EXPECT_DOUBLE_EQ(h.mean_ps(), 50.5);
}

TEST(Histogram, NearestRankOnSmallSets) {
    // Wikipedia's example: {15, 20, 35, 40, 50}: p30 = 20, p40 = 20, p50 = 35, p100 = 50.
    Histogram h;
    for (std::uint64_t v : {40, 15, 50, 35, 20}) {
        h.add(v);
    }
    EXPECT_EQ(h.percentile_ps(30), 20U);
    EXPECT_EQ(h.percentile_ps(40), 20U);
    EXPECT_EQ(h.percentile_ps(50), 35U);
    EXPECT_EQ(h.percentile_ps(99), 50U);
    EXPECT_EQ(h.percentile_ps(100), 50U);

    Histogram one;
    one.add(7);
    EXPECT_EQ(one.percentile_ps(50), 7U);
    EXPECT_EQ(one.percentile_ps(99), 7U);
}

TEST(Histogram, TailOfAThousandSamples) {
    Histogram h;
    for (std::uint64_t v = 0; v < 1000; ++v) {
        h.add(v == 999 ? 1'000'000 : 10); // one outlier
    }
    EXPECT_EQ(h.percentile_ps(99), 10U); // rank 990
    EXPECT_EQ(h.max_ps(), 1'000'000U);
}

TEST(Histogram, FieldsInSeconds) {
    Histogram h;
    EXPECT_EQ(h.field("count"), 0.0);
    EXPECT_FALSE(h.field("p50").has_value());
    h.add(1'500'000'000); // 1.5 ms
    h.add(500'000'000);
    EXPECT_DOUBLE_EQ(*h.field("max"), 0.0015);
    EXPECT_DOUBLE_EQ(*h.field("min"), 0.0005);
    EXPECT_DOUBLE_EQ(*h.field("mean"), 0.001);
    EXPECT_DOUBLE_EQ(*h.field("p50"), 0.0005);
    EXPECT_DOUBLE_EQ(*h.field("count"), 2.0);
    EXPECT_FALSE(h.field("p42").has_value());
}

TEST(Histogram, HugeSamplesDoNotOverflowTheMean) {
    Histogram h;
    h.add(UINT64_MAX);
    h.add(UINT64_MAX);
    EXPECT_DOUBLE_EQ(h.mean_ps(), static_cast<double>(UINT64_MAX));
}

} // namespace
} // namespace x86sim::metrics
