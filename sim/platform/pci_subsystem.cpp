#include "sim/platform/pci_subsystem.h"

#include "models/pci/pci_regs.h"
#include "sim/platform/prefixed_sink.h"

#include <variant>

namespace x86sim::sim {

namespace {
constexpr std::uint64_t kFirstIoBar = 0xC000;
constexpr std::uint64_t kBarWindowBase = 0xC000'0000;
constexpr std::uint64_t kBarWindowEnd = 0xFEC0'0000;
constexpr std::uint16_t kBar0Offset = 0x10;
constexpr std::uint16_t kCommandOffset = 0x04;
constexpr std::uint16_t kCommandIoAndMemory = 0x3;

std::uint64_t align_up(std::uint64_t value, std::uint64_t alignment) {
    return (value + alignment - 1) & ~(alignment - 1);
}
} // namespace

// Device DMA lands in system RAM; anything outside it is an Unsupported Request at the root complex.
class PciSubsystem::RamForDma : public models::DmaMemory {
  public:
    explicit RamForDma(models::SystemMemory& memory) : memory_(memory) {}
    bool read(std::uint64_t address, std::span<std::uint8_t> data) override {
        return memory_.read(address, std::as_writable_bytes(data));
    }
    bool write(std::uint64_t address, std::span<const std::uint8_t> data) override {
        return memory_.write(address, std::as_bytes(data));
    }

  private:
    models::SystemMemory& memory_;
};

PciSubsystem::PciSubsystem(const scenario::Config& config, models::ApicBus& apic_bus,
                           models::SystemMemory& memory, models::IrqLineSink* ioapic, AddressMap& address_map)
    : ram_(std::make_unique<RamForDma>(memory)) {
    models::RootComplexConfig rc_config;
    rc_config.ecam_base = config.platform.ecam_base;
    // q35's layout: ECAM at 0xB000_0000 (256 MiB), the 32-bit BAR window from 0xC000_0000 up to the
    // IOAPIC. An ECAM moved into the window is an address-map overlap error naming both.
    rc_config.mmio_window_base = kBarWindowBase;
    rc_config.mmio_window_size = kBarWindowEnd - kBarWindowBase;
    root_complex_ = std::make_unique<models::RootComplex>("pci", apic_bus, *ram_, rc_config);
    if (ioapic != nullptr) {
        root_complex_->connect_intx(*ioapic);
    }
    for (const auto& device : config.platform.devices) {
        if (const auto* testdev = std::get_if<scenario::TestdevConfig>(&device)) {
            models::TestDeviceConfig device_config;
            device_config.msix_vectors = testdev->vectors;
            auto model = std::make_unique<models::TestDevice>(testdev->name.c_str(), device_config);
            root_complex_->attach(*model, {testdev->bdf.bus, testdev->bdf.device, testdev->bdf.function});
            testdevs_.push_back(std::move(model));
        }
    }
    const auto ecam_size = static_cast<std::uint64_t>(rc_config.ecam_buses) << 20;
    address_map.add_mmio({"pci-ecam", rc_config.ecam_base, ecam_size, &root_complex_->ecam()});
    address_map.add_mmio({"pci-mmio", rc_config.mmio_window_base, rc_config.mmio_window_size,
                          &root_complex_->memory_window()});
    address_map.add_ports("pci-config", 0xCF8, 8, *root_complex_);
    assign_bars();
}

PciSubsystem::~PciSubsystem() = default;

void PciSubsystem::assign_bars() {
    auto next_memory = root_complex_->config().mmio_window_base;
    auto next_io = kFirstIoBar;
    auto& rc = *root_complex_;
    for (auto& device : testdevs_) {
        const auto bdf = device->bdf();
        for (unsigned index = 0; index < 6; ++index) {
            const auto offset = static_cast<std::uint16_t>(kBar0Offset + 4 * index);
            const auto original = rc.config_read(bdf, offset, 4);
            rc.config_write(bdf, offset, 4, 0xFFFF'FFFF);
            const auto probe = rc.config_read(bdf, offset, 4);
            rc.config_write(bdf, offset, 4, original);
            if (probe == 0) {
                continue; // BAR not implemented
            }
            const bool io = (probe & 1) != 0;
            const bool is_64bit = !io && ((probe >> 1) & 3) == 2;
            std::uint64_t size = 0;
            if (io) {
                auto mask = probe & ~0x3U;
                if ((mask & 0xFFFF'0000U) == 0) {
                    mask |= 0xFFFF'0000U; // 16-bit I/O decode: upper bits hardwired to 0
                }
                size = static_cast<std::uint32_t>(~mask + 1);
            } else if (is_64bit) {
                const auto high_offset = static_cast<std::uint16_t>(offset + 4);
                const auto high_original = rc.config_read(bdf, high_offset, 4);
                rc.config_write(bdf, high_offset, 4, 0xFFFF'FFFF);
                const auto mask =
                    static_cast<std::uint64_t>(rc.config_read(bdf, high_offset, 4)) << 32 | (probe & ~0xFU);
                rc.config_write(bdf, high_offset, 4, high_original);
                size = ~mask + 1;
            } else {
                size = static_cast<std::uint32_t>(~(probe & ~0xFU) + 1);
            }
            auto& next = io ? next_io : next_memory;
            const auto address = align_up(next, size);
            next = address + size;
            rc.config_write(bdf, offset, 4, static_cast<std::uint32_t>(address));
            if (is_64bit) {
                rc.config_write(bdf, static_cast<std::uint16_t>(offset + 4), 4,
                                static_cast<std::uint32_t>(address >> 32));
            }
            assignments_.push_back({device->name(), index, io, address, size});
            if (is_64bit) {
                ++index; // the upper half is not a BAR of its own
            }
        }
        const auto command = rc.config_read(bdf, kCommandOffset, 2);
        rc.config_write(bdf, kCommandOffset, 2, command | kCommandIoAndMemory);
    }
}

models::TestDevice* PciSubsystem::testdev(const std::string& name) {
    for (auto& device : testdevs_) {
        if (device->name() == name) {
            return device.get();
        }
    }
    return nullptr;
}

void PciSubsystem::storm(const scenario::StormAction& action) {
    auto* device = testdev(action.device);
    if (device == nullptr || device->storm(action.vector, action.rate_per_s, action.for_ps) == 0) {
        ++rejected_actions_;
    }
}

void PciSubsystem::dma(const scenario::DmaAction& action) {
    auto* device = testdev(action.device);
    bool started = false;
    if (device != nullptr) {
        const auto bytes = static_cast<std::uint32_t>(action.bytes);
        started = action.write ? device->dma_write(action.address, bytes, 0x5A5A'5A5A)
                               : device->dma_read(action.address, bytes);
    }
    if (!started) {
        ++rejected_actions_;
    } else if (action.write) {
        ++stray_dma_writes_;
    }
}

void PciSubsystem::set_observer(models::InterruptPathObserver* observer) {
    for (auto& device : testdevs_) {
        device->set_interrupt_observer(observer);
    }
}

void PciSubsystem::report_metrics(models::MetricSink& sink) const {
    {
        PrefixedSink prefixed(sink, "pci.");
        root_complex_->report_metrics(prefixed);
    }
    for (const auto& device : testdevs_) {
        PrefixedSink prefixed(sink, device->name() + ".");
        device->report_metrics(prefixed);
    }
    // Without an IOMMU nothing stops a device's DMA: every timeline `dma: write` that started reached
    // memory, unless the root complex refused it (counted in pci.unsupported_requests).
    sink.counter("dma.stray_writes_started", stray_dma_writes_);
    sink.counter("timeline.device_actions_rejected", rejected_actions_);
}

} // namespace x86sim::sim
