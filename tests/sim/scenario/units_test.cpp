// Unit strings of SCENARIOS.md "Units": exact integer results, clear errors.
#include "sim/scenario/units.h"

#include <gtest/gtest.h>

namespace x86sim::scenario {
namespace {

TEST(Units, TimesConvertExactlyToPicoseconds) {
    EXPECT_EQ(parse_time_ps("250ns"), 250'000U);
    EXPECT_EQ(parse_time_ps("20us"), 20'000'000U);
    EXPECT_EQ(parse_time_ps("20\xC2\xB5s"), 20'000'000U);
    EXPECT_EQ(parse_time_ps("1.5ms"), 1'500'000'000U);
    EXPECT_EQ(parse_time_ps("2s"), 2'000'000'000'000U);
    EXPECT_EQ(parse_time_ps("7ps"), 7U);
    EXPECT_EQ(parse_time_ps("1min"), 60'000'000'000'000U);
    EXPECT_EQ(parse_time_ps("1h"), 3'600'000'000'000'000U);
    EXPECT_EQ(parse_time_ps("0.000001us"), 1U);
    EXPECT_EQ(parse_time_ps("1.5 ms"), 1'500'000'000U);
    EXPECT_EQ(parse_time_ps("0"), 0U);
}

TEST(Units, PlainIntegerTimeIsPicosecondsAndMayBeHex) {
    EXPECT_EQ(parse_time_ps("1234"), 1234U);
    EXPECT_EQ(parse_time_ps("0x10"), 16U);
}

TEST(Units, TimeErrors) {
    EXPECT_THROW(parse_time_ps(""), UnitError);
    EXPECT_THROW(parse_time_ps("-1ms"), UnitError);
    EXPECT_THROW(parse_time_ps("1.5"), UnitError);         // 1.5 ps is not whole
    EXPECT_THROW(parse_time_ps("0.0000001us"), UnitError); // 0.1 ps
    EXPECT_THROW(parse_time_ps("5 sec"), UnitError);
    EXPECT_THROW(parse_time_ps("ms"), UnitError);
    EXPECT_THROW(parse_time_ps("1."), UnitError);
    EXPECT_THROW(parse_time_ps("1e3ns"), UnitError);
    EXPECT_THROW(parse_time_ps("18446744073709551616"), UnitError);   // 2^64
    EXPECT_THROW(parse_time_ps("18446745s"), UnitError);              // > 2^64 ps
    EXPECT_THROW(parse_time_ps("1.0000000000000000001s"), UnitError); // 19 decimals
    EXPECT_EQ(parse_time_ps("18446744073709551615"), UINT64_MAX);
}

TEST(Units, ErrorMessagesNameTheProblem) {
    try {
        parse_time_ps("5mss");
        FAIL() << "no exception";
    } catch (const UnitError& error) {
        EXPECT_NE(std::string(error.what()).find("unknown time unit 'mss'"), std::string::npos)
            << error.what();
        EXPECT_NE(std::string(error.what()).find("did you mean 'ms'?"), std::string::npos) << error.what();
    }
    try {
        parse_time_ps("-3s");
        FAIL() << "no exception";
    } catch (const UnitError& error) {
        EXPECT_NE(std::string(error.what()).find("negative"), std::string::npos) << error.what();
    }
    try {
        parse_frequency_hz("1.5Hz");
        FAIL() << "no exception";
    } catch (const UnitError& error) {
        EXPECT_NE(std::string(error.what()).find("not a whole number of Hz"), std::string::npos)
            << error.what();
    }
}

TEST(Units, Frequencies) {
    EXPECT_EQ(parse_frequency_hz("148Hz"), 148U);
    EXPECT_EQ(parse_frequency_hz("1kHz"), 1000U);
    EXPECT_EQ(parse_frequency_hz("100MHz"), 100'000'000U);
    EXPECT_EQ(parse_frequency_hz("14.31818MHz"), 14'318'180U);
    EXPECT_EQ(parse_frequency_hz("1.193182MHz"), 1'193'182U);
    EXPECT_EQ(parse_frequency_hz("3GHz"), 3'000'000'000U);
    EXPECT_EQ(parse_frequency_hz("1000"), 1000U);
    EXPECT_THROW(parse_frequency_hz("14.3181815MHz"), UnitError); // x.5 Hz
    EXPECT_THROW(parse_frequency_hz("100mhz"), UnitError);
    EXPECT_THROW(parse_frequency_hz("-5Hz"), UnitError);
    EXPECT_THROW(parse_frequency_hz("20000000000GHz"), UnitError);
}

TEST(Units, Sizes) {
    EXPECT_EQ(parse_size_bytes("4KiB"), 4096U);
    EXPECT_EQ(parse_size_bytes("1GiB"), 1ULL << 30);
    EXPECT_EQ(parse_size_bytes("512MiB"), 512ULL << 20);
    EXPECT_EQ(parse_size_bytes("2TiB"), 2ULL << 40);
    EXPECT_EQ(parse_size_bytes("512"), 512U);
    EXPECT_EQ(parse_size_bytes("512B"), 512U);
    EXPECT_EQ(parse_size_bytes("1.5KiB"), 1536U);
    EXPECT_EQ(parse_size_bytes("4KB"), 4000U);
    EXPECT_EQ(parse_size_bytes("1GB"), 1'000'000'000U);
    EXPECT_EQ(parse_size_bytes("0x1000"), 4096U);
    EXPECT_THROW(parse_size_bytes("1.1B"), UnitError);
    EXPECT_THROW(parse_size_bytes("4kib"), UnitError);
    EXPECT_THROW(parse_size_bytes("17000000TiB"), UnitError);
}

TEST(Units, RatesAndIntegers) {
    EXPECT_EQ(parse_rate_per_s("2MHz"), 2'000'000U);
    EXPECT_EQ(parse_rate_per_s("500"), 500U);
    EXPECT_EQ(parse_uint("0xB0000000"), 0xB000'0000U);
    EXPECT_EQ(parse_uint("0XfF"), 255U);
    EXPECT_EQ(parse_uint("42"), 42U);
    EXPECT_THROW(parse_uint("0x"), UnitError);
    EXPECT_THROW(parse_uint("4KiB"), UnitError);
    EXPECT_THROW(parse_uint("1.0"), UnitError);
    EXPECT_THROW(parse_uint("0x1ffffffffffffffff"), UnitError);
}

TEST(Units, QuantitiesForExpectations) {
    EXPECT_EQ(parse_quantity("1.5ms").quantity, Quantity::time);
    EXPECT_DOUBLE_EQ(parse_quantity("1.5ms").value, 0.0015);
    EXPECT_EQ(parse_quantity("1kHz").quantity, Quantity::frequency);
    EXPECT_DOUBLE_EQ(parse_quantity("1kHz").value, 1000.0);
    EXPECT_EQ(parse_quantity("4KiB").quantity, Quantity::size);
    EXPECT_DOUBLE_EQ(parse_quantity("4KiB").value, 4096.0);
    EXPECT_EQ(parse_quantity("-12.5").quantity, Quantity::number);
    EXPECT_DOUBLE_EQ(parse_quantity("-12.5").value, -12.5);
    EXPECT_DOUBLE_EQ(parse_quantity("1e3").value, 1000.0);
    EXPECT_DOUBLE_EQ(parse_quantity("0x10").value, 16.0);
    EXPECT_THROW(parse_quantity("12 apples"), UnitError);
    EXPECT_THROW(parse_quantity("inf"), UnitError);
    EXPECT_THROW(parse_quantity("nan"), UnitError);
}

TEST(Units, HumanFormatting) {
    EXPECT_EQ(format_time_ps(1'500'000'000), "1.5 ms");
    EXPECT_EQ(format_time_ps(250'000), "250 ns");
    EXPECT_EQ(format_time_ps(2'000'000'000'000), "2 s");
    EXPECT_EQ(format_time_ps(0), "0 s");
    EXPECT_EQ(format_time_ps(999), "999 ps");
    EXPECT_EQ(format_time_ps(1'234'567), "1.235 us");
    EXPECT_EQ(format_hz(14'318'180), "14.31818 MHz");
    EXPECT_EQ(format_hz(3'000'000'000), "3 GHz");
    EXPECT_EQ(format_hz(148), "148 Hz");
    EXPECT_EQ(format_bytes(4096), "4 KiB");
    EXPECT_EQ(format_bytes(1536), "1.5 KiB");
    EXPECT_EQ(format_bytes(512), "512 B");
    EXPECT_EQ(format_bytes(1ULL << 30), "1 GiB");
}

} // namespace
} // namespace x86sim::scenario
