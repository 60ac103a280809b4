#include "sim/control/state_json.h"

#include "models/ioapic/ioapic.h"
#include "models/lapic/lapic.h"
#include "models/pic8259/pic8259_pair.h"
#include "models/pit/pit8254.h"

#include <array>
#include <cinttypes>
#include <cstdio>

namespace x86sim::control {

namespace {

nlohmann::json vectors_set(const models::Lapic& lapic, bool (models::Lapic::*bit)(std::uint8_t) const) {
    nlohmann::json list = nlohmann::json::array();
    for (unsigned vector = 0; vector < 256; ++vector) {
        if ((lapic.*bit)(static_cast<std::uint8_t>(vector))) {
            list.push_back(hex_string(vector, 2));
        }
    }
    return list;
}

nlohmann::json pic_chip_json(const models::Pic8259ChipState& chip) {
    return {{"irr", hex_string(chip.irr, 2)},
            {"isr", hex_string(chip.isr, 2)},
            {"imr", hex_string(chip.imr, 2)},
            {"elcr", hex_string(chip.elcr, 2)},
            {"input_lines", hex_string(chip.input_lines, 2)},
            {"vector_base", hex_string(chip.vector_base, 2)},
            {"initialising", chip.initialising},
            {"auto_eoi", chip.auto_eoi}};
}

} // namespace

std::string hex_string(std::uint64_t value, int digits) {
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "0x%0*" PRIx64, digits, value);
    return text.data();
}

nlohmann::json lapic_json(const models::Lapic& lapic, unsigned cpu) {
    const auto dump = lapic.dump();
    nlohmann::json registers = nlohmann::json::object();
    for (const auto& [name, value] : dump.registers) {
        registers[name] = hex_string(value);
    }
    const auto& stats = lapic.stats();
    nlohmann::json json;
    json["cpu"] = cpu;
    json["registers"] = registers;
    json["irr"] = dump.irr;
    json["isr"] = dump.isr;
    json["tmr"] = dump.tmr;
    json["irr_vectors"] = vectors_set(lapic, &models::Lapic::irr_bit);
    json["isr_vectors"] = vectors_set(lapic, &models::Lapic::isr_bit);
    json["intr_pending"] = lapic.intr_pending();
    json["stats"] = {{"accepted", stats.accepted},   {"irr_coalesced", stats.irr_coalesced},
                     {"rejected", stats.rejected},   {"acknowledged", stats.acknowledged},
                     {"spurious", stats.spurious},   {"eoi", stats.eoi},
                     {"ipis_sent", stats.ipis_sent}, {"timer_fires", stats.timer_fires},
                     {"errors", stats.errors}};
    return json;
}

nlohmann::json ioapic_json(const models::Ioapic& ioapic) {
    const auto dump = ioapic.dump();
    nlohmann::json rtes = nlohmann::json::array();
    for (std::size_t pin = 0; pin < dump.redirection_table.size(); ++pin) {
        const auto entry = dump.redirection_table[pin];
        rtes.push_back({{"pin", pin},
                        {"value", hex_string(entry, 16)},
                        {"vector", hex_string(entry & 0xFF, 2)},
                        {"masked", ((entry >> 16) & 1) != 0},
                        {"level", ((entry >> 15) & 1) != 0},
                        {"remote_irr", ((entry >> 14) & 1) != 0},
                        {"delivery_status", ((entry >> 12) & 1) != 0},
                        {"destination", (entry >> 56) & 0xFF},
                        {"input", pin < dump.input_asserted.size() && dump.input_asserted[pin]}});
    }
    const auto& stats = ioapic.stats();
    std::uint64_t deliveries = 0;
    for (const auto count : stats.deliveries_per_pin) {
        deliveries += count;
    }
    return {{"ioregsel", hex_string(dump.ioregsel)},
            {"id", hex_string(dump.id)},
            {"version", hex_string(dump.version)},
            {"arbitration", hex_string(dump.arbitration)},
            {"messages_in_flight", dump.messages_in_flight},
            {"redirection_table", rtes},
            {"stats",
             {{"deliveries", deliveries},
              {"edges_while_masked", stats.edges_while_masked},
              {"coalesced_edges", stats.coalesced_edges},
              {"withdrawn", stats.withdrawn},
              {"eoi_broadcasts", stats.eoi_broadcasts},
              {"bad_accesses", stats.bad_accesses}}}};
}

nlohmann::json pit_json(const models::Pit8254& pit) {
    const auto dump = pit.dump();
    nlohmann::json channels = nlohmann::json::array();
    for (std::size_t i = 0; i < dump.channels.size(); ++i) {
        const auto& channel = dump.channels[i];
        channels.push_back(
            {{"channel", i},
             {"mode", channel.mode},
             {"control", hex_string(channel.control, 2)},
             {"count", channel.count},
             {"count_register", channel.count_register},
             {"counting", channel.counting},
             {"out", channel.out},
             {"gate", channel.gate},
             {"null_count", channel.null_count},
             {"next_edge_ps", dump.next_edge_ps[i] == UINT64_MAX ? nlohmann::json(nullptr)
                                                                 : nlohmann::json(dump.next_edge_ps[i])}});
    }
    return {{"channels", channels},
            {"port61", hex_string(dump.port61, 2)},
            {"cycle", dump.cycle},
            {"fires", pit.fires()}};
}

nlohmann::json pic_json(const models::Pic8259Pair& pic) {
    const auto dump = pic.dump();
    return {{"master", pic_chip_json(dump.master)},
            {"slave", pic_chip_json(dump.slave)},
            {"int", dump.int_output}};
}

} // namespace x86sim::control
