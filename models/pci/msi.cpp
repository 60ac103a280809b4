// MSI capability, vtd-pci-nvme.md §2.5.
#include "models/pci/msi.h"

#include <bit>
#include <cstdio>
#include <stdexcept>

namespace x86sim::models {

namespace {
// Message Control fields (§2.5).
constexpr std::uint16_t kEnable = 1u << 0;
constexpr unsigned kMmcShift = 1;
constexpr unsigned kMmeShift = 4;
constexpr std::uint16_t kMmeMask = 0x7u << kMmeShift;
constexpr std::uint16_t k64Bit = 1u << 7;
constexpr std::uint16_t kPerVectorMask = 1u << 8;
} // namespace

MsiCapability::MsiCapability(PciFunction& function, const MsiConfig& config)
    : function_(function), config_(config) {
    if (config_.vectors_log2 > 5) {
        throw std::logic_error(function.name() + ": MSI supports at most 32 vectors (MMC <= 5, §2.5)");
    }
    offset_ = function_.add_capability(pci::kCapIdMsi, size());
    auto& bank = function_.config_bank();
    const std::uint16_t control_reset =
        static_cast<std::uint16_t>(config_.vectors_log2 << kMmcShift | (config_.address_64bit ? k64Bit : 0) |
                                   (config_.per_vector_masking ? kPerVectorMask : 0));
    bank.add({.name = "msi_control",
              .offset = control_offset(),
              .width = 2,
              .reset = control_reset,
              .write_mask = kEnable | kMmeMask,
              .on_write = [this](Register& reg, std::uint64_t value, std::uint64_t mask) {
                  const bool was_enabled = enabled();
                  reg.apply(value, mask);
                  // MME above MMC is clamped to MMC (QEMU hw/pci/msi.c behaves the same).
                  const unsigned mme = (reg.value & kMmeMask) >> kMmeShift;
                  if (mme > config_.vectors_log2) {
                      reg.value = (reg.value & ~static_cast<std::uint64_t>(kMmeMask)) |
                                  (config_.vectors_log2 << kMmeShift);
                  }
                  if (was_enabled != enabled()) {
                      function_.update_intx_pin(); // §2.6: no INTx while MSI is enabled
                  }
                  deliver_unmasked_pending();
              }});
    // Address bits 1:0 are zero: DWORD aligned (§2.5).
    bank.add({.name = "msi_address", .offset = address_offset(), .width = 4, .write_mask = 0xFFFF'FFFCu});
    if (config_.address_64bit) {
        bank.add({.name = "msi_address_high", .offset = address_offset() + 4u, .width = 4});
    }
    bank.add({.name = "msi_data", .offset = data_offset(), .width = 2});
    if (config_.per_vector_masking) {
        bank.add({.name = "msi_mask",
                  .offset = mask_offset(),
                  .width = 4,
                  .write_mask = implemented_vector_mask(),
                  .on_write = [this](Register& reg, std::uint64_t value, std::uint64_t mask) {
                      reg.apply(value, mask);
                      deliver_unmasked_pending();
                  }});
        bank.add({.name = "msi_pending",
                  .offset = pending_offset(),
                  .width = 4,
                  .access = RegisterAccess::ReadOnly});
    }
}

std::uint16_t MsiCapability::size() const {
    if (config_.per_vector_masking) {
        return config_.address_64bit ? 0x18 : 0x14;
    }
    return config_.address_64bit ? 0x0E : 0x0A;
}

std::uint64_t MsiCapability::reg(std::uint16_t offset) const {
    return function_.register_value(offset);
}

void MsiCapability::set_reg(std::uint16_t offset, std::uint64_t value) {
    function_.config_.find(offset)->value = value;
}

std::uint32_t MsiCapability::implemented_vector_mask() const {
    const unsigned count = 1u << config_.vectors_log2;
    return count >= 32 ? 0xFFFF'FFFFu : ((1u << count) - 1);
}

bool MsiCapability::enabled() const {
    return (reg(control_offset()) & kEnable) != 0;
}

unsigned MsiCapability::granted_vectors() const {
    return 1u << ((reg(control_offset()) & kMmeMask) >> kMmeShift);
}

std::uint32_t MsiCapability::mask_bits() const {
    return config_.per_vector_masking ? static_cast<std::uint32_t>(reg(mask_offset())) : 0;
}

std::uint32_t MsiCapability::pending_bits() const {
    return config_.per_vector_masking ? static_cast<std::uint32_t>(reg(pending_offset())) : 0;
}

MsiMessage MsiCapability::message(unsigned vector) const {
    MsiMessage message;
    message.address = reg(address_offset());
    if (config_.address_64bit) {
        message.address |= reg(static_cast<std::uint16_t>(address_offset() + 4)) << 32;
    }
    // The function owns the low MME bits of the data (§2.5).
    const unsigned granted = granted_vectors();
    const auto data = static_cast<std::uint32_t>(reg(data_offset()));
    message.data = (data & ~(granted - 1)) | (vector & (granted - 1));
    message.requester_id = function_.requester_id();
    return message;
}

InterruptOutcome MsiCapability::fire(unsigned vector, std::uint64_t offset_ps) {
    const unsigned granted = granted_vectors();
    if (vector >= granted) {
        ++function_.counters_.vector_out_of_range;
        vector &= granted - 1;
    }
    if (config_.per_vector_masking && (mask_bits() >> vector & 1) != 0) {
        set_reg(pending_offset(), pending_bits() | 1u << vector);
        ++function_.counters_.msi_pending_set;
        return InterruptOutcome::Pending;
    }
    return function_.send_message(message(vector), false, offset_ps);
}

void MsiCapability::deliver_unmasked_pending() {
    if (!config_.per_vector_masking || !enabled()) {
        return;
    }
    std::uint32_t ready = pending_bits() & ~mask_bits();
    while (ready != 0) {
        const auto vector = static_cast<unsigned>(std::countr_zero(ready));
        ready &= ready - 1;
        set_reg(pending_offset(), pending_bits() & ~(1u << vector));
        ++function_.counters_.msi_pending_delivered;
        function_.send_message(message(vector), false, 0);
    }
}

void MsiCapability::reset() {
    // The registers are reset with the rest of the configuration space; nothing else is kept here.
}

std::string MsiCapability::describe() const {
    char text[200];
    const auto msg = message(0);
    std::snprintf(
        text, sizeof text,
        "MSI @0x%02x: enable %d MMC %u MME %u %s%s address 0x%llx data 0x%04x mask 0x%08x pending 0x%08x\n",
        offset_, enabled() ? 1 : 0, config_.vectors_log2,
        static_cast<unsigned>(std::countr_zero(granted_vectors())),
        config_.address_64bit ? "64-bit" : "32-bit", config_.per_vector_masking ? " per-vector-mask" : "",
        static_cast<unsigned long long>(msg.address), msg.data, mask_bits(), pending_bits());
    return text;
}

} // namespace x86sim::models
