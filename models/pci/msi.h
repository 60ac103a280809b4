// MSI capability (ID 0x05), vtd-pci-nvme.md §2.5, in all four layouts: 32/64-bit address, with or
// without per-vector masking.
//
//  - Multiple Message Enable: vector k is sent with data = (Data & ~(2^MME - 1)) | k (the function owns
//    the low MME bits; QEMU hw/pci/msi.c does the same). MME writes above MMC are clamped to MMC.
//  - Per-vector masking: an event on a masked vector sets its pending bit and sends nothing; clearing
//    the mask (or enabling MSI) with the pending bit set sends one message and clears the bit.
//  - A vector number >= 2^MME is counted (vector_out_of_range) and folded into the granted range
//    (k mod 2^MME): the function may use only the vectors it was granted.
//  - Address/data are read at send time. A message whose address is outside 0xFEEx_xxxx is sent
//    anyway (it is an ordinary memory write: RAM or UR) and counted as msi_bad_address.
//
// Not modelled: extended message data (bit 9 reads 0).
#pragma once

#include "models/common/interrupt_message.h"
#include "models/pci/pci_function.h"

#include <cstdint>
#include <string>

namespace x86sim::models {

class MsiCapability {
  public:
    // Adds the capability's registers to `function`'s configuration space.
    MsiCapability(PciFunction& function, const MsiConfig& config);

    std::uint16_t offset() const { return offset_; }
    const MsiConfig& config() const { return config_; }
    std::uint16_t size() const;

    bool enabled() const;
    unsigned granted_vectors() const; // 2^MME
    std::uint32_t mask_bits() const;
    std::uint32_t pending_bits() const;
    // The message vector k would be sent with now.
    MsiMessage message(unsigned vector) const;

    // An interrupt event on vector k (the caller has checked that MSI is the active mechanism).
    InterruptOutcome fire(unsigned vector, std::uint64_t offset_ps = 0);

    void reset();
    std::string describe() const;

  private:
    std::uint16_t control_offset() const { return offset_ + 2; }
    std::uint16_t address_offset() const { return offset_ + 4; }
    std::uint16_t data_offset() const { return offset_ + (config_.address_64bit ? 0x0C : 0x08); }
    std::uint16_t mask_offset() const { return offset_ + (config_.address_64bit ? 0x10 : 0x0C); }
    std::uint16_t pending_offset() const { return mask_offset() + 4; }
    std::uint64_t reg(std::uint16_t offset) const;
    void set_reg(std::uint16_t offset, std::uint64_t value);
    std::uint32_t implemented_vector_mask() const; // bits of the 2^MMC vectors
    void deliver_unmasked_pending();

    PciFunction& function_;
    MsiConfig config_;
    std::uint16_t offset_ = 0;
};

} // namespace x86sim::models
