#include "models/common/register_bank.h"

#include <gtest/gtest.h>

namespace x86sim::models {
namespace {

RegisterBank make_config_like_bank() {
    RegisterBank bank("dev",
                      {.unmapped_fill = ~0ULL, .require_natural_alignment = true, .allowed_sizes = 0b0111});
    bank.add(
        {.name = "vendor", .offset = 0x0, .width = 2, .reset = 0x8086, .access = RegisterAccess::ReadOnly});
    bank.add(
        {.name = "device", .offset = 0x2, .width = 2, .reset = 0x1234, .access = RegisterAccess::ReadOnly});
    bank.add({.name = "command", .offset = 0x4, .width = 2, .reset = 0, .write_mask = 0x0407});
    bank.add({.name = "status",
              .offset = 0x6,
              .width = 2,
              .reset = 0x8010,
              .access = RegisterAccess::WriteOneToClear,
              .write_mask = 0xF900});
    return bank;
}

TEST(RegisterBank, ReadsAcrossRegisters) {
    auto bank = make_config_like_bank();
    std::uint64_t value = 0;
    EXPECT_EQ(bank.read(0x0, 4, value), AccessStatus::Ok);
    EXPECT_EQ(value, 0x12348086U);
    EXPECT_EQ(bank.read(0x1, 1, value), AccessStatus::Ok);
    EXPECT_EQ(value, 0x80U);
}

TEST(RegisterBank, DwordWriteSpansCommandAndStatus) {
    auto bank = make_config_like_bank();
    // Command gets its writable bits; status bit 15 (W1C) is cleared, bit 4 (read-only) stays.
    EXPECT_EQ(bank.write(0x4, 4, 0x8010'FFFF), AccessStatus::Ok);
    EXPECT_EQ(bank.peek(0x4, 2), 0x0407U);
    EXPECT_EQ(bank.peek(0x6, 2), 0x0010U);
}

TEST(RegisterBank, ReadOnlyWritesAreDroppedAndCounted) {
    auto bank = make_config_like_bank();
    EXPECT_EQ(bank.write(0x0, 2, 0xFFFF), AccessStatus::ReadOnlyWrite);
    EXPECT_EQ(bank.peek(0x0, 2), 0x8086U);
    EXPECT_EQ(bank.stats().read_only_writes, 1U);
}

TEST(RegisterBank, UnmappedReadsFillAndCount) {
    auto bank = make_config_like_bank();
    std::uint64_t value = 0;
    EXPECT_EQ(bank.read(0x40, 4, value), AccessStatus::Unmapped);
    EXPECT_EQ(value, 0xFFFFFFFFU);
    EXPECT_EQ(bank.stats().unmapped, 1U);
}

TEST(RegisterBank, BadSizeAndMisalignment) {
    auto bank = make_config_like_bank();
    std::uint64_t value = 0;
    EXPECT_EQ(bank.read(0x0, 8, value), AccessStatus::BadSize);
    EXPECT_EQ(bank.read(0x1, 2, value), AccessStatus::Misaligned);
    EXPECT_EQ(bank.write(0x4, 3, 1), AccessStatus::BadSize);
    EXPECT_EQ(bank.stats().bad_size, 2U);
    EXPECT_EQ(bank.stats().misaligned, 1U);
}

TEST(RegisterBank, CallbacksSeeWrittenBytes) {
    RegisterBank bank("cb");
    std::uint64_t seen_value = 0;
    std::uint64_t seen_mask = 0;
    bank.add({.name = "r",
              .offset = 0,
              .width = 4,
              .on_write = [&](Register& reg, std::uint64_t value, std::uint64_t mask) {
                  seen_value = value;
                  seen_mask = mask;
                  reg.apply(value, mask);
              }});
    EXPECT_EQ(bank.write(2, 1, 0xAB), AccessStatus::Ok);
    EXPECT_EQ(seen_value, 0xAB0000U);
    EXPECT_EQ(seen_mask, 0xFF0000U);
    EXPECT_EQ(bank.peek(0, 4), 0xAB0000U);
}

TEST(RegisterBank, OverlappingDefinitionIsAModelBug) {
    RegisterBank bank("overlap");
    bank.add({.name = "a", .offset = 0, .width = 4});
    EXPECT_THROW(bank.add({.name = "b", .offset = 2, .width = 2}), std::logic_error);
}

TEST(RegisterBank, ResetRestoresResetValues) {
    auto bank = make_config_like_bank();
    bank.write(0x4, 2, 0x7);
    bank.reset();
    EXPECT_EQ(bank.peek(0x4, 2), 0U);
}

} // namespace
} // namespace x86sim::models
