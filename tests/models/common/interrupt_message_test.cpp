// lapic-pit-msi.md §5.1: compatibility-format MSI decoding.
#include "models/common/interrupt_message.h"

#include <gtest/gtest.h>

namespace x86sim::models {
namespace {

TEST(MsiCompatibilityFormat, Section5_1Example) {
    // "address 0xFEE01000, data 0x0041 -> fixed, edge, vector 0x41 to physical APIC ID 1".
    const auto result =
        decode_compatibility_msi({.address = 0xFEE01000, .data = 0x0041, .requester_id = 0x18});
    ASSERT_EQ(result.error, MsiDecodeError::None);
    EXPECT_EQ(result.request.vector, 0x41);
    EXPECT_EQ(result.request.destination, 1U);
    EXPECT_EQ(result.request.delivery, DeliveryMode::Fixed);
    EXPECT_EQ(result.request.trigger, TriggerMode::Edge);
    EXPECT_EQ(result.request.destination_mode, DestinationMode::Physical);
    EXPECT_FALSE(result.request.redirection_hint);
    EXPECT_EQ(result.request.source_id, 0x18U);
}

TEST(MsiCompatibilityFormat, LogicalLevelLowestPriority) {
    const auto result = decode_compatibility_msi({.address = 0xFEE0F00C, .data = 0xC1A0});
    ASSERT_EQ(result.error, MsiDecodeError::None);
    EXPECT_EQ(result.request.destination, 0x0FU);
    EXPECT_TRUE(result.request.redirection_hint);
    EXPECT_EQ(result.request.destination_mode, DestinationMode::Logical);
    EXPECT_EQ(result.request.delivery, DeliveryMode::LowestPriority);
    EXPECT_EQ(result.request.trigger, TriggerMode::Level);
    EXPECT_TRUE(result.request.level_asserted);
    EXPECT_EQ(result.request.vector, 0xA0);
}

TEST(MsiCompatibilityFormat, RejectsNonInterruptAndRemappable) {
    EXPECT_EQ(decode_compatibility_msi({.address = 0xFED00000, .data = 0x41}).error,
              MsiDecodeError::NotInterruptAddress);
    EXPECT_EQ(decode_compatibility_msi({.address = 0x1'FEE00000ULL, .data = 0x41}).error,
              MsiDecodeError::NotInterruptAddress);
    EXPECT_EQ(decode_compatibility_msi({.address = 0xFEE00010, .data = 0}).error,
              MsiDecodeError::RemappableFormat);
    EXPECT_EQ(decode_compatibility_msi({.address = 0xFEE00000, .data = 0x341}).error,
              MsiDecodeError::ReservedDeliveryMode);
}

TEST(MsiCompatibilityFormat, EncodeIsInverseOfDecode) {
    InterruptRequest request;
    request.vector = 0x55;
    request.destination = 3;
    request.destination_mode = DestinationMode::Logical;
    const auto message = encode_compatibility_msi(request);
    EXPECT_EQ(message.address, 0xFEE03004U);
    EXPECT_EQ(message.data, 0x55U);
    const auto decoded = decode_compatibility_msi(message);
    EXPECT_EQ(decoded.request.vector, 0x55);
    EXPECT_EQ(decoded.request.destination, 3U);
}

} // namespace
} // namespace x86sim::models
