// Interrupt command register, IPIs and destination matching (lapic-pit-msi.md §1.3.4, §1.3.7, §1.6;
// §8 checks 27, 29-35, 38, 39).
#include "models/common/time.h"
#include "models/lapic/lapic.h"
#include "models/lapic/lapic_layout.h"

namespace x86sim::models {

using namespace lapic_layout;

namespace {
constexpr std::uint32_t kX2apicBroadcast = 0xFFFF'FFFFU;
constexpr std::uint32_t kXapicBroadcast = 0xFFU;
} // namespace

std::uint32_t Lapic::apic_id() const {
    if (mode_ == ApicMode::XApic) {
        return static_cast<std::uint32_t>(id_reg_->value >> 24) & 0xFFU;
    }
    return config_.apic_id;
}

std::uint32_t Lapic::x2apic_ldr() const {
    // §1.3.4: cluster = ID[31:4] in LDR[31:16], one-hot member (1 << ID[3:0]) in LDR[15:0].
    return ((config_.apic_id >> 4) << 16) | (1U << (config_.apic_id & 0xF));
}

bool Lapic::matches_destination(std::uint32_t destination, DestinationMode mode) const {
    const auto ldr = static_cast<std::uint32_t>(ldr_reg_->value);
    switch (mode_) {
    case ApicMode::Disabled:
        return false;
    case ApicMode::X2Apic:
        if (destination == kX2apicBroadcast) {
            return true;
        }
        if (mode == DestinationMode::Physical) {
            return destination == config_.apic_id;
        }
        return (destination >> 16) == (ldr >> 16) && (destination & ldr & 0xFFFFU) != 0;
    case ApicMode::XApic:
        break;
    }
    // xAPIC: an 8-bit message destination address; a wider one is matched by its low byte (§1.3.4).
    const std::uint32_t mda = destination & 0xFFU;
    if (mda == kXapicBroadcast) {
        return true;
    }
    if (mode == DestinationMode::Physical) {
        return mda == apic_id();
    }
    const std::uint32_t logical_id = ldr >> 24;
    const bool flat = (dfr_reg_->value >> 28) == 0xF; // anything else is treated as the cluster model
    if (flat) {
        return (logical_id & mda) != 0;
    }
    return (mda >> 4) == (logical_id >> 4) && (mda & logical_id & 0xFU) != 0;
}

void Lapic::write_icr_low(std::uint64_t) {
    // xAPIC: writing the low half launches the IPI; the destination is ICR high[31:24] (check 30).
    send_ipi(static_cast<std::uint32_t>(icr_low_reg_->value),
             static_cast<std::uint32_t>(icr_high_reg_->value >> 24));
}

void Lapic::send_ipi(std::uint32_t command, std::uint32_t destination) {
    const auto vector = static_cast<std::uint8_t>(command & 0xFF);
    const auto delivery = static_cast<DeliveryMode>((command >> 8) & 7);
    const auto shorthand = static_cast<DestinationShorthand>((command >> kIcrShorthandShift) & 3);
    auto refuse = [&](std::uint32_t esr_bits) {
        ++stats_.ipis_dropped;
        report_hop(HopKind::Rejected, vector, command);
        if (esr_bits != 0) {
            record_error(esr_bits);
        }
    };

    // Lowest-priority IPIs are not supported in x2APIC mode: ESR bit 4, dropped; bit 4 takes
    // precedence over bit 5 (§1.3.6, check 35).
    if (delivery == DeliveryMode::LowestPriority &&
        (mode_ == ApicMode::X2Apic || !config_.lowest_priority_ipi_supported)) {
        refuse(kEsrRedirectableIpi);
        return;
    }
    if ((delivery == DeliveryMode::Fixed || delivery == DeliveryMode::LowestPriority) && vector < 16) {
        refuse(kEsrSendIllegalVector); // check 27
        return;
    }
    if (delivery == DeliveryMode::Reserved3 || delivery == DeliveryMode::ExtInt) {
        refuse(0); // reserved ICR delivery modes
        return;
    }
    if ((shorthand == DestinationShorthand::Self || shorthand == DestinationShorthand::AllIncludingSelf) &&
        delivery != DeliveryMode::Fixed) {
        refuse(0); // SDM Table 10-3: "self" and "all including self" accept only Fixed
        return;
    }

    InterruptRequest request;
    request.vector = vector;
    request.delivery = delivery;
    request.destination_mode =
        (command & kIcrLogical) != 0 ? DestinationMode::Logical : DestinationMode::Physical;
    const bool init_deassert = delivery == DeliveryMode::Init && (command & kIcrLevelTrigger) != 0 &&
                               (command & kIcrLevelAssert) == 0;
    // P4-class: the level/trigger bits have no meaning (edge/assert), except the INIT de-assert pattern,
    // which is forwarded so that receivers can ignore it (check 31).
    request.trigger = init_deassert ? TriggerMode::Level : TriggerMode::Edge;
    request.level_asserted = !init_deassert;
    request.shorthand = shorthand;
    request.destination = destination;
    request.sender_apic_id = apic_id();
    request.source_kind = InterruptSourceKind::Ipi;
    request.source_id = static_cast<std::uint32_t>(config_.cpu_index);

    ++stats_.ipis_sent;
    report_hop(HopKind::Ipi, vector, (static_cast<std::uint64_t>(destination) << 32) | command);
    if (mode_ == ApicMode::XApic) {
        icr_busy_until_ps_ = now_ps() + config_.icr_busy_ps;
    }
    if (bus_ != nullptr) {
        bus_->deliver(request);
        return;
    }
    // No fabric bound (unit tests): only self-targeted IPIs can arrive anywhere.
    const bool to_self = shorthand == DestinationShorthand::Self ||
                         shorthand == DestinationShorthand::AllIncludingSelf ||
                         (shorthand == DestinationShorthand::None &&
                          matches_destination(destination, request.destination_mode));
    if (to_self) {
        accept(request);
    }
}

void Lapic::send_self_ipi(std::uint8_t vector) {
    // x2APIC SELF IPI (§1.6): fixed, edge, to self. An illegal vector sets ESR bit 5 (check 27).
    if (vector < 16) {
        ++stats_.ipis_dropped;
        report_hop(HopKind::Rejected, vector);
        record_error(kEsrSendIllegalVector);
        return;
    }
    ++stats_.ipis_sent;
    report_hop(HopKind::Ipi, vector);
    accept_fixed(vector, false, InterruptSourceKind::Ipi, static_cast<std::uint64_t>(config_.cpu_index));
}

} // namespace x86sim::models
