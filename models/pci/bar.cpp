#include "models/pci/bar.h"

#include <bit>
#include <cstdio>
#include <stdexcept>

namespace x86sim::models {

Bar::Bar(unsigned index, BarSpec spec) : index_(index), spec_(spec) {
    if (spec_.kind == BarKind::None) {
        spec_.size = 0;
        return;
    }
    const auto name = "BAR" + std::to_string(index);
    if (!std::has_single_bit(spec_.size)) {
        throw std::invalid_argument(name + ": size must be a power of two (§2.3)");
    }
    switch (spec_.kind) {
    case BarKind::Io:
        // I/O BARs: bits 1:0 are type bits, and a PCI I/O range is at most 256 bytes.
        if (spec_.size < 4 || spec_.size > 256 || spec_.prefetchable) {
            throw std::invalid_argument(name + ": I/O BAR size must be 4..256 bytes, not prefetchable");
        }
        break;
    case BarKind::Memory32:
        if (spec_.size < 16 || spec_.size > (1ULL << 31)) {
            throw std::invalid_argument(name + ": 32-bit memory BAR size must be 16 bytes..2 GiB (§2.3)");
        }
        break;
    case BarKind::Memory64:
        if (index_ >= 5) {
            throw std::invalid_argument(name + ": a 64-bit BAR needs the next BAR slot for its upper half");
        }
        if (spec_.size < 16) {
            throw std::invalid_argument(name + ": memory BAR size must be at least 16 bytes (§2.3)");
        }
        break;
    case BarKind::None:
        break;
    }
    low_ = type_bits();
}

std::uint32_t Bar::type_bits() const {
    switch (spec_.kind) {
    case BarKind::Io:
        return 0x1;
    case BarKind::Memory32:
        return spec_.prefetchable ? 0x8 : 0x0;
    case BarKind::Memory64:
        return 0x4 | (spec_.prefetchable ? 0x8 : 0x0);
    case BarKind::None:
        break;
    }
    return 0;
}

std::uint32_t Bar::encode_low(std::uint32_t written) const {
    if (!implemented()) {
        return 0;
    }
    // Address bits below the size are hardwired to zero; the type bits are read-only (§2.3).
    const std::uint64_t address_mask = ~(spec_.size - 1);
    const std::uint32_t low_type_mask = is_io() ? 0x3u : 0xFu;
    return (written & static_cast<std::uint32_t>(address_mask) & ~low_type_mask) | type_bits();
}

std::uint32_t Bar::encode_high(std::uint32_t written) const {
    if (spec_.kind != BarKind::Memory64) {
        return 0;
    }
    const std::uint64_t address_mask = ~(spec_.size - 1);
    return written & static_cast<std::uint32_t>(address_mask >> 32);
}

void Bar::set_registers(std::uint32_t low, std::uint32_t high) {
    low_ = low;
    high_ = spec_.kind == BarKind::Memory64 ? high : 0;
    const std::uint32_t low_type_mask = is_io() ? 0x3u : 0xFu;
    address_ = implemented() ? ((static_cast<std::uint64_t>(high_) << 32) | (low_ & ~low_type_mask)) : 0;
}

std::string Bar::describe() const {
    const char* kind = "none";
    switch (spec_.kind) {
    case BarKind::Io:
        kind = "io";
        break;
    case BarKind::Memory32:
        kind = "mem32";
        break;
    case BarKind::Memory64:
        kind = "mem64";
        break;
    case BarKind::None:
        break;
    }
    char text[96];
    std::snprintf(text, sizeof text, "BAR%u %s%s size 0x%llx @ 0x%llx", index_, kind,
                  spec_.prefetchable ? " prefetchable" : "", static_cast<unsigned long long>(spec_.size),
                  static_cast<unsigned long long>(address_));
    return text;
}

} // namespace x86sim::models
