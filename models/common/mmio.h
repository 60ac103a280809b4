// Register-level access to a device, independent of how it is reached (the platform's address map,
// the qtest control protocol, a test). The access's cost comes back as a delay the caller charges.
#pragma once

#include "models/common/register_bank.h"

#include <cstdint>
#include <string>

namespace x86sim::models {

struct MmioResult {
    AccessStatus status = AccessStatus::Ok;
    std::uint64_t delay_ps = 0; // the access's cost, charged to the initiator
};

class MmioDevice {
  public:
    virtual ~MmioDevice() = default;
    // `offset` is relative to the start of the device's window. Sizes 1, 2, 4, 8. Never throws for
    // guest misbehaviour: bad accesses return a status (and are counted by the device).
    virtual MmioResult mmio_read(std::uint64_t offset, unsigned size, std::uint64_t& value) = 0;
    virtual MmioResult mmio_write(std::uint64_t offset, unsigned size, std::uint64_t value) = 0;
};

// Port I/O devices (PIT 0x40-0x43, 8259 0x20/0xA0, port 0x61, PCI 0xCF8/0xCFC).
class PortIoDevice {
  public:
    virtual ~PortIoDevice() = default;
    virtual MmioResult io_read(std::uint16_t port, unsigned size, std::uint32_t& value) = 0;
    virtual MmioResult io_write(std::uint16_t port, unsigned size, std::uint32_t value) = 0;
};

} // namespace x86sim::models
