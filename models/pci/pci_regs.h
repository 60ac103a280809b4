// PCI configuration-space constants (vtd-pci-nvme.md §2.1-§2.6) and the bus/device/function address.
// Names follow the field names of the spec digest; values are cross-checked against Linux
// include/uapi/linux/pci_regs.h as cited there. The constants live in x86sim::models::pci so that short
// names like kCommand do not collide with other devices' register names; classes are in x86sim::models.
#pragma once

#include <cstdint>
#include <string>

namespace x86sim::models::pci {

// §2.1 type-0 header offsets.
inline constexpr std::uint16_t kVendorId = 0x00;
inline constexpr std::uint16_t kDeviceId = 0x02;
inline constexpr std::uint16_t kCommand = 0x04;
inline constexpr std::uint16_t kStatus = 0x06;
inline constexpr std::uint16_t kRevisionId = 0x08;
inline constexpr std::uint16_t kClassProgIf = 0x09;
inline constexpr std::uint16_t kClassSub = 0x0A;
inline constexpr std::uint16_t kClassBase = 0x0B;
inline constexpr std::uint16_t kCacheLineSize = 0x0C;
inline constexpr std::uint16_t kLatencyTimer = 0x0D;
inline constexpr std::uint16_t kHeaderType = 0x0E;
inline constexpr std::uint16_t kBist = 0x0F;
inline constexpr std::uint16_t kBar0 = 0x10;
inline constexpr std::uint16_t kCardbusCis = 0x28;
inline constexpr std::uint16_t kSubsystemVendorId = 0x2C;
inline constexpr std::uint16_t kSubsystemId = 0x2E;
inline constexpr std::uint16_t kExpansionRom = 0x30;
inline constexpr std::uint16_t kCapabilitiesPointer = 0x34;
inline constexpr std::uint16_t kInterruptLine = 0x3C;
inline constexpr std::uint16_t kInterruptPin = 0x3D;
inline constexpr std::uint16_t kMinGnt = 0x3E;
inline constexpr std::uint16_t kMaxLat = 0x3F;
inline constexpr std::uint16_t kFirstCapability = 0x40;      // capabilities live in 0x40-0xFF (§2.4)
inline constexpr std::uint16_t kExtendedConfigStart = 0x100; // §2.4 extended capabilities (ECAM only)
inline constexpr std::uint16_t kConfigSpaceSize = 0x1000;    // §2.2: 4 KiB per function through ECAM
inline constexpr std::uint16_t kLegacyConfigSize = 0x100;    // §2.2: 0xCF8/0xCFC reaches 256 bytes
inline constexpr unsigned kBarCount = 6;

// §2.1 Command register bits.
inline constexpr std::uint16_t kCommandIo = 1u << 0;
inline constexpr std::uint16_t kCommandMemory = 1u << 1;
inline constexpr std::uint16_t kCommandBusMaster = 1u << 2;
inline constexpr std::uint16_t kCommandParity = 1u << 6;
inline constexpr std::uint16_t kCommandSerr = 1u << 8;
inline constexpr std::uint16_t kCommandIntxDisable = 1u << 10;
// Bits a PCIe function implements; 3, 4, 5, 7, 9 are hardwired 0 on PCIe, 15:11 reserved.
inline constexpr std::uint16_t kCommandWritable =
    kCommandIo | kCommandMemory | kCommandBusMaster | kCommandParity | kCommandSerr | kCommandIntxDisable;

// §2.1 Status register bits.
inline constexpr std::uint16_t kStatusInterrupt = 1u << 3;
inline constexpr std::uint16_t kStatusCapabilities = 1u << 4;
inline constexpr std::uint16_t kStatusMasterDataParity = 1u << 8;
inline constexpr std::uint16_t kStatusSignaledTargetAbort = 1u << 11;
inline constexpr std::uint16_t kStatusReceivedTargetAbort = 1u << 12;
inline constexpr std::uint16_t kStatusReceivedMasterAbort = 1u << 13;
inline constexpr std::uint16_t kStatusSignaledSystemError = 1u << 14;
inline constexpr std::uint16_t kStatusDetectedParity = 1u << 15;
inline constexpr std::uint16_t kStatusWriteOneToClear = 0xF900;

// §2.4 capability IDs used here.
inline constexpr std::uint8_t kCapIdMsi = 0x05;
inline constexpr std::uint8_t kCapIdMsix = 0x11;
inline constexpr std::uint8_t kCapIdPciExpress = 0x10;

// §2.1 header type and interrupt pin values.
inline constexpr std::uint8_t kHeaderTypeMultiFunction = 0x80;
enum class InterruptPin : std::uint8_t { None = 0, IntA = 1, IntB = 2, IntC = 3, IntD = 4 };

} // namespace x86sim::models::pci

namespace x86sim::models {

// A function's address on the bus; the requester ID of its upstream requests is bus << 8 | devfn.
struct PciBdf {
    std::uint8_t bus = 0;
    std::uint8_t device = 0;   // 0-31
    std::uint8_t function = 0; // 0-7

    std::uint16_t requester_id() const {
        return static_cast<std::uint16_t>(bus << 8 | (device & 0x1F) << 3 | (function & 0x7));
    }
    bool operator==(const PciBdf&) const = default;
    std::string to_string() const; // "bb:dd.f"
};

} // namespace x86sim::models
