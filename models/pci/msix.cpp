// MSI-X capability, vtd-pci-nvme.md §2.6.
#include "models/pci/msix.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <stdexcept>

namespace x86sim::models {

namespace {
// Message Control fields (§2.6).
constexpr std::uint16_t kFunctionMask = 1u << 14;
constexpr std::uint16_t kEnable = 1u << 15;
constexpr unsigned kEntryBytes = 16;

std::uint64_t all_ones(unsigned size) {
    return size >= 8 ? ~0ULL : ((1ULL << (size * 8)) - 1);
}
} // namespace

MsixCapability::MsixCapability(PciFunction& function, const MsixConfig& config)
    : function_(function), config_(config), table_(config.vectors), pba_((config.vectors + 63) / 64, 0) {
    const auto& name = function.name();
    if (config_.vectors < 1 || config_.vectors > 2048) {
        throw std::logic_error(name + ": MSI-X supports 1..2048 vectors (§2.6)");
    }
    if (config_.table_bar >= pci::kBarCount || config_.pba_bar >= pci::kBarCount ||
        !function.bar(config_.table_bar).is_memory() || !function.bar(config_.pba_bar).is_memory()) {
        throw std::logic_error(name + ": MSI-X table and PBA must live in implemented memory BARs");
    }
    if (config_.table_offset % 8 != 0 || config_.pba_offset % 8 != 0) {
        throw std::logic_error(name + ": MSI-X table/PBA offsets must be QWORD aligned (§2.6)");
    }
    if (config_.table_offset + table_bytes() > function.bar(config_.table_bar).spec().size ||
        config_.pba_offset + pba_bytes() > function.bar(config_.pba_bar).spec().size) {
        throw std::logic_error(name + ": MSI-X table or PBA does not fit its BAR");
    }
    if (config_.table_bar == config_.pba_bar && config_.table_offset < config_.pba_offset + pba_bytes() &&
        config_.pba_offset < config_.table_offset + table_bytes()) {
        throw std::logic_error(name + ": MSI-X table and PBA overlap (§2.6)");
    }
    offset_ = function_.add_capability(pci::kCapIdMsix, 12);
    auto& bank = function_.config_bank();
    bank.add({.name = "msix_control",
              .offset = static_cast<std::uint64_t>(offset_ + 2),
              .width = 2,
              .reset = config_.vectors - 1u, // Table Size is N-1 (§2.6)
              .write_mask = kFunctionMask | kEnable,
              .on_write = [this](Register& reg, std::uint64_t value, std::uint64_t mask) {
                  write_control(reg, value, mask);
              }});
    bank.add({.name = "msix_table",
              .offset = static_cast<std::uint64_t>(offset_ + 4),
              .width = 4,
              .reset = config_.table_offset | config_.table_bar,
              .access = RegisterAccess::ReadOnly});
    bank.add({.name = "msix_pba",
              .offset = static_cast<std::uint64_t>(offset_ + 8),
              .width = 4,
              .reset = config_.pba_offset | config_.pba_bar,
              .access = RegisterAccess::ReadOnly});
    reset();
}

void MsixCapability::write_control(Register& reg, std::uint64_t value, std::uint64_t mask) {
    const bool was_enabled = enabled_;
    reg.apply(value, mask);
    enabled_ = (reg.value & kEnable) != 0;
    function_mask_ = (reg.value & kFunctionMask) != 0;
    if (was_enabled != enabled_) {
        function_.update_intx_pin(); // §2.6: INTx is not used while MSI-X is enabled
    }
    deliver_unmasked_pending(); // Enable 0->1 or Function Mask 1->0 may unmask pending vectors
}

bool MsixCapability::vector_masked(unsigned vector) const {
    return !enabled_ || function_mask_ || table_.at(vector).masked();
}

bool MsixCapability::pending(unsigned vector) const {
    return (pba_.at(vector / 64) >> (vector % 64) & 1) != 0;
}

void MsixCapability::set_pending(unsigned vector, bool set) {
    auto& word = pba_[vector / 64];
    const std::uint64_t bit = 1ULL << (vector % 64);
    if (((word & bit) != 0) == set) {
        return;
    }
    word ^= bit;
    pending_count_ += set ? 1 : static_cast<std::uint64_t>(-1);
}

InterruptOutcome MsixCapability::fire(unsigned vector, std::uint64_t offset_ps) {
    if (vector >= config_.vectors) {
        ++function_.counters_.vector_out_of_range;
        return InterruptOutcome::InvalidVector;
    }
    if (!enabled_ || function_mask_ || table_[vector].masked()) {
        // Several events while masked leave one pending bit: one message at unmask (§2.6).
        set_pending(vector, true);
        ++function_.counters_.msix_pending_set;
        return InterruptOutcome::Pending;
    }
    return send(vector, offset_ps);
}

InterruptOutcome MsixCapability::send(unsigned vector, std::uint64_t offset_ps) {
    // Address and data are latched now, from the table as it is at send time (§2.6).
    const MsixEntry& entry = table_[vector];
    const MsiMessage message{
        .address = entry.address, .data = entry.data, .requester_id = function_.requester_id()};
    return function_.send_message(message, true, offset_ps);
}

void MsixCapability::deliver_unmasked_pending() {
    if (pending_count_ == 0 || !enabled_ || function_mask_) {
        return;
    }
    for (std::size_t word = 0; word < pba_.size(); ++word) {
        std::uint64_t bits = pba_[word];
        while (bits != 0) {
            const auto vector =
                static_cast<unsigned>(word * 64 + static_cast<unsigned>(std::countr_zero(bits)));
            bits &= bits - 1;
            if (table_[vector].masked()) {
                continue;
            }
            set_pending(vector, false);
            ++function_.counters_.msix_pending_delivered;
            send(vector, 0);
        }
    }
}

bool MsixCapability::in_table(unsigned bar, std::uint64_t offset) const {
    return bar == config_.table_bar && offset >= config_.table_offset &&
           offset - config_.table_offset < table_bytes();
}

bool MsixCapability::in_pba(unsigned bar, std::uint64_t offset) const {
    return bar == config_.pba_bar && offset >= config_.pba_offset &&
           offset - config_.pba_offset < pba_bytes();
}

bool MsixCapability::claims(unsigned bar, std::uint64_t offset) const {
    return in_table(bar, offset) || in_pba(bar, offset);
}

std::uint32_t MsixCapability::read_table_dword(std::uint64_t table_offset) const {
    const MsixEntry& entry = table_[table_offset / kEntryBytes];
    switch (table_offset % kEntryBytes / 4) {
    case 0:
        return static_cast<std::uint32_t>(entry.address);
    case 1:
        return static_cast<std::uint32_t>(entry.address >> 32);
    case 2:
        return entry.data;
    default:
        return entry.vector_control;
    }
}

void MsixCapability::write_table_dword(std::uint64_t table_offset, std::uint32_t value) {
    const auto vector = static_cast<unsigned>(table_offset / kEntryBytes);
    MsixEntry& entry = table_[vector];
    const auto field = table_offset % kEntryBytes / 4;
    if (field < 3 && !vector_masked(vector)) {
        ++function_.counters_.msix_unmasked_entry_writes; // undefined by the spec; counted, applied
    }
    switch (field) {
    case 0:
        entry.address = (entry.address & 0xFFFF'FFFF'0000'0000ULL) | (value & 0xFFFF'FFFCu); // bits 1:0 zero
        break;
    case 1:
        entry.address = (entry.address & 0xFFFF'FFFFULL) | static_cast<std::uint64_t>(value) << 32;
        break;
    case 2:
        entry.data = value;
        break;
    default:
        entry.vector_control = value & 1u; // 31:1 reserved (§2.6)
        break;
    }
}

MmioResult MsixCapability::mmio_read(unsigned bar, std::uint64_t offset, unsigned size,
                                     std::uint64_t& value) {
    if ((size != 4 && size != 8) || offset % size != 0) {
        // §2.6: DWORD or QWORD, aligned. Anything else is not a valid table access.
        ++function_.counters_.msix_bad_access;
        value = all_ones(size);
        return {size != 4 && size != 8 ? AccessStatus::BadSize : AccessStatus::Misaligned, 0};
    }
    if (in_table(bar, offset)) {
        const auto t = offset - config_.table_offset;
        value = read_table_dword(t);
        if (size == 8) {
            value |= static_cast<std::uint64_t>(read_table_dword(t + 4)) << 32;
        }
        return {};
    }
    const auto p = offset - config_.pba_offset;
    value = pba_[p / 8] >> (p % 8 * 8);
    value &= all_ones(size);
    return {};
}

MmioResult MsixCapability::mmio_write(unsigned bar, std::uint64_t offset, unsigned size,
                                      std::uint64_t value) {
    if ((size != 4 && size != 8) || offset % size != 0) {
        ++function_.counters_.msix_bad_access;
        return {size != 4 && size != 8 ? AccessStatus::BadSize : AccessStatus::Misaligned, 0};
    }
    if (in_pba(bar, offset)) {
        ++function_.counters_.msix_pba_writes; // read-only; writes ignored (§2.6)
        return {AccessStatus::ReadOnlyWrite, 0};
    }
    const auto t = offset - config_.table_offset;
    write_table_dword(t, static_cast<std::uint32_t>(value));
    if (size == 8) {
        write_table_dword(t + 4, static_cast<std::uint32_t>(value >> 32));
    }
    // The whole access has landed: if the entry is now unmasked with its PBA bit set, send once.
    const auto vector = static_cast<unsigned>(t / kEntryBytes);
    if (pending(vector) && !vector_masked(vector)) {
        set_pending(vector, false);
        ++function_.counters_.msix_pending_delivered;
        send(vector, 0);
    }
    return {};
}

void MsixCapability::reset() {
    // §2.6 reset: Enable = 0, Function Mask = 0, every vector masked, PBA clear (QEMU also zeroes
    // address and data). The Message Control register itself is reset with configuration space.
    enabled_ = false;
    function_mask_ = false;
    for (auto& entry : table_) {
        entry = MsixEntry{};
    }
    std::fill(pba_.begin(), pba_.end(), 0);
    pending_count_ = 0;
}

std::string MsixCapability::describe() const {
    char line[200];
    std::snprintf(line, sizeof line,
                  "MSI-X @0x%02x: enable %d function-mask %d vectors %u table BAR%u+0x%x PBA BAR%u+0x%x\n",
                  offset_, enabled_ ? 1 : 0, function_mask_ ? 1 : 0, config_.vectors, config_.table_bar,
                  config_.table_offset, config_.pba_bar, config_.pba_offset);
    std::string text = line;
    for (unsigned vector = 0; vector < config_.vectors; ++vector) {
        const auto& entry = table_[vector];
        std::snprintf(line, sizeof line, "  [%u] address 0x%016llx data 0x%08x control 0x%08x pending %d\n",
                      vector, static_cast<unsigned long long>(entry.address), entry.data,
                      entry.vector_control, pending(vector) ? 1 : 0);
        text += line;
    }
    return text;
}

} // namespace x86sim::models
