// The platform: builds the SystemC module tree a scenario describes and wires it (ARCHITECTURE.md).
//
//   memory          system RAM at 0 (platform.memory), sparse
//   per CPU i       TSC, LAPIC (APIC ID i, xAPIC window at IA32_APIC_BASE, MSRs), and the CPU model
//                   (sim/cpu) bound to its LAPIC's INTR/INIT/SIPI pins; CPU 0 is the BSP. The CPUs only
//                   run (and acknowledge interrupts) when a guest is attached (GuestSession).
//   fabric          routes IOAPIC messages, IPIs and MSI writes to the LAPICs; level EOIs to the IOAPIC
//   ioapic          0xFEC00000, 24 pins, ID = number of CPUs (platform.ioapic.enabled)
//   pit             ports 0x40-0x43 and 0x61; OUT0 -> 8259 IRQ0 and IOAPIC pin 2 (platform.pit.enabled),
//                   through the HPET's legacy mux when there is an HPET (legacy replacement cuts it off)
//   pic             8259 pair at 0x20/0xA0 (+ ELCR 0x4D0); INT -> LINT0 of the BSP, answers ExtINT INTA
//   hpet            0xFED00000 (platform.hpet.enabled): legacy-replacement outputs -> 8259 IRQ0/IRQ8 and
//                   IOAPIC pins 2/8; INT_ROUTE outputs -> the IOAPIC pin of the same number; FSB -> fabric
//   irq latency     one interrupt-path observer on every hop source (sim/cpu/irq_latency.h)
//
// Addresses follow the PC/q35 layout; overlapping regions (e.g. memory larger than the hole below
// 0xB0000000) are a construction error naming both regions.
#pragma once

#include "models/common/metric_sink.h"
#include "models/fabric/interrupt_fabric.h"
#include "models/hpet/hpet.h"
#include "models/ioapic/ioapic.h"
#include "models/lapic/lapic.h"
#include "models/memory/system_memory.h"
#include "models/pic8259/pic8259_pair.h"
#include "models/pit/pit8254.h"
#include "models/tsc/tsc.h"
#include "sim/cpu/cpu.h"
#include "sim/cpu/irq_latency.h"
#include "sim/platform/address_map.h"
#include "sim/platform/pci_subsystem.h"
#include "sim/scenario/config.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace x86sim::sim {

inline constexpr std::uint64_t kIoapicBase = 0xFEC0'0000ULL;
inline constexpr std::uint64_t kIoapicWindow = 0x1000;
inline constexpr std::uint64_t kHpetBase = 0xFED0'0000ULL;
inline constexpr std::uint64_t kHpetWindow = 0x400;
inline constexpr std::uint64_t kLapicWindow = 0x1000;
inline constexpr unsigned kPitIoapicPin = 2; // ACPI MADT interrupt source override IRQ0 -> GSI 2

class Platform {
  public:
    explicit Platform(const scenario::Config& config, const sim::cpu::CpuCosts& cpu_costs = {});
    ~Platform();
    Platform(const Platform&) = delete;
    Platform& operator=(const Platform&) = delete;

    unsigned cpu_count() const { return static_cast<unsigned>(lapics_.size()); }
    models::Lapic& lapic(unsigned cpu) { return *lapics_.at(cpu); }
    models::Tsc& tsc(unsigned cpu) { return *tscs_.at(cpu); }
    sim::cpu::Cpu& cpu(unsigned index) { return *cpus_.at(index); }
    const sim::cpu::Cpu& cpu(unsigned index) const { return *cpus_.at(index); }
    sim::cpu::IrqLatencyTracker& irq_latency() { return *irq_latency_; }
    const scenario::Config& config() const { return config_; }
    models::InterruptFabric& fabric() { return fabric_; }
    models::SystemMemory& memory() { return *memory_; }
    models::Ioapic* ioapic() { return ioapic_.get(); }
    models::Pit8254* pit() { return pit_.get(); }
    models::Pic8259Pair* pic() { return pic_.get(); }
    models::Hpet* hpet() { return hpet_.get(); }
    PciSubsystem& pci() { return *pci_; }
    AddressMap& address_map() { return address_map_; }

    // MSR access as CPU `cpu` (LAPIC: 0x1B, 0x6E0, 0x800-0xBFF; TSC: 0x10). false = #GP.
    bool rdmsr(unsigned cpu, std::uint32_t index, std::uint64_t& value);
    bool wrmsr(unsigned cpu, std::uint32_t index, std::uint64_t value);

    // Every component's counters, with its prefix, plus the whole-system irq.* figures.
    void report_metrics(models::MetricSink& sink) const;

    // Adds an interrupt-path observer (debugger, traces, latency metrics): every model's hops reach
    // every observer added, in the order added. The first call attaches the platform's fan-out to the
    // LAPICs, the fabric, the IOAPIC, the PIT, the HPET and the CPUs (handler entry/exit); observers must
    // outlive the platform's simulation.
    void add_interrupt_observer(models::InterruptPathObserver& observer);

  private:
    class MemoryWindow;
    class HopFanout;

    void wire_interrupt_observer(models::InterruptPathObserver* observer);

    const scenario::Config& config_;
    AddressMap address_map_;
    models::InterruptFabric fabric_;
    std::unique_ptr<models::SystemMemory> memory_;
    std::unique_ptr<MemoryWindow> memory_window_;
    std::vector<std::unique_ptr<models::Tsc>> tscs_;
    std::vector<std::unique_ptr<models::Lapic>> lapics_;
    std::unique_ptr<models::Ioapic> ioapic_;
    std::unique_ptr<models::Pic8259Pair> pic_;
    std::unique_ptr<models::Pit8254> pit_;
    std::unique_ptr<models::Hpet> hpet_;
    std::unique_ptr<PciSubsystem> pci_;
    std::vector<std::unique_ptr<sim::cpu::Cpu>> cpus_;
    std::vector<models::InterruptPathObserver*> hop_observers_; // in the order added
    std::unique_ptr<HopFanout> hop_fanout_;                     // from the second observer on
    std::unique_ptr<sim::cpu::IrqLatencyTracker> irq_latency_;
};

} // namespace x86sim::sim
