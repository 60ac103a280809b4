#include "sim/metrics/human_format.h"

#include <gtest/gtest.h>

namespace x86sim::metrics {
namespace {

TEST(HumanFormat, TableValues) {
    EXPECT_EQ(format_value(0.0015, UnitKind::seconds), "1.50 ms");
    EXPECT_EQ(format_value(12.5e-6, UnitKind::seconds), "12.5 us");
    EXPECT_EQ(format_value(250e-9, UnitKind::seconds), "250 ns");
    EXPECT_EQ(format_value(2.0, UnitKind::seconds), "2.00 s");
    EXPECT_EQ(format_value(0.0, UnitKind::seconds), "0 s");
    EXPECT_EQ(format_value(999.7, UnitKind::hz), "999.7 Hz");
    EXPECT_EQ(format_value(14318180.0, UnitKind::hz), "14.32 MHz");
    EXPECT_EQ(format_value(4096.0, UnitKind::bytes), "4.0 KiB");
    EXPECT_EQ(format_value(512.0, UnitKind::bytes), "512 B");
    EXPECT_EQ(format_value(0.953, UnitKind::ratio), "95.3 %");
    EXPECT_EQ(format_value(1234567.0, UnitKind::count), "1,234,567");
    EXPECT_EQ(format_value(-1234.5, UnitKind::count), "-1,234.500");
    EXPECT_EQ(format_value(12345.67, UnitKind::per_second), "12,345.7 /s");
    EXPECT_EQ(format_value(3.0 * 1024 * 1024 * 1024, UnitKind::bytes_per_second), "3.00 GiB/s");
}

TEST(HumanFormat, Counts) {
    EXPECT_EQ(format_count(0), "0");
    EXPECT_EQ(format_count(999), "999");
    EXPECT_EQ(format_count(1000), "1,000");
    EXPECT_EQ(format_count(18446744073709551615ULL), "18,446,744,073,709,551,615");
}

TEST(HumanFormat, ExactFormats) {
    EXPECT_EQ(format_time_ps(1'999'999), "2 us"); // rounds half up, carries
    EXPECT_EQ(format_hz(1'193'182), "1.193182 MHz");
    EXPECT_EQ(format_bytes(3ULL << 40), "3 TiB");
}

} // namespace
} // namespace x86sim::metrics
