// System memory as seen from the PCI root complex: the far end of every upstream (device-initiated)
// read or write that is not an interrupt message. The platform implements it over its RAM; tests use a
// small vector-backed fake. An address the memory does not back is answered with `false`, which the
// root complex turns into an Unsupported Request (master abort) and counts (vtd-pci-nvme.md §2.1
// "received master abort"). Implementations must never throw for a bad address.
#pragma once

#include <cstdint>
#include <span>

namespace x86sim::models {

class DmaMemory {
  public:
    virtual ~DmaMemory() = default;
    // Reads data.size() bytes at `address`. Returns false (and leaves `data` unspecified) if any byte
    // is outside memory.
    virtual bool read(std::uint64_t address, std::span<std::uint8_t> data) = 0;
    // Writes data.size() bytes at `address`. Returns false if any byte is outside memory; nothing is
    // written then.
    virtual bool write(std::uint64_t address, std::span<const std::uint8_t> data) = 0;
};

} // namespace x86sim::models
