// Register-level access to a device, independent of how it is reached (TLM socket from the address
// router, qtest control protocol, a test). The TLM adapter below turns any MmioDevice into a TLM-2.0
// target so the platform's router can bind it; access costs come back as the annotated delay.
#pragma once

#include "models/common/register_bank.h"

#include <cstdint>
#include <string>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

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

// TLM-2.0 target wrapper: a generic payload read/write becomes an MmioDevice call. Accesses the
// device rejects still complete (a bus does not fault on a bad register access); the status of the
// last access is kept for the router's counters.
class TlmMmioTarget : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<TlmMmioTarget> socket;

    TlmMmioTarget(sc_core::sc_module_name name, MmioDevice& device);

  private:
    void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& payload);

    MmioDevice& device_;
};

} // namespace x86sim::models
