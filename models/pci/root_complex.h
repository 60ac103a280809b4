// Host bridge / root complex (vtd-pci-nvme.md §2.2, §2.7): configuration access (ECAM and the legacy
// 0xCF8/0xCFC ports), memory and I/O decoding of the functions' BARs, the upstream side of every
// function's UpstreamPort, and INTx routing to the IOAPIC.
//
// Wiring (the platform does this; tests do it with fakes):
//   RootComplex rc("pci", apic_bus, memory);           // ApicBus: interrupt fabric; DmaMemory: RAM
//   rc.connect_intx(ioapic);                           // PIRQ A-D -> IOAPIC inputs (default GSI 16-19)
//   rc.attach(device, {.bus = 0, .device = 3});        // sets its BDF, connects port and INTx
//   router.map(ecam_base, rc.ecam());                  // MmioDevice, offsets relative to ecam_base
//   router.map(mmio_window_base, rc.memory_window());  // MmioDevice for BARs below 4 GiB
//   ports.map(0xCF8..0xCFF, rc) and I/O BAR ports      // PortIoDevice
//   rc.set_translator(&vtd);                           // later: VT-d DMA remapping
//
// Upstream routing: a write to 0xFEEx_xxxx (is_interrupt_address) is an interrupt request and goes to
// ApicBus::deliver_message at once (interrupt remapping is the fabric's business); every other request
// is translated (identity without a translator) and sent to DmaMemory. A request nobody backs is an
// Unsupported Request: counted, the write dropped, the read answered with all ones — never a crash.
//
// Configuration: absent functions read all ones (vendor ID 0xFFFF) and ignore writes (§2.2). ECAM
// accesses are 1/2/4 bytes naturally aligned; other sizes read all ones and are counted.
//
// INTx: pin p (1 = INTA#) of device d is swizzled to PIRQ (d + p - 1) mod 4 (the standard bridge
// swizzle, as QEMU's pci_swizzle_map_irq_fn); each PIRQ is one WiredOr feeding one IOAPIC input, so
// several functions share a line, level-triggered, each deasserting independently.
//
// Not modelled: PCI-PCI bridges and bus numbering (a function can be attached at any bus number, and
// is then swizzled by its device number as if it sat on bus 0), peer-to-peer requests, the AMD
// extended register bits of 0xCF8, configuration retry status, the Expansion ROM.
#pragma once

#include "models/common/apic_bus.h"
#include "models/common/irq_line.h"
#include "models/common/metric_sink.h"
#include "models/common/mmio.h"
#include "models/pci/dma_memory.h"
#include "models/pci/pci_function.h"
#include "models/pci/upstream.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace x86sim::models {

struct RootComplexConfig {
    std::uint64_t ecam_base = 0xB000'0000;        // QEMU q35's default (§2.2)
    unsigned ecam_buses = 256;                    // 1 MiB per bus
    std::uint64_t mmio_window_base = 0x8000'0000; // BAR window below 4 GiB (memory_window())
    std::uint64_t mmio_window_size = 0x7EC0'0000; // up to the IOAPIC at 0xFEC0_0000
    // Access costs returned to the CPU (annotated delay), §2.7 [estimates]: an MMIO or configuration
    // read is a non-posted round trip of ~0.5-1 us (~850 ns measured); writes are posted, the CPU does
    // not wait. Port I/O ~1 us (lapic-pit-msi.md §6 row 5).
    std::uint64_t mmio_read_latency_ps = 850'000;
    std::uint64_t mmio_write_latency_ps = 0;
    std::uint64_t port_io_latency_ps = 1'000'000;
    std::array<unsigned, 4> pirq_to_ioapic_input = {16, 17, 18, 19}; // PIRQ A-D (q35 APIC mode)
};

struct RootComplexCounters {
    std::uint64_t config_reads = 0;
    std::uint64_t config_writes = 0;
    std::uint64_t config_absent = 0;     // accesses to functions that do not exist
    std::uint64_t config_bad_access = 0; // wrong size / alignment (ECAM, 0xCF8/0xCFC)
    std::uint64_t mmio_unclaimed = 0;    // memory accesses no enabled BAR decodes (read all ones)
    std::uint64_t io_unclaimed = 0;
    std::uint64_t bar_overlaps = 0;                  // accesses decoded by more than one BAR
    std::uint64_t interrupt_messages = 0;            // writes to 0xFEEx_xxxx passed to the ApicBus
    std::uint64_t dma_writes_to_interrupt_range = 0; // non-message writes that hit 0xFEEx_xxxx
    std::uint64_t malformed_interrupt_writes = 0;    // not one aligned DWORD: UR
    std::uint64_t dma_reads = 0;
    std::uint64_t dma_writes = 0;
    std::uint64_t dma_read_bytes = 0;
    std::uint64_t dma_write_bytes = 0;
    std::uint64_t unsupported_requests = 0; // master aborts: upstream requests nobody backs
    std::uint64_t translation_faults = 0;
};

class RootComplex : public PortIoDevice, public UpstreamTarget {
  public:
    RootComplex(std::string name, ApicBus& apic_bus, DmaMemory& memory, RootComplexConfig config = {});
    ~RootComplex() override;

    const std::string& name() const { return name_; }
    const RootComplexConfig& config() const { return config_; }

    // Places `function` at `bdf`: sets its BDF, connects its UpstreamPort here and its INTx pin to the
    // swizzled PIRQ line. Throws std::logic_error if the BDF is taken.
    void attach(PciFunction& function, PciBdf bdf);
    PciFunction* function_at(PciBdf bdf) const;
    // Creates the four PIRQ lines, each a WiredOr into `ioapic` input pirq_to_ioapic_input[k].
    // Functions attached before or after are wired.
    void connect_intx(IrqLineSink& ioapic);
    // PIRQ (0 = A) that pin `pin` of device `device` lands on.
    static unsigned swizzle(unsigned device, pci::InterruptPin pin);

    // DMA remapping hook (VT-d); nullptr = identity.
    void set_translator(UpstreamTranslator* translator) { translator_ = translator; }

    // --- configuration access -----------------------------------------------------------------------
    // Absent functions read all ones. `offset` 0..0xFFF, sizes 1/2/4 naturally aligned.
    std::uint32_t config_read(PciBdf bdf, std::uint16_t offset, unsigned size);
    void config_write(PciBdf bdf, std::uint16_t offset, unsigned size, std::uint32_t value);
    // ECAM window: offsets relative to config().ecam_base (§2.2).
    MmioDevice& ecam();
    // Legacy mechanism: 0xCF8 CONFIG_ADDRESS (dword), 0xCFC-0xCFF CONFIG_DATA; other ports decode I/O BARs.
    MmioResult io_read(std::uint16_t port, unsigned size, std::uint32_t& value) override;
    MmioResult io_write(std::uint16_t port, unsigned size, std::uint32_t value) override;

    // --- memory space (BARs) ------------------------------------------------------------------------
    // Absolute physical addresses. Unclaimed reads return all ones (master abort on the CPU side).
    MmioResult memory_read(std::uint64_t address, unsigned size, std::uint64_t& value);
    MmioResult memory_write(std::uint64_t address, unsigned size, std::uint64_t value);
    // The BAR window below 4 GiB as an MmioDevice (offsets relative to mmio_window_base).
    MmioDevice& memory_window();

    // --- upstream (UpstreamTarget) --------------------------------------------------------------------
    UpstreamResponse upstream_write(const UpstreamRequest& request,
                                    std::span<const std::uint8_t> data) override;
    UpstreamResponse upstream_read(const UpstreamRequest& request, std::span<std::uint8_t> data) override;

    const RootComplexCounters& counters() const { return counters_; }
    void report_metrics(MetricSink& sink) const;
    // One line per attached function with its IDs, command and BARs (debugger "lspci").
    std::string dump() const;

  private:
    struct Slot {
        PciBdf bdf;
        PciFunction* function = nullptr;
        bool intx_wired = false;
    };
    class EcamWindow;
    class MemoryWindow;

    // What a port access to 0xCF8-0xCFF hits (§2.2): CONFIG_ADDRESS, a config cycle through
    // CONFIG_DATA (its target in `cycle`), CONFIG_DATA with the enable bit clear, or a refused size or
    // alignment (counted); None for any other port.
    enum class ConfigPort : std::uint8_t { None, BadSize, Misaligned, Address, Floating, Data };
    struct ConfigCycle {
        PciBdf bdf;
        std::uint16_t offset = 0;
    };
    ConfigPort decode_config_port(std::uint16_t port, unsigned size, ConfigCycle& cycle);
    // The status of an access that is no config cycle and no CONFIG_ADDRESS access.
    static AccessStatus config_port_status(ConfigPort kind);
    // The function and BAR that decode `address`; counts overlaps (first match by BDF wins).
    PciFunction* decode(std::uint64_t address, bool io, unsigned& bar);
    void wire_intx(Slot& slot);
    std::optional<UpstreamResponse> translate(const UpstreamRequest& request, std::uint64_t& address,
                                              std::uint64_t& delay);
    // A DMA read or write: translation, then `access(address)` on memory, counted in `count`/`bytes`.
    template <typename Access>
    UpstreamResponse dma(const UpstreamRequest& request, Access access, std::uint64_t& count,
                         std::uint64_t& bytes, std::size_t size);

    std::string name_;
    ApicBus& apic_bus_;
    DmaMemory& memory_;
    RootComplexConfig config_;
    UpstreamTranslator* translator_ = nullptr;
    std::vector<Slot> slots_;          // sorted by requester ID
    std::uint32_t config_address_ = 0; // 0xCF8
    IrqLineSink* ioapic_ = nullptr;
    std::array<std::unique_ptr<WiredOr>, 4> pirq_;
    std::array<unsigned, 4> pirq_sources_{}; // next WiredOr source slot per PIRQ
    std::unique_ptr<EcamWindow> ecam_;
    std::unique_ptr<MemoryWindow> window_;
    RootComplexCounters counters_;
};

} // namespace x86sim::models
