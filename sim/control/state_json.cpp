#include "sim/control/state_json.h"

#include "models/ioapic/ioapic.h"
#include "models/lapic/lapic.h"
#include "models/pci/msi.h"
#include "models/pci/msix.h"
#include "models/pci/pci_function.h"
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

const char* bar_kind(models::BarKind kind) {
    switch (kind) {
    case models::BarKind::Io:
        return "io";
    case models::BarKind::Memory32:
        return "mem32";
    case models::BarKind::Memory64:
        return "mem64";
    case models::BarKind::None:
        break;
    }
    return "none";
}

nlohmann::json bars_json(const models::PciFunction& function) {
    nlohmann::json bars = nlohmann::json::array();
    for (unsigned index = 0; index < models::pci::kBarCount; ++index) {
        const auto& bar = function.bar(index);
        if (!bar.implemented()) {
            continue;
        }
        // A base of 0 is how the models mark a BAR firmware never assigned (bar.h), so say so.
        bars.push_back({{"bar", index},
                        {"kind", bar_kind(bar.spec().kind)},
                        {"prefetchable", bar.spec().prefetchable},
                        {"address", bar.address() == 0 ? nlohmann::json(nullptr)
                                                       : nlohmann::json(hex_string(bar.address(), 8))},
                        {"size", bar.spec().size},
                        {"decoding", bar.is_io() ? function.io_enabled() : function.memory_enabled()}});
    }
    return bars;
}

nlohmann::json msi_json(models::MsiCapability& msi) {
    const auto message = msi.message(0);
    nlohmann::json result = {{"offset", hex_string(msi.offset(), 2)},
                             {"enabled", msi.enabled()},
                             {"capable_vectors", 1U << msi.config().vectors_log2},
                             {"granted_vectors", msi.granted_vectors()},
                             {"address_64bit", msi.config().address_64bit},
                             {"address", hex_string(message.address, 8)},
                             {"data", hex_string(message.data, 4)},
                             {"per_vector_masking", msi.config().per_vector_masking}};
    if (msi.config().per_vector_masking) {
        result["mask_bits"] = hex_string(msi.mask_bits(), 8);
        result["pending_bits"] = hex_string(msi.pending_bits(), 8);
    }
    return result;
}

nlohmann::json msix_json(const models::MsixCapability& msix) {
    // Entries still in their reset state (masked, address and data 0, nothing pending) are left out:
    // a 2048-vector table would otherwise swamp the one-line reply.
    nlohmann::json entries = nlohmann::json::array();
    nlohmann::json pending = nlohmann::json::array();
    for (unsigned vector = 0; vector < msix.vectors(); ++vector) {
        const auto& entry = msix.entry(vector);
        const bool is_pending = msix.pending(vector);
        if (is_pending) {
            pending.push_back(vector);
        }
        if (entry.masked() && entry.address == 0 && entry.data == 0 && !is_pending) {
            continue;
        }
        entries.push_back({{"vector", vector},
                           {"address", hex_string(entry.address, 8)},
                           {"data", hex_string(entry.data, 4)},
                           {"masked", entry.masked()},
                           {"effectively_masked", msix.vector_masked(vector)},
                           {"pending", is_pending}});
    }
    const auto& config = msix.config();
    return {{"offset", hex_string(msix.offset(), 2)},
            {"enabled", msix.enabled()},
            {"function_masked", msix.function_masked()},
            {"table_size", msix.vectors()},
            {"table", {{"bar", config.table_bar}, {"offset", hex_string(config.table_offset, 4)}}},
            {"pba", {{"bar", config.pba_bar}, {"offset", hex_string(config.pba_offset, 4)}}},
            {"entries_in_use", entries},
            {"pending_vectors", pending}};
}

} // namespace

nlohmann::json pci_function_json(models::PciFunction& function, std::string_view kind) {
    namespace reg = models::pci;
    const auto& counters = function.counters();
    nlohmann::json result = {
        {"bdf", function.bdf().to_string()},
        {"name", function.name()},
        {"kind", std::string(kind)},
        {"vendor_id", hex_string(function.config_peek(reg::kVendorId, 2), 4)},
        {"device_id", hex_string(function.config_peek(reg::kDeviceId, 2), 4)},
        {"revision", hex_string(function.config_peek(reg::kRevisionId, 1), 2)},
        {"class_code", hex_string(function.config_peek(reg::kClassProgIf, 4) >> 8, 6)},
        {"header_type", hex_string(function.config_peek(reg::kHeaderType, 1), 2)},
        {"command", hex_string(function.config_peek(reg::kCommand, 2), 4)},
        {"status", hex_string(function.config_peek(reg::kStatus, 2), 4)},
        {"bus_master", function.bus_master_enabled()},
        {"interrupt_line", function.config_peek(reg::kInterruptLine, 1)},
        {"interrupt_pin", function.config_peek(reg::kInterruptPin, 1)},
        {"intx_condition", function.intx_condition()},
        {"intx_asserted", function.intx_pin_asserted()},
        {"bars", bars_json(function)},
        {"msi", function.msi() != nullptr ? msi_json(*function.msi()) : nlohmann::json(nullptr)},
        {"msix", function.msix() != nullptr ? msix_json(*function.msix()) : nlohmann::json(nullptr)},
        {"stats",
         {{"msi_sent", counters.msi_sent},
          {"msix_sent", counters.msix_sent},
          {"msi_pending_set", counters.msi_pending_set},
          {"msi_pending_delivered", counters.msi_pending_delivered},
          {"msix_pending_set", counters.msix_pending_set},
          {"msix_pending_delivered", counters.msix_pending_delivered},
          {"intx_asserted", counters.intx_asserted},
          {"messages_blocked", counters.messages_blocked},
          {"bad_accesses", function.bad_accesses()}}}};
    return result;
}

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
