// Base Address Registers (vtd-pci-nvme.md §2.3): I/O, 32-bit memory, 64-bit memory (two BAR slots),
// prefetchable. The model holds the low log2(size) address bits at zero and the type bits read-only,
// so the standard size probe (write all ones, read back, restore) reports the size. Decoding follows
// Command.IO / Command.MEM (§2.1) and is done by PciFunction / RootComplex.
//
// Not modelled: the Expansion ROM BAR (reads 0 = not implemented), the reserved "below 1 MiB" type 01b.
#pragma once

#include <cstdint>
#include <string>

namespace x86sim::models {

enum class BarKind : std::uint8_t { None, Io, Memory32, Memory64 };

struct BarSpec {
    BarKind kind = BarKind::None;
    std::uint64_t size = 0; // power of two; memory >= 16 bytes (§2.3), I/O 4..256 bytes
    bool prefetchable = false;
};

class Bar {
  public:
    Bar() = default;
    // Throws std::invalid_argument for a spec hardware cannot have (a model bug, caught at construction).
    Bar(unsigned index, BarSpec spec);

    unsigned index() const { return index_; }
    const BarSpec& spec() const { return spec_; }
    bool implemented() const { return spec_.kind != BarKind::None; }
    bool is_io() const { return spec_.kind == BarKind::Io; }
    bool is_memory() const { return spec_.kind == BarKind::Memory32 || spec_.kind == BarKind::Memory64; }

    // The read-only low bits of the first BAR dword: memory space indicator, type, prefetchable.
    std::uint32_t type_bits() const;
    // Register values after software writes `written` to the low / high (64-bit only) dword.
    std::uint32_t encode_low(std::uint32_t written) const;
    std::uint32_t encode_high(std::uint32_t written) const;

    // The base currently programmed, from the register dwords (type bits stripped).
    std::uint64_t address() const { return address_; }
    void set_registers(std::uint32_t low, std::uint32_t high);
    std::uint32_t low_register() const { return low_; }
    std::uint32_t high_register() const { return high_; }
    // Whether `address` (memory address or I/O port) falls in the programmed window. A base of 0 is
    // treated as unassigned (firmware never places a BAR at 0, and RAM lives there).
    bool contains(std::uint64_t address) const {
        return address_ != 0 && address >= address_ && address - address_ < spec_.size;
    }

    std::string describe() const; // "BAR2 mem64 16 KiB @ 0x..."

  private:
    unsigned index_ = 0;
    BarSpec spec_;
    std::uint32_t low_ = 0;
    std::uint32_t high_ = 0;
    std::uint64_t address_ = 0;
};

} // namespace x86sim::models
