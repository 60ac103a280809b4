// Field layout of an IOAPIC redirection table entry (lapic-pit-msi.md §4, compatibility format).
#pragma once

#include "models/common/interrupt_message.h"

#include <cstdint>

namespace x86sim::models::rte {

inline constexpr std::uint64_t kVectorMask = 0xFF;
inline constexpr unsigned kDeliveryModeShift = 8; // bits 10:8
inline constexpr std::uint64_t kDestinationModeBit = 1ULL << 11;
inline constexpr std::uint64_t kDeliveryStatusBit = 1ULL << 12; // RO: a message is waiting to be sent
inline constexpr std::uint64_t kPolarityLowBit = 1ULL << 13;
inline constexpr std::uint64_t kRemoteIrrBit = 1ULL << 14; // RO, level only
inline constexpr std::uint64_t kLevelTriggerBit = 1ULL << 15;
inline constexpr std::uint64_t kMaskBit = 1ULL << 16;
// Bit 48 = 1: VT-d remappable format; bits 63:49 then hold the interrupt index [14:0] and bit 11 index[15].
inline constexpr std::uint64_t kRemappableFormatBit = 1ULL << 48;
inline constexpr unsigned kDestinationShift = 56; // bits 63:56

// Reset: masked, everything else 0 (§4 "Reset").
inline constexpr std::uint64_t kResetValue = kMaskBit;
// Software-writable bits: 16:0 except the read-only 12 and 14, and 63:48. Bits 47:17 are reserved and read 0.
inline constexpr std::uint64_t kWritableBits =
    (0x1FFFFULL & ~(kDeliveryStatusBit | kRemoteIrrBit)) | (0xFFFFULL << 48);

inline std::uint8_t vector(std::uint64_t entry) {
    return static_cast<std::uint8_t>(entry & kVectorMask);
}
inline DeliveryMode delivery_mode(std::uint64_t entry) {
    return static_cast<DeliveryMode>((entry >> kDeliveryModeShift) & 0b111);
}
inline bool level_triggered(std::uint64_t entry) {
    return (entry & kLevelTriggerBit) != 0;
}
inline bool masked(std::uint64_t entry) {
    return (entry & kMaskBit) != 0;
}
inline bool active_low(std::uint64_t entry) {
    return (entry & kPolarityLowBit) != 0;
}
inline bool remote_irr(std::uint64_t entry) {
    return (entry & kRemoteIrrBit) != 0;
}
inline bool remappable(std::uint64_t entry) {
    return (entry & kRemappableFormatBit) != 0;
}
inline std::uint8_t destination(std::uint64_t entry) {
    return static_cast<std::uint8_t>(entry >> kDestinationShift);
}

} // namespace x86sim::models::rte
