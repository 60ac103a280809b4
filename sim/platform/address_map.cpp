#include "sim/platform/address_map.h"

#include <algorithm>
#include <sstream>

namespace x86sim::sim {

namespace {
std::string hex(std::uint64_t value) {
    std::ostringstream out;
    out << "0x" << std::hex << value;
    return out.str();
}

std::uint64_t ones(unsigned size) {
    return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}
} // namespace

void AddressMap::add_mmio(MmioRegion region) {
    if (region.size == 0 || region.base + region.size < region.base) {
        throw PlatformError("region '" + region.name + "' at " + hex(region.base) + " has an invalid size");
    }
    for (const auto& existing : regions_) {
        if (region.base < existing.base + existing.size && existing.base < region.base + region.size) {
            throw PlatformError("address map: '" + region.name + "' [" + hex(region.base) + ", " +
                                hex(region.base + region.size) + ") overlaps '" + existing.name + "' [" +
                                hex(existing.base) + ", " + hex(existing.base + existing.size) + ")");
        }
    }
    auto position = std::lower_bound(regions_.begin(), regions_.end(), region.base,
                                     [](const MmioRegion& r, std::uint64_t base) { return r.base < base; });
    regions_.insert(position, std::move(region));
}

void AddressMap::add_ports(const std::string& name, std::uint16_t first, std::uint16_t count,
                           models::PortIoDevice& device) {
    for (const auto& existing : ports_) {
        if (first < existing.first + existing.count && existing.first < first + count) {
            throw PlatformError("port map: '" + name + "' ports " + hex(first) + ".." +
                                hex(first + count - 1) + " overlap '" + existing.name + "'");
        }
    }
    ports_.push_back({name, first, count, &device});
}

const MmioRegion* AddressMap::find(std::uint64_t address, unsigned size) const {
    auto position = std::upper_bound(regions_.begin(), regions_.end(), address,
                                     [](std::uint64_t a, const MmioRegion& r) { return a < r.base; });
    if (position == regions_.begin()) {
        return nullptr;
    }
    const auto& region = *(position - 1);
    if (address - region.base + size <= region.size) {
        return &region;
    }
    return nullptr;
}

const AddressMap::PortRange* AddressMap::find_port(std::uint16_t port) const {
    for (const auto& range : ports_) {
        if (port >= range.first && port < range.first + range.count) {
            return &range;
        }
    }
    return nullptr;
}

AccessOutcome AddressMap::read(unsigned cpu, std::uint64_t address, unsigned size, std::uint64_t& value) {
    std::uint64_t offset = 0;
    if (per_cpu_) {
        if (auto* device = per_cpu_(cpu, address, offset)) {
            const auto result = device->mmio_read(offset, size, value);
            return {result.status, result.delay_ps, "lapic"};
        }
    }
    if (const auto* region = find(address, size)) {
        const auto result = region->device->mmio_read(address - region->base, size, value);
        return {result.status, result.delay_ps, region->name.c_str()};
    }
    ++unclaimed_mmio_;
    value = ones(size);
    return {models::AccessStatus::Unmapped, 0, ""};
}

AccessOutcome AddressMap::write(unsigned cpu, std::uint64_t address, unsigned size, std::uint64_t value) {
    std::uint64_t offset = 0;
    if (per_cpu_) {
        if (auto* device = per_cpu_(cpu, address, offset)) {
            const auto result = device->mmio_write(offset, size, value);
            return {result.status, result.delay_ps, "lapic"};
        }
    }
    if (const auto* region = find(address, size)) {
        const auto result = region->device->mmio_write(address - region->base, size, value);
        return {result.status, result.delay_ps, region->name.c_str()};
    }
    ++unclaimed_mmio_;
    return {models::AccessStatus::Unmapped, 0, ""};
}

AccessOutcome AddressMap::in(std::uint16_t port, unsigned size, std::uint32_t& value) {
    if (const auto* range = find_port(port)) {
        const auto result = range->device->io_read(port, size, value);
        return {result.status, result.delay_ps, range->name.c_str()};
    }
    ++unclaimed_ports_;
    value = static_cast<std::uint32_t>(ones(size));
    return {models::AccessStatus::Unmapped, 0, ""};
}

AccessOutcome AddressMap::out(std::uint16_t port, unsigned size, std::uint32_t value) {
    if (const auto* range = find_port(port)) {
        const auto result = range->device->io_write(port, size, value);
        return {result.status, result.delay_ps, range->name.c_str()};
    }
    ++unclaimed_ports_;
    return {models::AccessStatus::Unmapped, 0, ""};
}

} // namespace x86sim::sim
