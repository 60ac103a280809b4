#include "models/common/interrupt_path.h"

namespace x86sim::models {

const char* to_string(HopKind kind) {
    switch (kind) {
    case HopKind::DeviceMessage:
        return "device-message";
    case HopKind::Remap:
        return "remap";
    case HopKind::IoapicDelivery:
        return "ioapic-delivery";
    case HopKind::Ipi:
        return "ipi";
    case HopKind::TimerExpiry:
        return "timer-expiry";
    case HopKind::IrrSet:
        return "irr-set";
    case HopKind::Coalesced:
        return "coalesced";
    case HopKind::Rejected:
        return "rejected";
    case HopKind::Acknowledge:
        return "acknowledge";
    case HopKind::Spurious:
        return "spurious";
    case HopKind::HandlerEntry:
        return "handler-entry";
    case HopKind::HandlerExit:
        return "handler-exit";
    case HopKind::Eoi:
        return "eoi";
    case HopKind::Nmi:
        return "nmi";
    case HopKind::Init:
        return "init";
    case HopKind::StartUp:
        return "startup";
    }
    return "?";
}

} // namespace x86sim::models
