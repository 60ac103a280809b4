// The interfaces between interrupt sources, the interrupt fabric and local APICs.
//
//   IOAPIC / MSI / LAPIC ICR  --InterruptRequest-->  ApicBus (the fabric)  -->  ApicBusTarget (each LAPIC)
//   LAPIC EOI of a level-triggered vector  -->  ApicBus::broadcast_eoi  -->  EoiListener (each IOAPIC)
//
// Keeping these abstract lets each model be tested against a small fake of its neighbours.
#pragma once

#include "models/common/interrupt_message.h"

#include <cstdint>

namespace x86sim::models {

// What a local APIC offers the fabric.
class ApicBusTarget {
  public:
    virtual ~ApicBusTarget() = default;
    virtual std::uint32_t apic_id() const = 0;
    // Whether the APIC is software/hardware enabled enough to accept messages (§1.3.5).
    virtual bool accepts_messages() const = 0;
    // Physical or logical destination match (§1.3.4), broadcast included.
    virtual bool matches_destination(std::uint32_t destination, DestinationMode mode) const = 0;
    // Arbitration priority used to pick the target of a lowest-priority request (§1.3.2 APR).
    virtual std::uint8_t arbitration_priority() const = 0;
    // The request has been routed to this APIC; it sets IRR, or raises NMI/INIT/SIPI/SMI/ExtINT.
    virtual void accept(const InterruptRequest& request) = 0;
};

// Told about EOIs of level-triggered vectors (§1.3.3), so the IOAPIC can clear Remote IRR (§4).
class EoiListener {
  public:
    virtual ~EoiListener() = default;
    virtual void end_of_interrupt(std::uint8_t vector) = 0;
};

// The fabric: routes requests to APICs and EOIs to IOAPICs.
class ApicBus {
  public:
    virtual ~ApicBus() = default;
    // Routes a decoded request. Returns the number of APICs it reached (0: nobody matched).
    virtual unsigned deliver(const InterruptRequest& request) = 0;
    // An upstream memory write to 0xFEEx_xxxx (PCI MSI/MSI-X); decoded (and later remapped) here.
    virtual unsigned deliver_message(const MsiMessage& message) = 0;
    virtual void broadcast_eoi(std::uint8_t vector) = 0;
};

// The signals a local APIC drives towards its CPU core. The CPU model implements it; tests record it.
class CpuInterruptPins {
  public:
    virtual ~CpuInterruptPins() = default;
    // INTR changed: the LAPIC has (true) or no longer has (false) a vector above PPR, or ExtINT pending.
    virtual void intr_changed(bool asserted) = 0;
    virtual void nmi() = 0;
    virtual void smi() = 0;
    virtual void init() = 0;
    virtual void startup(std::uint8_t vector) = 0;
};

// The 8259 answers the INTA cycle of an ExtINT delivery with the vector.
class ExtIntSource {
  public:
    virtual ~ExtIntSource() = default;
    virtual std::uint8_t acknowledge_extint() = 0;
};

} // namespace x86sim::models
