// PciFunction: the type-0 configuration header (vtd-pci-nvme.md §2.1), BAR registers (§2.3) and the
// capability list (§2.4), all in one RegisterBank.
#include "models/pci/pci_function.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace x86sim::models {

using namespace pci;

std::string PciBdf::to_string() const {
    char text[16];
    std::snprintf(text, sizeof text, "%02x:%02x.%x", bus, device & 0x1F, function & 0x7);
    return text;
}

void PciFunction::build_header() {
    auto& bank = config_;
    const auto ro = RegisterAccess::ReadOnly;
    bank.add(
        {.name = "vendor_id", .offset = kVendorId, .width = 2, .reset = identity_.vendor_id, .access = ro});
    bank.add(
        {.name = "device_id", .offset = kDeviceId, .width = 2, .reset = identity_.device_id, .access = ro});
    bank.add({.name = "command",
              .offset = kCommand,
              .width = 2,
              .reset = 0,
              .write_mask = kCommandWritable,
              .on_write = [this](Register& reg, std::uint64_t value, std::uint64_t mask) {
                  write_command(reg, value, mask);
              }});
    // Status: bits 3 and 4 are read-only state, the error bits are RW1C (§2.1).
    bank.add({.name = "status",
              .offset = kStatus,
              .width = 2,
              .reset = 0,
              .access = RegisterAccess::WriteOneToClear,
              .write_mask = kStatusWriteOneToClear});
    bank.add({.name = "revision_id",
              .offset = kRevisionId,
              .width = 1,
              .reset = identity_.revision,
              .access = ro});
    bank.add({.name = "prog_if",
              .offset = kClassProgIf,
              .width = 1,
              .reset = identity_.class_code & 0xFF,
              .access = ro});
    bank.add({.name = "subclass",
              .offset = kClassSub,
              .width = 1,
              .reset = (identity_.class_code >> 8) & 0xFF,
              .access = ro});
    bank.add({.name = "base_class",
              .offset = kClassBase,
              .width = 1,
              .reset = (identity_.class_code >> 16) & 0xFF,
              .access = ro});
    bank.add({.name = "cache_line_size", .offset = kCacheLineSize, .width = 1});
    bank.add({.name = "latency_timer", .offset = kLatencyTimer, .width = 1, .access = ro}); // 0 on PCIe
    bank.add({.name = "header_type",
              .offset = kHeaderType,
              .width = 1,
              .reset = identity_.multifunction ? std::uint64_t{kHeaderTypeMultiFunction} : 0,
              .access = ro});
    bank.add({.name = "bist", .offset = kBist, .width = 1, .access = ro});
    for (unsigned index = 0; index < kBarCount; ++index) {
        // Every BAR slot takes writes: sizing probes of unimplemented BARs are legitimate software
        // behaviour, not garbage, so they read back 0 without being counted as read-only writes.
        bank.add({.name = "bar" + std::to_string(index),
                  .offset = static_cast<std::uint64_t>(kBar0 + 4 * index),
                  .width = 4,
                  .on_write = [this, index](Register&, std::uint64_t value, std::uint64_t mask) {
                      write_bar(index, value, mask);
                  }});
        bars_[index] = Bar(index, {});
    }
    bank.add({.name = "cardbus_cis", .offset = kCardbusCis, .width = 4, .access = ro});
    bank.add({.name = "subsystem_vendor_id",
              .offset = kSubsystemVendorId,
              .width = 2,
              .reset = identity_.subsystem_vendor_id,
              .access = ro});
    bank.add({.name = "subsystem_id",
              .offset = kSubsystemId,
              .width = 2,
              .reset = identity_.subsystem_id,
              .access = ro});
    // Expansion ROM not implemented: the probe reads back 0 (§2.3 "a BAR that reads back 0").
    bank.add({.name = "expansion_rom", .offset = kExpansionRom, .width = 4, .write_mask = 0});
    bank.add({.name = "capabilities_pointer", .offset = kCapabilitiesPointer, .width = 1, .access = ro});
    bank.add({.name = "interrupt_line", .offset = kInterruptLine, .width = 1}); // software scratch
    bank.add({.name = "interrupt_pin",
              .offset = kInterruptPin,
              .width = 1,
              .reset = static_cast<std::uint8_t>(identity_.interrupt_pin),
              .access = ro});
    bank.add({.name = "min_gnt", .offset = kMinGnt, .width = 1, .access = ro});
    bank.add({.name = "max_lat", .offset = kMaxLat, .width = 1, .access = ro});
}

void PciFunction::write_command(Register& reg, std::uint64_t value, std::uint64_t mask) {
    reg.apply(value, mask);
    command_ = static_cast<std::uint16_t>(reg.value);
    // INTx disable = 1 deasserts an asserted INTx (§2.1); clearing it re-asserts a pending condition.
    update_intx_pin();
}

void PciFunction::write_bar(unsigned index, std::uint64_t value, std::uint64_t mask) {
    Register* reg = config_.find(kBar0 + 4 * index);
    const auto merged = static_cast<std::uint32_t>((reg->value & ~mask) | (value & mask));
    if (bars_[index].implemented()) {
        Bar& bar = bars_[index];
        reg->value = bar.encode_low(merged);
        bar.set_registers(static_cast<std::uint32_t>(reg->value), bar.high_register());
        return;
    }
    if (index > 0 && bars_[index - 1].spec().kind == BarKind::Memory64) {
        Bar& bar = bars_[index - 1];
        reg->value = bar.encode_high(merged);
        bar.set_registers(bar.low_register(), static_cast<std::uint32_t>(reg->value));
        return;
    }
    reg->value = 0; // unimplemented BAR: hardwired 0
}

void PciFunction::add_bar(unsigned index, const BarSpec& spec) {
    if (index >= kBarCount) {
        throw std::logic_error(name_ + ": BAR index out of range");
    }
    const bool upper_of_previous = index > 0 && bars_[index - 1].spec().kind == BarKind::Memory64;
    if (bars_[index].implemented() || upper_of_previous ||
        (spec.kind == BarKind::Memory64 && index + 1 < kBarCount && bars_[index + 1].implemented())) {
        throw std::logic_error(name_ + ": BAR" + std::to_string(index) + " slot already in use");
    }
    bars_[index] = Bar(index, spec);
    Register* reg = config_.find(kBar0 + 4 * index);
    reg->spec.reset = bars_[index].type_bits();
    reg->value = reg->spec.reset;
}

std::uint16_t PciFunction::add_capability(std::uint8_t id, unsigned size) {
    const unsigned aligned = (size + 3) & ~3u;
    if (next_capability_offset_ + aligned > kLegacyConfigSize) {
        throw std::logic_error(name_ + ": capability space 0x40-0xFF is full");
    }
    const auto offset = next_capability_offset_;
    next_capability_offset_ = static_cast<std::uint16_t>(next_capability_offset_ + aligned);
    config_.add({.name = "cap" + std::to_string(offset) + "_id",
                 .offset = offset,
                 .width = 1,
                 .reset = id,
                 .access = RegisterAccess::ReadOnly});
    config_.add({.name = "cap" + std::to_string(offset) + "_next",
                 .offset = static_cast<std::uint64_t>(offset + 1),
                 .width = 1,
                 .reset = 0,
                 .access = RegisterAccess::ReadOnly});
    // Link it in: the pointer at 0x34 for the first, the previous capability's next field otherwise.
    Register* link =
        last_capability_ == 0 ? config_.find(kCapabilitiesPointer) : config_.find(last_capability_ + 1u);
    link->spec.reset = offset;
    link->value = offset;
    last_capability_ = offset;
    Register* status = config_.find(kStatus);
    status->spec.reset |= kStatusCapabilities;
    status->value |= kStatusCapabilities;
    return offset;
}

void PciFunction::set_status_bits(std::uint16_t bits, bool set) {
    Register* status = config_.find(kStatus);
    status->value = set ? (status->value | bits) : (status->value & ~static_cast<std::uint64_t>(bits));
}

std::uint64_t PciFunction::register_value(std::uint16_t offset) const {
    const auto& registers = config_.registers();
    const auto position =
        std::lower_bound(registers.begin(), registers.end(), offset,
                         [](const Register& r, std::uint64_t off) { return r.spec.offset < off; });
    return position != registers.end() && position->spec.offset == offset ? position->value : 0;
}

void PciFunction::sync_from_registers() {
    command_ = static_cast<std::uint16_t>(config_.peek(kCommand, 2));
    for (unsigned index = 0; index < kBarCount; ++index) {
        if (!bars_[index].implemented()) {
            continue;
        }
        const auto low = static_cast<std::uint32_t>(config_.peek(kBar0 + 4 * index, 4));
        const auto high = bars_[index].spec().kind == BarKind::Memory64
                              ? static_cast<std::uint32_t>(config_.peek(kBar0 + 4 * (index + 1), 4))
                              : 0u;
        bars_[index].set_registers(low, high);
    }
}

AccessStatus PciFunction::config_read(std::uint16_t offset, unsigned size, std::uint32_t& value) {
    std::uint64_t wide = 0;
    const auto status = config_.read(offset, size, wide);
    value = static_cast<std::uint32_t>(wide);
    return status;
}

AccessStatus PciFunction::config_write(std::uint16_t offset, unsigned size, std::uint32_t value) {
    return config_.write(offset, size, value);
}

std::uint32_t PciFunction::config_peek(std::uint16_t offset, unsigned size) const {
    return static_cast<std::uint32_t>(config_.peek(offset, size));
}

std::string PciFunction::dump_config(unsigned bytes) const {
    std::string text = name_ + " " + bdf_.to_string() + " configuration space\n";
    char line[8];
    for (unsigned offset = 0; offset < bytes && offset < kConfigSpaceSize; ++offset) {
        if (offset % 16 == 0) {
            std::snprintf(line, sizeof line, "%03x:", offset);
            text += line;
        }
        std::snprintf(line, sizeof line, " %02x", static_cast<unsigned>(config_.peek(offset, 1)));
        text += line;
        if (offset % 16 == 15) {
            text += '\n';
        }
    }
    for (const auto& bar : bars_) {
        if (bar.implemented()) {
            text += bar.describe() + '\n';
        }
    }
    return text;
}

} // namespace x86sim::models
