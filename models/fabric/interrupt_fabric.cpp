#include "models/fabric/interrupt_fabric.h"

#include "models/common/time.h"

#include <string>

namespace x86sim::models {

namespace {
constexpr std::uint32_t kBroadcast32 = 0xFFFF'FFFFU;
constexpr std::uint32_t kBroadcast8 = 0xFFU;

bool is_lowest_priority(const InterruptRequest& request) {
    // SDM 10.11.1: RH = 1 with a logical destination redirects to the lowest-priority APIC of the set.
    return request.delivery == DeliveryMode::LowestPriority ||
           (request.redirection_hint && request.destination_mode == DestinationMode::Logical &&
            request.delivery == DeliveryMode::Fixed);
}
} // namespace

const char* to_string(FabricDropReason reason) {
    switch (reason) {
    case FabricDropReason::NotInterruptAddress:
        return "not_interrupt_address";
    case FabricDropReason::RemappableWithoutIommu:
        return "remappable_without_iommu";
    case FabricDropReason::ReservedDeliveryMode:
        return "reserved_delivery_mode";
    case FabricDropReason::LevelDeassert:
        return "level_deassert";
    case FabricDropReason::RemapBlocked:
        return "remap_blocked";
    case FabricDropReason::Count_:
        break;
    }
    return "?";
}

std::uint64_t InterruptFabricStats::dropped_total() const {
    std::uint64_t total = 0;
    for (auto count : dropped) {
        total += count;
    }
    return total;
}

InterruptFabric::InterruptFabric(InterruptFabricConfig config) : config_(std::move(config)) {}

unsigned InterruptFabric::deliver(const InterruptRequest& request) {
    if (request.source_kind != InterruptSourceKind::Ipi && request.shorthand == DestinationShorthand::None &&
        request.destination == kBroadcast8) {
        // An 8-bit broadcast from an IOAPIC/MSI is also a broadcast for x2APIC-mode APICs.
        InterruptRequest widened = request;
        widened.destination = kBroadcast32;
        return route(widened);
    }
    return route(request);
}

unsigned InterruptFabric::route(const InterruptRequest& request) {
    ++stats_.requests;
    unsigned reached = 0;
    auto deliver_to = [&](ApicBusTarget* target) {
        target->accept(request);
        ++stats_.acceptances;
        ++reached;
    };
    // Lowest-priority arbitration among the accepting targets `eligible` admits: the lowest arbitration
    // priority wins, the lowest APIC ID breaks a tie.
    auto deliver_to_lowest = [&](auto eligible) {
        ApicBusTarget* best = nullptr;
        for (auto* target : targets_) {
            if (!target->accepts_messages() || !eligible(*target)) {
                continue;
            }
            if (best == nullptr || target->arbitration_priority() < best->arbitration_priority() ||
                (target->arbitration_priority() == best->arbitration_priority() &&
                 target->apic_id() < best->apic_id())) {
                best = target;
            }
        }
        if (best != nullptr) {
            ++stats_.lowest_priority_arbitrations;
            deliver_to(best);
        }
    };

    switch (request.shorthand) {
    case DestinationShorthand::Self:
        if (auto* self = find_by_id(request.sender_apic_id); self != nullptr && self->accepts_messages()) {
            deliver_to(self);
        }
        break;
    case DestinationShorthand::AllIncludingSelf:
    case DestinationShorthand::AllExcludingSelf: {
        const bool exclude_self = request.shorthand == DestinationShorthand::AllExcludingSelf;
        if (request.delivery == DeliveryMode::LowestPriority) {
            deliver_to_lowest([&](const ApicBusTarget& target) {
                return !(exclude_self && target.apic_id() == request.sender_apic_id);
            });
            break;
        }
        // Snapshot first: an accept() may change another APIC's state (INIT), not the target list.
        for (auto* target : targets_) {
            if (target->accepts_messages() &&
                !(exclude_self && target->apic_id() == request.sender_apic_id)) {
                deliver_to(target);
            }
        }
        break;
    }
    case DestinationShorthand::None:
        if (is_lowest_priority(request)) {
            deliver_to_lowest([&](const ApicBusTarget& target) {
                return target.matches_destination(request.destination, request.destination_mode);
            });
        } else {
            for (auto* target : targets_) {
                if (target->accepts_messages() &&
                    target->matches_destination(request.destination, request.destination_mode)) {
                    deliver_to(target);
                }
            }
        }
        break;
    }

    if (reached == 0) {
        ++stats_.no_destination;
        report_hop(HopKind::Rejected, request.vector, request.destination);
    } else {
        ++stats_.delivered;
    }
    return reached;
}

unsigned InterruptFabric::deliver_message(const MsiMessage& message) {
    ++stats_.messages;
    report_hop(HopKind::DeviceMessage, static_cast<int>(message.data & 0xFF), message.address);

    if (remapper_ != nullptr) {
        InterruptRequest remapped;
        switch (remapper_->remap(message, remapped)) {
        case RemapOutcome::Remapped:
            ++stats_.remapped;
            report_hop(HopKind::Remap, remapped.vector, message.address);
            return route(remapped); // a remapped destination is a full 32-bit APIC ID: no widening
        case RemapOutcome::Blocked:
            return drop(FabricDropReason::RemapBlocked, message);
        case RemapOutcome::Compatibility:
            break;
        }
    }

    MsiMessage effective = message;
    auto decoded = decode_compatibility_msi(effective);
    if (decoded.error == MsiDecodeError::RemappableFormat && config_.decode_remappable_without_iommu) {
        effective.address &= ~(1ULL << 4);
        decoded = decode_compatibility_msi(effective);
    }
    switch (decoded.error) {
    case MsiDecodeError::None:
        break;
    case MsiDecodeError::NotInterruptAddress:
        return drop(FabricDropReason::NotInterruptAddress, message);
    case MsiDecodeError::RemappableFormat:
        return drop(FabricDropReason::RemappableWithoutIommu, message);
    case MsiDecodeError::ReservedDeliveryMode:
        return drop(FabricDropReason::ReservedDeliveryMode, message);
    }
    auto& request = decoded.request;
    if (request.trigger == TriggerMode::Level && !request.level_asserted) {
        if (!config_.msi_level_deassert_as_assert) {
            return drop(FabricDropReason::LevelDeassert, message);
        }
        request.level_asserted = true;
    }
    return deliver(request);
}

void InterruptFabric::broadcast_eoi(std::uint8_t vector) {
    ++stats_.eoi_broadcasts;
    for (auto* listener : eoi_listeners_) {
        listener->end_of_interrupt(vector);
    }
}

ApicBusTarget* InterruptFabric::find_by_id(std::uint32_t apic_id) const {
    for (auto* target : targets_) {
        if (target->apic_id() == apic_id) {
            return target;
        }
    }
    return nullptr;
}

unsigned InterruptFabric::drop(FabricDropReason reason, const MsiMessage& message) {
    ++stats_.dropped[static_cast<std::size_t>(reason)];
    report_hop(HopKind::Rejected, static_cast<int>(message.data & 0xFF), message.address);
    return 0;
}

void InterruptFabric::report_hop(HopKind kind, int vector, std::uint64_t detail) const {
    if (!observer_.wants(kind)) {
        return;
    }
    InterruptHop hop;
    hop.time_ps = now_ps();
    hop.kind = kind;
    hop.vector = vector;
    hop.source = config_.name.c_str();
    hop.detail = detail;
    observer_.send(hop);
}

void InterruptFabric::report_metrics(MetricSink& sink) const {
    sink.counter("messages", stats_.messages);
    sink.counter("requests", stats_.requests);
    sink.counter("delivered", stats_.delivered);
    sink.counter("acceptances", stats_.acceptances);
    sink.counter("no_destination", stats_.no_destination);
    sink.counter("lowest_priority_arbitrations", stats_.lowest_priority_arbitrations);
    sink.counter("remapped", stats_.remapped);
    sink.counter("eoi_broadcasts", stats_.eoi_broadcasts);
    sink.counter("dropped", stats_.dropped_total());
    for (std::size_t i = 0; i < stats_.dropped.size(); ++i) {
        sink.counter(std::string("dropped.") + to_string(static_cast<FabricDropReason>(i)),
                     stats_.dropped[i]);
    }
}

} // namespace x86sim::models
