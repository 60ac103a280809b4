// MSI-X capability (ID 0x11), vtd-pci-nvme.md §2.6: Message Control (table size, Function Mask,
// Enable), table and PBA in a BAR.
//
//  - A vector is masked when its Vector Control mask bit is 1, or Function Mask is 1, or Enable is 0.
//    An event on a masked vector sets its PBA bit and sends nothing; several events while masked
//    leave one pending bit. When the vector becomes unmasked (vector mask cleared, Function Mask
//    cleared, Enable set) with its PBA bit set, the function sends one message built from the table
//    entry as it is at that moment and clears the bit.
//  - Reset (§2.6): Enable = 0, Function Mask = 0, every vector masked, PBA clear, address/data zero.
//  - Table and PBA accesses must be DWORD or QWORD sized and naturally aligned; anything else reads
//    all ones / is dropped and is counted (msix_bad_access). PBA writes are ignored and counted.
//    A QWORD write covering Message Data and Vector Control takes effect as one access (the unmask is
//    evaluated after both dwords are stored).
//  - Rewriting address/data of an unmasked entry is allowed but counted (the spec calls the result
//    undefined; the model latches address/data at send time, so the next message uses the new values).
//
// Not modelled: steering tags in Vector Control 31:16 (read 0).
#pragma once

#include "models/common/interrupt_message.h"
#include "models/common/mmio.h"
#include "models/pci/pci_function.h"

#include <cstdint>
#include <string>
#include <vector>

namespace x86sim::models {

struct MsixEntry {
    std::uint64_t address = 0;
    std::uint32_t data = 0;
    std::uint32_t vector_control = 1; // bit 0: mask
    bool masked() const { return (vector_control & 1) != 0; }
};

class MsixCapability {
  public:
    // Adds the capability's registers to `function`'s configuration space. Throws std::logic_error if
    // the table or PBA does not fit its BAR, or they overlap (QEMU refuses that too, §2.6).
    MsixCapability(PciFunction& function, const MsixConfig& config);

    std::uint16_t offset() const { return offset_; }
    const MsixConfig& config() const { return config_; }
    unsigned vectors() const { return config_.vectors; }

    bool enabled() const { return enabled_; }
    bool function_masked() const { return function_mask_; }
    bool vector_masked(unsigned vector) const; // the effective mask (§2.6)
    bool pending(unsigned vector) const;
    const MsixEntry& entry(unsigned vector) const { return table_.at(vector); }
    std::uint64_t table_bytes() const { return 16ULL * config_.vectors; }
    std::uint64_t pba_bytes() const { return 8ULL * ((config_.vectors + 63) / 64); }

    // An interrupt event on `vector`. Function calls only: from here to ApicBus::deliver_message no
    // SystemC event is involved.
    InterruptOutcome fire(unsigned vector, std::uint64_t offset_ps = 0);

    // BAR accesses: whether (bar, offset) hits the table or the PBA, and the accesses themselves.
    bool claims(unsigned bar, std::uint64_t offset) const;
    MmioResult mmio_read(unsigned bar, std::uint64_t offset, unsigned size, std::uint64_t& value);
    MmioResult mmio_write(unsigned bar, std::uint64_t offset, unsigned size, std::uint64_t value);

    void reset();
    std::string describe() const;

  private:
    bool in_table(unsigned bar, std::uint64_t offset) const;
    bool in_pba(unsigned bar, std::uint64_t offset) const;
    std::uint32_t read_table_dword(std::uint64_t table_offset) const;
    void write_table_dword(std::uint64_t table_offset, std::uint32_t value);
    void write_control(Register& reg, std::uint64_t value, std::uint64_t mask);
    void set_pending(unsigned vector, bool pending);
    // Sends every pending vector that is now unmasked, lowest vector first.
    void deliver_unmasked_pending();
    InterruptOutcome send(unsigned vector, std::uint64_t offset_ps);

    PciFunction& function_;
    MsixConfig config_;
    std::uint16_t offset_ = 0;
    bool enabled_ = false;
    bool function_mask_ = false;
    std::vector<MsixEntry> table_;
    std::vector<std::uint64_t> pba_;
    std::uint64_t pending_count_ = 0; // PBA bits set, so unmask checks are cheap when none are
};

} // namespace x86sim::models
