// The platform's PCI side (issue: PCI Express configuration space, MSI/MSI-X, test device):
// the root complex (ECAM at platform.ecam_base, 0xCF8/0xCFC, the BAR window below the IOAPIC), the
// devices of platform.devices it models (testdev), DMA over system RAM, and the timeline's `storm:`
// and `dma:` actions.
//
// Firmware role: at construction the platform assigns every BAR as PC firmware does — in bus/device/
// function order, BAR order, each at the next address aligned to its size (memory BARs from
// 0xC000_0000 upwards (q35: ECAM sits at 0xB000_0000 below the window), I/O BARs from port 0xC000) — and sets
// the Command register's memory and I/O decode bits. It does not enable bus mastering or MSI/MSI-X: that is
// the driver's job (a guest kernel, or the scenario's `msix:` programming of a testdev, or timeline
// register writes). The assignment is deterministic and listed by bar_assignments().
#pragma once

#include "models/common/apic_bus.h"
#include "models/common/interrupt_path.h"
#include "models/memory/system_memory.h"
#include "models/pci/root_complex.h"
#include "models/testdev/test_device.h"
#include "sim/platform/address_map.h"
#include "sim/scenario/config.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace x86sim::sim {

struct BarAssignment {
    std::string device;
    unsigned bar = 0;
    bool io = false;
    std::uint64_t address = 0;
    std::uint64_t size = 0;
};

class PciSubsystem {
  public:
    PciSubsystem(const scenario::Config& config, models::ApicBus& apic_bus, models::SystemMemory& memory,
                 models::IrqLineSink* ioapic, AddressMap& address_map);
    ~PciSubsystem();
    PciSubsystem(const PciSubsystem&) = delete;
    PciSubsystem& operator=(const PciSubsystem&) = delete;

    models::RootComplex& root_complex() { return *root_complex_; }
    models::TestDevice* testdev(const std::string& name);
    const std::vector<BarAssignment>& bar_assignments() const { return assignments_; }

    // Timeline actions (validated by the loader: the device exists and is a testdev).
    void storm(const scenario::StormAction& action);
    void dma(const scenario::DmaAction& action);

    void set_observer(models::InterruptPathObserver* observer);

    // Per device "<name>.<counter>", the root complex as "pci.<counter>".
    void report_metrics(models::MetricSink& sink) const;

  private:
    class RamForDma;
    void assign_bars();

    std::unique_ptr<RamForDma> ram_;
    std::unique_ptr<models::RootComplex> root_complex_;
    std::vector<std::unique_ptr<models::TestDevice>> testdevs_;
    std::vector<BarAssignment> assignments_;
    std::uint64_t stray_dma_writes_ = 0;
    std::uint64_t rejected_actions_ = 0;
};

} // namespace x86sim::sim
