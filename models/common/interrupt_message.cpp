#include "models/common/interrupt_message.h"

namespace x86sim::models {

const char* to_string(DeliveryMode mode) {
    switch (mode) {
    case DeliveryMode::Fixed:
        return "fixed";
    case DeliveryMode::LowestPriority:
        return "lowest-priority";
    case DeliveryMode::Smi:
        return "smi";
    case DeliveryMode::Reserved3:
        return "reserved";
    case DeliveryMode::Nmi:
        return "nmi";
    case DeliveryMode::Init:
        return "init";
    case DeliveryMode::StartUp:
        return "startup";
    case DeliveryMode::ExtInt:
        return "extint";
    }
    return "?";
}

MsiDecodeResult decode_compatibility_msi(const MsiMessage& message) {
    MsiDecodeResult result;
    if (!is_interrupt_address(message.address)) {
        result.error = MsiDecodeError::NotInterruptAddress;
        return result;
    }
    const auto address = static_cast<std::uint32_t>(message.address);
    if (address & (1U << 4)) {
        result.error = MsiDecodeError::RemappableFormat;
        return result;
    }
    auto& request = result.request;
    request.destination = (address >> 12) & 0xFF;
    request.redirection_hint = (address >> 3) & 1;
    request.destination_mode = (address >> 2) & 1 ? DestinationMode::Logical : DestinationMode::Physical;
    request.vector = static_cast<std::uint8_t>(message.data & 0xFF);
    request.delivery = static_cast<DeliveryMode>((message.data >> 8) & 0b111);
    request.level_asserted = (message.data >> 14) & 1;
    request.trigger = (message.data >> 15) & 1 ? TriggerMode::Level : TriggerMode::Edge;
    request.source_kind = InterruptSourceKind::Msi;
    request.source_id = message.requester_id;
    if (request.delivery == DeliveryMode::Reserved3 || request.delivery == DeliveryMode::StartUp) {
        result.error = MsiDecodeError::ReservedDeliveryMode;
    }
    return result;
}

MsiMessage encode_compatibility_msi(const InterruptRequest& request) {
    MsiMessage message;
    message.address = kMsiAddressBase | ((request.destination & 0xFFULL) << 12) |
                      (request.redirection_hint ? 1ULL << 3 : 0) |
                      (request.destination_mode == DestinationMode::Logical ? 1ULL << 2 : 0);
    message.data = request.vector | (static_cast<std::uint32_t>(request.delivery) << 8) |
                   (request.trigger == TriggerMode::Level && request.level_asserted ? 1U << 14 : 0) |
                   (request.trigger == TriggerMode::Level ? 1U << 15 : 0);
    return message;
}

} // namespace x86sim::models
