#include "models/pic8259/pic8259_pair.h"

#include <string>

namespace x86sim::models {

namespace {
// PIIX/ICH: IRQ0 (timer), 1 (keyboard), 2 (cascade), 8 (RTC) and 13 (FPU) are always edge.
constexpr std::uint64_t kElcrWritable = 0xDEF8;
} // namespace

Pic8259Pair::Pic8259Pair(sc_core::sc_module_name name, Pic8259Config config)
    : sc_module(name), config_(config),
      ports_(std::string(this->name()) + ".ports", {.unmapped_fill = ~0ULL, // an unclaimed port reads 0xFF
                                                    .require_natural_alignment = false,
                                                    .allowed_sizes = 0b0111}) {
    build_registers();
}

void Pic8259Pair::build_registers() {
    // A wider IN/OUT is split into byte cycles on consecutive ports, which the bank does by itself.
    for (auto* chip : {&master_, &slave_}) {
        const std::uint16_t base = chip == &master_ ? kMasterCommand : kSlaveCommand;
        const std::string prefix = chip == &master_ ? "master." : "slave.";
        ports_.add({.name = prefix + "command",
                    .offset = base,
                    .width = 1,
                    .on_read =
                        [this, chip](Register&) {
                            const auto value = chip->read_command(); // a poll read acknowledges
                            update_outputs();
                            return std::uint64_t{value};
                        },
                    .on_write =
                        [this, chip](Register&, std::uint64_t value, std::uint64_t) {
                            chip->write_command(static_cast<std::uint8_t>(value));
                            update_outputs();
                        }});
        ports_.add({.name = prefix + "data",
                    .offset = base + 1U,
                    .width = 1,
                    .on_read = [chip](Register&) { return std::uint64_t{chip->read_data()}; },
                    .on_write =
                        [this, chip](Register&, std::uint64_t value, std::uint64_t) {
                            chip->write_data(static_cast<std::uint8_t>(value));
                            update_outputs();
                        }});
    }
    if (config_.decode_elcr) {
        ports_.add({.name = "elcr",
                    .offset = kElcr,
                    .width = 2,
                    .write_mask = kElcrWritable,
                    .on_write = [this](Register& reg, std::uint64_t value, std::uint64_t mask) {
                        reg.apply(value, mask);
                        master_.set_elcr(static_cast<std::uint8_t>(reg.value));
                        slave_.set_elcr(static_cast<std::uint8_t>(reg.value >> 8));
                        update_outputs();
                    }});
    }
}

MmioResult Pic8259Pair::io_read(std::uint16_t port, unsigned size, std::uint32_t& value) {
    ++stats_.port_accesses;
    std::uint64_t wide = 0;
    const auto status = ports_.read(port, size, wide);
    value = static_cast<std::uint32_t>(wide);
    if (status != AccessStatus::Ok) {
        ++stats_.bad_accesses;
    }
    return {.status = status, .delay_ps = config_.port_access_ps};
}

MmioResult Pic8259Pair::io_write(std::uint16_t port, unsigned size, std::uint32_t value) {
    ++stats_.port_accesses;
    const auto status = ports_.write(port, size, value);
    if (status != AccessStatus::Ok) {
        ++stats_.bad_accesses;
    }
    return {.status = status, .delay_ps = config_.port_access_ps};
}

void Pic8259Pair::set_irq_input(unsigned input, bool asserted) {
    if (input >= 16 || input == kCascadeInput) {
        ++stats_.invalid_inputs;
        return;
    }
    if (input < 8) {
        master_.set_input(input, asserted);
    } else {
        slave_.set_input(input - 8, asserted);
    }
    update_outputs();
}

std::uint8_t Pic8259Pair::acknowledge_extint() {
    std::uint8_t vector = 0;
    const int ir = master_.pending();
    if (ir == Pic8259Chip::kNone) {
        ++stats_.spurious_irq7; // the request vanished: default IR7, no ISR bit
        vector = static_cast<std::uint8_t>(master_.vector_base() | 7);
    } else {
        master_.acknowledge(static_cast<unsigned>(ir));
        if (static_cast<unsigned>(ir) == kCascadeInput && !master_.single()) {
            // The slave supplies the vector in the second INTA cycle; its INT falls meanwhile.
            master_.set_input(kCascadeInput, false);
            const int slave_ir = slave_.pending();
            if (slave_ir == Pic8259Chip::kNone) {
                ++stats_.spurious_irq15;
                vector = static_cast<std::uint8_t>(slave_.vector_base() | 7);
            } else {
                slave_.acknowledge(static_cast<unsigned>(slave_ir));
                ++stats_.acknowledged_per_irq[8 + static_cast<unsigned>(slave_ir)];
                vector = static_cast<std::uint8_t>(slave_.vector_base() + slave_ir);
            }
        } else {
            ++stats_.acknowledged_per_irq[static_cast<unsigned>(ir)];
            vector = static_cast<std::uint8_t>(master_.vector_base() + ir);
        }
    }
    update_outputs();
    return vector;
}

void Pic8259Pair::update_outputs() {
    master_.set_input(kCascadeInput, slave_.pending() != Pic8259Chip::kNone);
    const bool request = master_.pending() != Pic8259Chip::kNone;
    if (request && !int_output_.level()) {
        ++stats_.int_assertions;
    }
    int_output_.set(request);
}

void Pic8259Pair::reset() {
    master_.reset();
    slave_.reset();
    ports_.reset();
    update_outputs();
}

Pic8259Dump Pic8259Pair::dump() const {
    return {.master = master_.state(), .slave = slave_.state(), .int_output = int_output_.level()};
}

void Pic8259Pair::report_metrics(MetricSink& sink) const {
    std::uint64_t total = 0;
    for (unsigned irq = 0; irq < 16; ++irq) {
        sink.counter("irq" + std::to_string(irq) + ".acknowledged", stats_.acknowledged_per_irq[irq]);
        total += stats_.acknowledged_per_irq[irq];
    }
    sink.counter("acknowledged", total);
    sink.counter("spurious.irq7", stats_.spurious_irq7);
    sink.counter("spurious.irq15", stats_.spurious_irq15);
    sink.counter("int_assertions", stats_.int_assertions);
    sink.counter("eois", master_.eois() + slave_.eois());
    sink.counter("eois_with_empty_isr", master_.eois_with_empty_isr() + slave_.eois_with_empty_isr());
    sink.counter("port_accesses", stats_.port_accesses);
    sink.counter("bad_accesses", stats_.bad_accesses);
    sink.counter("invalid_inputs", stats_.invalid_inputs);
}

} // namespace x86sim::models
