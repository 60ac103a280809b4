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

// A read that must succeed; its value.
std::uint64_t read_ok(RegisterBank& bank, std::uint64_t offset, unsigned size) {
    std::uint64_t value = 0;
    EXPECT_EQ(bank.read(offset, size, value), AccessStatus::Ok) << bank.name() << " @" << offset;
    return value;
}

// The start index (a register found by the offset it starts at) must answer exactly as the ordered
// search does: before and after registers are added, for a register that starts between the index's
// steps, and for a bank too large to be indexed.
TEST(RegisterBank, LookupAgreesWithTheRegisterTableAsItGrows) {
    RegisterBank bank("lapic-like");
    bank.add({.name = "eoi", .offset = 0xB0, .width = 4, .access = RegisterAccess::WriteOnly});
    EXPECT_EQ(bank.write(0xB0, 4, 0x1234), AccessStatus::Ok);
    EXPECT_EQ(bank.peek(0xB0, 4), 0x1234U);
    // Added after the first access: the index is rebuilt, and the new register is found.
    bank.add({.name = "tpr", .offset = 0x80, .width = 4, .reset = 0x10});
    EXPECT_EQ(read_ok(bank, 0x80, 4), 0x10U);
    // A two-byte register at 0x84 halves the step; the byte at 0x81 (between steps) is inside "tpr".
    bank.add({.name = "half", .offset = 0x84, .width = 2, .reset = 0xBEEF});
    EXPECT_EQ(read_ok(bank, 0x84, 2), 0xBEEFU);
    EXPECT_EQ(read_ok(bank, 0x81, 1), 0x00U);
    std::uint64_t value = 0;
    EXPECT_EQ(bank.read(0x86, 2, value), AccessStatus::Unmapped);
    EXPECT_EQ(bank.write(0xB0, 4, 0x5678), AccessStatus::Ok);
    EXPECT_EQ(bank.peek(0xB0, 4), 0x5678U);

    RegisterBank large("large");
    large.add({.name = "low", .offset = 0x0, .width = 1, .reset = 0x11});
    large.add({.name = "high", .offset = 0xFFF, .width = 1, .reset = 0x22});
    EXPECT_EQ(read_ok(large, 0xFFF, 1), 0x22U);
    EXPECT_EQ(read_ok(large, 0x0, 1), 0x11U);
    EXPECT_EQ(large.read(0x800, 1, value), AccessStatus::Unmapped);
}

} // namespace
} // namespace x86sim::models
