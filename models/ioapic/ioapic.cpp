// IOAPIC pin logic and message delivery (lapic-pit-msi.md §4, check 49).
#include "models/ioapic/ioapic.h"

#include "models/common/time.h"
#include "models/ioapic/redirection_entry.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace x86sim::models {

namespace {
void validate(const IoapicConfig& config) {
    // QEMU's ioapic_realize accepts exactly these two versions; so do we (§4 VER).
    if (config.version != 0x11 && config.version != 0x20) {
        throw std::invalid_argument("ioapic: version must be 0x11 or 0x20");
    }
    if (config.pins == 0 || config.pins > Ioapic::kMaxPins) {
        throw std::invalid_argument("ioapic: pins must be 1.." + std::to_string(Ioapic::kMaxPins));
    }
    for (const auto input : config.active_low_inputs) {
        if (input >= config.pins) {
            throw std::invalid_argument("ioapic: active-low input " + std::to_string(input) +
                                        " is not a pin");
        }
    }
}

// §5.2 / VT-d: a remappable RTE becomes a remappable-format message. RTE bits 63:48 land in address
// bits 19:4 (handle[14:0] and the format bit), RTE bit 11 in address bit 2 (handle[15]); SHV = 0.
MsiMessage remappable_message(std::uint64_t entry, std::uint16_t source_id) {
    MsiMessage message;
    message.address = kMsiAddressBase | (((entry >> 48) & 0xFFFF) << 4) | (((entry >> 11) & 1) << 2);
    message.data = static_cast<std::uint32_t>(rte::vector(entry));
    if (rte::level_triggered(entry)) {
        message.data |= (1U << 15) | (1U << 14); // level, asserted
    }
    message.requester_id = source_id;
    return message;
}
} // namespace

Ioapic::Ioapic(sc_core::sc_module_name name, IoapicConfig config)
    : sc_module(name), config_((validate(config), std::move(config))),
      mmio_(std::string(this->name()) + ".mmio",
            {.unmapped_fill = 0, .require_natural_alignment = true, .allowed_sizes = 0b0111}),
      indirect_(std::string(this->name()) + ".indirect") {
    build_registers();
    pin_.resize(config_.pins);
    for (const auto input : config_.active_low_inputs) {
        pin_[input].wire_active_low = true;
    }
    stats_.deliveries_per_pin.assign(config_.pins, 0);
    SC_METHOD(send_due);
    sensitive << send_event_;
    dont_initialize();
}

void Ioapic::reset() {
    mmio_.reset();
    indirect_.reset();
    in_flight_.clear();
    send_event_.cancel();
}

bool Ioapic::pin_active(unsigned pin, std::uint64_t entry) const {
    const bool electrical_high = pin_[pin].asserted != pin_[pin].wire_active_low;
    return electrical_high != rte::active_low(entry);
}

void Ioapic::set_irq_input(unsigned input, bool asserted) {
    if (input >= config_.pins) {
        ++stats_.invalid_inputs;
        return;
    }
    if (pin_[input].asserted == asserted) {
        return;
    }
    const auto entry = rte_[input]->value;
    const bool was_active = pin_active(input, entry);
    pin_[input].asserted = asserted;
    if (rte::level_triggered(entry)) {
        evaluate_level(input, false);
    } else if (!was_active && pin_active(input, entry)) {
        accept_edge(input, entry);
    }
}

void Ioapic::accept_edge(unsigned pin, std::uint64_t entry) {
    if (rte::masked(entry)) {
        ++stats_.edges_while_masked; // 82093AA: discarded, not remembered for the unmask (check 49)
        return;
    }
    if (entry & rte::kDeliveryStatusBit) {
        ++stats_.coalesced_edges;
        return;
    }
    schedule(pin, false);
}

void Ioapic::evaluate_level(unsigned pin, bool after_eoi) {
    const auto entry = rte_[pin]->value;
    if (rte::level_triggered(entry) && pin_active(pin, entry) && !rte::masked(entry) &&
        !rte::remote_irr(entry) && (entry & rte::kDeliveryStatusBit) == 0) {
        schedule(pin, after_eoi);
    }
}

void Ioapic::schedule(unsigned pin, bool redelivery) {
    rte_[pin]->value |= rte::kDeliveryStatusBit;
    in_flight_.push_back(
        {.due_ps = now_ps() + config_.delivery_latency_ps, .pin = pin, .redelivery = redelivery});
    // An earlier pending notification wins, and send_due re-arms for the rest.
    notify_at(send_event_, now_ps() + config_.delivery_latency_ps);
}

void Ioapic::send_due() {
    const auto now = now_ps();
    // Only messages queued before this activation: one queued now (zero latency, a synchronous EOI from
    // the fabric) waits for the next delta cycle instead of looping here.
    for (auto count = in_flight_.size(); count > 0 && !in_flight_.empty() && in_flight_.front().due_ps <= now;
         --count) {
        const auto message = in_flight_.front();
        in_flight_.pop_front();
        send(message);
    }
    if (!in_flight_.empty()) {
        const auto due = in_flight_.front().due_ps;
        notify_at(send_event_, due > now ? due : now);
    }
}

void Ioapic::send(const PendingMessage& message) {
    Register& reg = *rte_[message.pin];
    reg.value &= ~rte::kDeliveryStatusBit;
    const auto entry = reg.value;
    const bool level = rte::level_triggered(entry);
    if (rte::masked(entry) || (level && !pin_active(message.pin, entry))) {
        ++stats_.withdrawn;
        return;
    }
    const auto mode = rte::delivery_mode(entry);
    if (mode == DeliveryMode::Reserved3 || mode == DeliveryMode::StartUp) {
        ++stats_.reserved_delivery_mode;
        return;
    }
    if (level) {
        // Set before the fabric sees the message: an EOI may come back within the deliver() call.
        reg.value |= rte::kRemoteIrrBit;
    }
    ++stats_.deliveries_per_pin[message.pin];
    if (message.redelivery) {
        ++stats_.level_redeliveries;
    }
    if (observer_.wants(HopKind::IoapicDelivery)) {
        observer_.send({.time_ps = now_ps(),
                        .kind = HopKind::IoapicDelivery,
                        .cpu = -1,
                        .vector = rte::vector(entry),
                        .source = name(),
                        .detail = message.pin});
    }
    if (bus_ == nullptr) {
        ++stats_.dropped_no_bus;
        return;
    }
    unsigned reached = 0;
    if (rte::remappable(entry)) {
        reached = bus_->deliver_message(remappable_message(entry, config_.source_id));
    } else {
        InterruptRequest request;
        request.vector = rte::vector(entry);
        request.delivery = mode;
        request.destination_mode =
            (entry & rte::kDestinationModeBit) != 0 ? DestinationMode::Logical : DestinationMode::Physical;
        request.trigger = level ? TriggerMode::Level : TriggerMode::Edge;
        request.level_asserted = true;
        request.destination = rte::destination(entry);
        request.source_kind = InterruptSourceKind::Ioapic;
        request.source_id = message.pin;
        reached = bus_->deliver(request);
    }
    if (reached == 0) {
        ++stats_.unclaimed;
    }
}

void Ioapic::end_of_interrupt(std::uint8_t vector) {
    ++stats_.eoi_broadcasts;
    clear_remote_irr(vector);
}

void Ioapic::clear_remote_irr(std::uint8_t vector) {
    // §4: every level RTE with this vector and Remote IRR set; re-send at once if the line is still active.
    for (unsigned pin = 0; pin < config_.pins; ++pin) {
        auto& entry = rte_[pin]->value;
        if (rte::level_triggered(entry) && rte::remote_irr(entry) && rte::vector(entry) == vector) {
            entry &= ~rte::kRemoteIrrBit;
            ++stats_.remote_irr_cleared;
            evaluate_level(pin, true);
        }
    }
}

void Ioapic::report_metrics(MetricSink& sink) const {
    std::uint64_t total = 0;
    for (unsigned pin = 0; pin < config_.pins; ++pin) {
        sink.counter("pin" + std::to_string(pin) + ".deliveries", stats_.deliveries_per_pin[pin]);
        total += stats_.deliveries_per_pin[pin];
    }
    sink.counter("deliveries", total);
    sink.counter("edges_while_masked", stats_.edges_while_masked);
    sink.counter("coalesced_edges", stats_.coalesced_edges);
    sink.counter("level_redeliveries", stats_.level_redeliveries);
    sink.counter("withdrawn", stats_.withdrawn);
    sink.counter("reserved_delivery_mode", stats_.reserved_delivery_mode);
    sink.counter("dropped_no_bus", stats_.dropped_no_bus);
    sink.counter("unclaimed", stats_.unclaimed);
    sink.counter("eoi.broadcasts", stats_.eoi_broadcasts);
    sink.counter("eoi.register_writes", stats_.eoi_register_writes);
    sink.counter("remote_irr_cleared", stats_.remote_irr_cleared);
    sink.counter("bad_accesses", stats_.bad_accesses);
    sink.counter("bad_accesses.window_index", stats_.bad_window_index);
    sink.counter("bad_accesses.width", stats_.bad_width);
    sink.counter("invalid_inputs", stats_.invalid_inputs);
}

} // namespace x86sim::models
