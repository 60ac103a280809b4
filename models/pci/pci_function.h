// A reusable PCI Express function (endpoint): type-0 configuration header, BARs, capability list,
// MSI / MSI-X capabilities, INTx, and its one UpstreamPort. Devices (test device, NVMe) derive from it
// and implement their BAR registers in on_bar_read / on_bar_write.
//
// Implements (vtd-pci-nvme.md):
//  §2.1 type-0 header: read-only IDs, Command (I/O, memory, bus master, INTx disable), Status
//       (capabilities list, interrupt status, RW1C error bits; received master abort is set when an
//       upstream request gets UR), Interrupt Line / Pin.
//  §2.3 BARs with size probing (bar.h); decoding follows Command.IO / Command.MEM.
//  §2.4 the capability list (0x34, linked at 0x40..0xFF); no extended capabilities (0x100 reads 0).
//  §2.5 MSI (msi.h), §2.6 MSI-X (msix.h), INTx rules of §2.1 and §2.6.
// Every config access goes through one RegisterBank (natural alignment, 1/2/4 bytes), which drops and
// counts writes to read-only fields and accesses of the wrong size.
//
// Not modelled: PCI Express / power-management capabilities, AER, parity/SERR signalling, BIST,
// Expansion ROM, the Cache Line Size's effect, function-level reset through a capability (reset() is
// the API equivalent), Relaxed Ordering.
#pragma once

#include "models/common/irq_line.h"
#include "models/common/metric_sink.h"
#include "models/common/mmio.h"
#include "models/common/register_bank.h"
#include "models/pci/bar.h"
#include "models/pci/pci_regs.h"
#include "models/pci/upstream_port.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace x86sim::models {

class MsiCapability;
class MsixCapability;

struct PciIdentity {
    std::uint16_t vendor_id = 0;
    std::uint16_t device_id = 0;
    std::uint8_t revision = 0;
    std::uint32_t class_code = 0; // 24 bits: base << 16 | sub << 8 | prog-if (§2.1)
    std::uint16_t subsystem_vendor_id = 0;
    std::uint16_t subsystem_id = 0;
    pci::InterruptPin interrupt_pin = pci::InterruptPin::IntA;
    bool multifunction = false; // header type bit 7
};

struct MsiConfig {
    unsigned vectors_log2 = 0; // Multiple Message Capable: 0..5 (1..32 vectors)
    bool address_64bit = true;
    bool per_vector_masking = true;
};

struct MsixConfig {
    unsigned vectors = 4; // 1..2048
    unsigned table_bar = 0;
    std::uint32_t table_offset = 0; // QWORD aligned
    unsigned pba_bar = 0;
    std::uint32_t pba_offset = 0; // QWORD aligned
};

// What became of an interrupt the function signalled.
enum class InterruptOutcome : std::uint8_t {
    Sent,         // an MSI / MSI-X message left the function
    Pending,      // the vector is masked: pending bit set, nothing sent
    Blocked,      // the message was refused upstream (bus master disabled, UR)
    UseIntx,      // neither MSI nor MSI-X is enabled: the device must use its INTx condition
    InvalidVector // beyond the MSI-X table (counted, dropped)
};

struct PciFunctionCounters {
    std::uint64_t msi_sent = 0;
    std::uint64_t msix_sent = 0;
    std::uint64_t msi_pending_set = 0;       // events that found their MSI vector masked
    std::uint64_t msi_pending_delivered = 0; // pending MSI vectors sent at unmask
    std::uint64_t msix_pending_set = 0;
    std::uint64_t msix_pending_delivered = 0;
    std::uint64_t intx_asserted = 0;              // INTx pin rising edges
    std::uint64_t messages_blocked = 0;           // messages refused upstream (BME = 0, UR)
    std::uint64_t msi_bad_address = 0;            // messages whose address is not 0xFEEx_xxxx (sent anyway)
    std::uint64_t msix_bad_access = 0;            // table/PBA accesses of the wrong width or alignment
    std::uint64_t msix_pba_writes = 0;            // writes to the read-only PBA (ignored)
    std::uint64_t msix_unmasked_entry_writes = 0; // address/data rewritten while the entry is unmasked
    std::uint64_t vector_out_of_range = 0;
    std::uint64_t bar_bad_access = 0; // BAR accesses the device rejected
};

class PciFunction {
  public:
    PciFunction(std::string name, const PciIdentity& identity);
    virtual ~PciFunction();
    PciFunction(const PciFunction&) = delete;
    PciFunction& operator=(const PciFunction&) = delete;

    const std::string& name() const { return name_; }
    const PciIdentity& identity() const { return identity_; }

    // Bus address, set by RootComplex::attach.
    void set_bdf(PciBdf bdf) { bdf_ = bdf; }
    PciBdf bdf() const { return bdf_; }
    std::uint16_t requester_id() const { return bdf_.requester_id(); }

    // --- configuration space (offset 0..0xFFF; 1, 2 or 4 bytes, naturally aligned) -----------------
    AccessStatus config_read(std::uint16_t offset, unsigned size, std::uint32_t& value);
    AccessStatus config_write(std::uint16_t offset, unsigned size, std::uint32_t value);
    // Side-effect-free view for debuggers.
    std::uint32_t config_peek(std::uint16_t offset, unsigned size) const;

    // --- command register state ---------------------------------------------------------------------
    std::uint16_t command() const { return command_; }
    bool io_enabled() const { return (command_ & pci::kCommandIo) != 0; }
    bool memory_enabled() const { return (command_ & pci::kCommandMemory) != 0; }
    bool bus_master_enabled() const { return (command_ & pci::kCommandBusMaster) != 0; }
    bool intx_disabled() const { return (command_ & pci::kCommandIntxDisable) != 0; }

    // --- BARs ---------------------------------------------------------------------------------------
    const Bar& bar(unsigned index) const { return bars_.at(index); }
    // The BAR that decodes `address` in memory (io = false) or I/O space, honouring Command.MEM/IO;
    // -1 if none. Used by the root complex.
    int decode(std::uint64_t address, bool io) const;
    // An access that the root complex decoded to BAR `index` (offset relative to the BAR base).
    MmioResult bar_read(unsigned index, std::uint64_t offset, unsigned size, std::uint64_t& value);
    MmioResult bar_write(unsigned index, std::uint64_t offset, unsigned size, std::uint64_t value);

    // --- interrupts ---------------------------------------------------------------------------------
    // Signal interrupt `vector` the way software configured the function: MSI-X if enabled, else MSI,
    // else UseIntx (the device then drives its INTx condition). Function calls only.
    InterruptOutcome signal_vector(unsigned vector, std::uint64_t offset_ps = 0);
    // The device's internal INTx condition (level). Status.Interrupt always reflects it; the pin is
    // asserted only while INTx is not disabled and neither MSI nor MSI-X is enabled (§2.1, §2.6).
    void set_intx_condition(bool asserted);
    bool intx_condition() const { return intx_condition_; }
    bool intx_pin_asserted() const { return intx_line_.level(); }
    IrqLine& intx_line() { return intx_line_; }
    bool msi_enabled() const;
    bool msix_enabled() const;
    MsiCapability* msi() { return msi_.get(); }
    MsixCapability* msix() { return msix_.get(); }
    const MsixCapability* msix() const { return msix_.get(); }

    // --- upstream -----------------------------------------------------------------------------------
    UpstreamPort& upstream() { return upstream_; }
    const UpstreamPort& upstream() const { return upstream_; }
    // Called by the port when a request of ours ended with UR (Status bit 13, §2.1).
    void note_received_master_abort();
    void set_interrupt_observer(InterruptPathObserver* observer) { upstream_.set_observer(observer); }

    // --- reset, metrics, debugger -------------------------------------------------------------------
    // Conventional reset: configuration space, capabilities and the device's own state (on_reset).
    void reset();
    const PciFunctionCounters& counters() const { return counters_; }
    const RegisterBankStats& config_stats() const { return config_.stats(); }
    // Garbage from software, summed: config accesses of a wrong size/alignment, MSI-X table misuse,
    // rejected BAR accesses.
    std::uint64_t bad_accesses() const;
    std::uint64_t interrupts() const {
        return counters_.msi_sent + counters_.msix_sent + counters_.intx_asserted;
    }
    virtual void report_metrics(MetricSink& sink) const;
    // Hex dump of the first `bytes` bytes of configuration space, 16 per line ("040: 05 60 ...").
    std::string dump_config(unsigned bytes = 256) const;
    // MSI / MSI-X state in words: enables, masks, table entries, pending bits.
    std::string dump_interrupts() const;

  protected:
    // --- for derived devices, at construction time -------------------------------------------------
    void add_bar(unsigned index, const BarSpec& spec);
    MsiCapability& add_msi(const MsiConfig& config);
    MsixCapability& add_msix(const MsixConfig& config);
    // Reserves `size` bytes of capability space with the given ID and links it into the list; returns
    // its offset. Throws std::logic_error when 0x40..0xFF is full.
    std::uint16_t add_capability(std::uint8_t id, unsigned size);
    RegisterBank& config_bank() { return config_; }

    // Device registers behind BARs. The default answers all ones / drops and counts.
    virtual MmioResult on_bar_read(unsigned index, std::uint64_t offset, unsigned size, std::uint64_t& value);
    virtual MmioResult on_bar_write(unsigned index, std::uint64_t offset, unsigned size, std::uint64_t value);
    // The device's own reset (registers behind BARs, engines).
    virtual void on_reset() {}

  private:
    friend class MsiCapability;
    friend class MsixCapability;

    void build_header();
    void write_command(Register& reg, std::uint64_t value, std::uint64_t mask);
    void write_bar(unsigned index, std::uint64_t value, std::uint64_t mask);
    void sync_from_registers();
    void update_intx_pin();
    void set_status_bits(std::uint16_t bits, bool set);
    // Stored value of the register starting at `offset` (binary search, no side effects; 0 if none).
    std::uint64_t register_value(std::uint16_t offset) const;
    InterruptOutcome send_message(const MsiMessage& message, bool msix, std::uint64_t offset_ps);

    std::string name_;
    PciIdentity identity_;
    PciBdf bdf_;
    RegisterBank config_;
    std::array<Bar, pci::kBarCount> bars_{};
    std::uint16_t command_ = 0;
    std::uint16_t last_capability_ = 0; // offset of the last capability in the list (0: none yet)
    std::uint16_t next_capability_offset_ = pci::kFirstCapability;
    std::unique_ptr<MsiCapability> msi_;
    std::unique_ptr<MsixCapability> msix_;
    bool intx_condition_ = false;
    IrqLine intx_line_;
    UpstreamPort upstream_;
    PciFunctionCounters counters_;
};

} // namespace x86sim::models
