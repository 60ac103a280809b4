// The CPU-side address map: which device answers an MMIO access or a port I/O access.
//
// Regions are checked for overlap when they are added (a platform-construction error naming both
// regions, ARCHITECTURE.md "platform"). Per-CPU windows (the xAPIC page, which each CPU sees as its own
// LAPIC and which IA32_APIC_BASE may relocate) are resolved by a callback before the shared map.
// Accesses that hit nothing behave as on a PC: reads return all ones, writes are dropped; both counted.
#pragma once

#include "models/common/mmio.h"

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace x86sim::sim {

class PlatformError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct MmioRegion {
    std::string name;
    std::uint64_t base = 0;
    std::uint64_t size = 0;
    models::MmioDevice* device = nullptr;
};

struct AccessOutcome {
    models::AccessStatus status = models::AccessStatus::Ok;
    std::uint64_t delay_ps = 0;
    const char* target = ""; // region name, or "" when nothing decoded the address
};

class AddressMap {
  public:
    // Resolves a per-CPU window: returns the device and sets `offset` if `cpu` decodes `address` itself.
    using PerCpuResolver =
        std::function<models::MmioDevice*(unsigned cpu, std::uint64_t address, std::uint64_t& offset)>;

    void add_mmio(MmioRegion region);
    void add_ports(const std::string& name, std::uint16_t first, std::uint16_t count,
                   models::PortIoDevice& device);
    void set_per_cpu_resolver(PerCpuResolver resolver) { per_cpu_ = std::move(resolver); }

    AccessOutcome read(unsigned cpu, std::uint64_t address, unsigned size, std::uint64_t& value);
    AccessOutcome write(unsigned cpu, std::uint64_t address, unsigned size, std::uint64_t value);
    AccessOutcome in(std::uint16_t port, unsigned size, std::uint32_t& value);
    AccessOutcome out(std::uint16_t port, unsigned size, std::uint32_t value);

    const std::vector<MmioRegion>& regions() const { return regions_; }
    std::uint64_t unclaimed_mmio() const { return unclaimed_mmio_; }
    std::uint64_t unclaimed_ports() const { return unclaimed_ports_; }

  private:
    struct PortRange {
        std::string name;
        std::uint16_t first;
        std::uint16_t count;
        models::PortIoDevice* device;
    };
    const MmioRegion* find(std::uint64_t address, unsigned size) const;
    const PortRange* find_port(std::uint16_t port) const;

    std::vector<MmioRegion> regions_; // sorted by base
    std::vector<PortRange> ports_;
    PerCpuResolver per_cpu_;
    std::uint64_t unclaimed_mmio_ = 0;
    std::uint64_t unclaimed_ports_ = 0;
};

} // namespace x86sim::sim
