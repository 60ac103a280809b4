// Interrupt requests as they travel between x86 interrupt sources and local APICs.
//
// The compatibility-format MSI address/data pair (lapic-pit-msi.md §5.1) is decoded into an
// InterruptRequest, which is also what the IOAPIC (§4) and the ICR of a LAPIC (§1.3.7) produce. The
// interrupt fabric routes requests to LAPICs; it is the one place where VT-d interrupt remapping is
// inserted (vtd-pci-nvme.md), so every source goes through it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace x86sim::models {

// Delivery modes, encoded as in MSI data bits 10:8, ICR bits 10:8 and IOAPIC RTE bits 10:8.
enum class DeliveryMode : std::uint8_t {
    Fixed = 0b000,
    LowestPriority = 0b001,
    Smi = 0b010,
    Reserved3 = 0b011,
    Nmi = 0b100,
    Init = 0b101,
    StartUp = 0b110, // SIPI: ICR only; reserved in MSI data
    ExtInt = 0b111,
};

enum class DestinationMode : std::uint8_t { Physical = 0, Logical = 1 };
enum class TriggerMode : std::uint8_t { Edge = 0, Level = 1 };
// ICR destination shorthand, bits 19:18.
enum class DestinationShorthand : std::uint8_t {
    None = 0,
    Self = 1,
    AllIncludingSelf = 2,
    AllExcludingSelf = 3
};

const char* to_string(DeliveryMode mode);

// Where a request came from; used for metrics, traces and the debugger's interrupt-path records.
enum class InterruptSourceKind : std::uint8_t { Msi, Ioapic, Ipi, LocalVector, ExtInt };

struct InterruptRequest {
    std::uint8_t vector = 0;
    DeliveryMode delivery = DeliveryMode::Fixed;
    DestinationMode destination_mode = DestinationMode::Physical;
    TriggerMode trigger = TriggerMode::Edge;
    bool level_asserted = true; // only meaningful for level-triggered requests
    bool redirection_hint = false;
    DestinationShorthand shorthand = DestinationShorthand::None;
    // xAPIC: 8-bit APIC ID or logical mask; x2APIC: 32-bit ID or cluster|mask. 0xFF / 0xFFFFFFFF broadcast.
    std::uint32_t destination = 0;
    std::uint32_t sender_apic_id = 0; // for shorthands Self / AllExcludingSelf
    InterruptSourceKind source_kind = InterruptSourceKind::Msi;
    std::uint32_t source_id = 0; // PCI requester id, IOAPIC pin, or sending CPU
};

// An upstream memory write that targets the interrupt address range 0xFEEx_xxxx.
struct MsiMessage {
    std::uint64_t address = 0;
    std::uint32_t data = 0;
    std::uint16_t requester_id = 0; // bus << 8 | device << 3 | function
};

inline constexpr std::uint64_t kMsiAddressBase = 0xFEE0'0000ULL;
inline constexpr std::uint64_t kMsiAddressMask = 0xFFF0'0000ULL;

inline bool is_interrupt_address(std::uint64_t address) {
    return (address >> 32) == 0 && (address & kMsiAddressMask) == kMsiAddressBase;
}

// Why a message could not be decoded as a compatibility-format interrupt.
enum class MsiDecodeError : std::uint8_t {
    None,
    NotInterruptAddress,
    RemappableFormat,
    ReservedDeliveryMode
};

struct MsiDecodeResult {
    MsiDecodeError error = MsiDecodeError::None;
    InterruptRequest request;
};

// §5.1: address 31:20 = 0xFEE, 19:12 destination, 4 = format (must be 0), 3 = RH, 2 = DM;
// data 7:0 vector, 10:8 delivery mode, 14 level, 15 trigger.
MsiDecodeResult decode_compatibility_msi(const MsiMessage& message);

// The inverse, as Linux composes it (__irq_msi_compose_msg).
MsiMessage encode_compatibility_msi(const InterruptRequest& request);

} // namespace x86sim::models
