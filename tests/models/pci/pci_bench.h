// A small PCI test platform: root complex with fake memory, fake ApicBus and a recording IOAPIC, plus
// helpers that program functions the way a driver does (configuration cycles through ECAM, MSI-X
// table writes through the memory window).
#pragma once

#include "models/pci/root_complex.h"
#include "tests/models/pci/pci_fakes.h"

#include <gtest/gtest.h>
#include <memory>

namespace x86sim::test {

inline constexpr std::uint64_t kMemoryBytes = 16 << 20;   // fake RAM at 0 .. 16 MiB
inline constexpr std::uint64_t kMsiAddress = 0xFEE0'1000; // APIC ID 1, physical
inline constexpr std::uint16_t kMsiCapOffset = 0x40;      // first capability of StandardFunction

// BAR0: 32-bit memory 4 KiB (scratch registers); BAR2/3: 64-bit memory 16 KiB with the MSI-X table at
// 0x0 and the PBA at 0x2000; MSI (64-bit, per-vector mask, 4 vectors) at 0x40, MSI-X (4 vectors) next.
inline std::unique_ptr<GenericFunction>
make_standard_function(const std::string& name, std::uint16_t device_id = 0x5678, unsigned msix_vectors = 4) {
    auto function = std::make_unique<GenericFunction>(name, 0x1234, device_id);
    function->add_bar(0, {.kind = models::BarKind::Memory32, .size = 4096});
    function->add_bar(2, {.kind = models::BarKind::Memory64, .size = 16 * 1024});
    function->add_msi({.vectors_log2 = 2, .address_64bit = true, .per_vector_masking = true});
    function->add_msix(
        {.vectors = msix_vectors, .table_bar = 2, .table_offset = 0, .pba_bar = 2, .pba_offset = 0x2000});
    return function;
}

struct PciBench {
    EventLog log;
    VectorMemory memory{log, 0, kMemoryBytes};
    RecordingApicBus apic{log};
    RecordingIrqSink ioapic;
    models::RootComplex rc{"pci", apic, memory};

    PciBench() { rc.connect_intx(ioapic); }

    std::uint32_t cfg_read(models::PciBdf bdf, std::uint16_t offset, unsigned size = 4) {
        std::uint64_t value = 0;
        rc.ecam().mmio_read(ecam_offset(bdf, offset), size, value);
        return static_cast<std::uint32_t>(value);
    }
    void cfg_write(models::PciBdf bdf, std::uint16_t offset, unsigned size, std::uint32_t value) {
        rc.ecam().mmio_write(ecam_offset(bdf, offset), size, value);
    }
    static std::uint64_t ecam_offset(models::PciBdf bdf, std::uint16_t offset) {
        return static_cast<std::uint64_t>(bdf.bus) << 20 | static_cast<std::uint64_t>(bdf.device) << 15 |
               static_cast<std::uint64_t>(bdf.function) << 12 | offset;
    }
    std::uint64_t mmio_read(std::uint64_t address, unsigned size = 4) {
        std::uint64_t value = 0;
        rc.memory_read(address, size, value);
        return value;
    }
    void mmio_write(std::uint64_t address, unsigned size, std::uint64_t value) {
        rc.memory_write(address, size, value);
    }

    // Firmware-style setup of a standard function: BAR0 at bar0, BAR2 at bar2 (64-bit), Command.MEM|BME.
    void assign(models::PciBdf bdf, std::uint64_t bar0, std::uint64_t bar2) {
        cfg_write(bdf, 0x10, 4, static_cast<std::uint32_t>(bar0));
        cfg_write(bdf, 0x18, 4, static_cast<std::uint32_t>(bar2));
        cfg_write(bdf, 0x1C, 4, static_cast<std::uint32_t>(bar2 >> 32));
        cfg_write(bdf, 0x04, 2, models::pci::kCommandMemory | models::pci::kCommandBusMaster);
    }
    // Driver-style MSI-X table entry programming through the BAR (DWORD writes).
    void program_msix_entry(std::uint64_t table, unsigned vector, std::uint64_t address, std::uint32_t data,
                            bool masked) {
        const auto entry = table + 16ULL * vector;
        mmio_write(entry + 0x0, 4, static_cast<std::uint32_t>(address));
        mmio_write(entry + 0x4, 4, static_cast<std::uint32_t>(address >> 32));
        mmio_write(entry + 0x8, 4, data);
        mmio_write(entry + 0xC, 4, masked ? 1 : 0);
    }
    std::uint16_t msix_cap(models::PciBdf bdf) {
        std::uint16_t pointer = cfg_read(bdf, 0x34, 1) & 0xFC;
        for (int guard = 0; pointer != 0 && guard < 48; ++guard) {
            if (cfg_read(bdf, pointer, 1) == models::pci::kCapIdMsix) {
                return pointer;
            }
            pointer = cfg_read(bdf, pointer + 1, 1) & 0xFC;
        }
        return 0;
    }
    std::size_t interrupts() const { return apic.messages.size(); }
};

} // namespace x86sim::test
