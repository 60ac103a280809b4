// Interrupt-path records: every hop of an interrupt (device message, remap, IRR set or coalesced,
// acknowledge, handler entry, EOI, ...) is reported to an observer with its simulated time, so one
// interrupt can be followed end to end (ARCHITECTURE.md "Interrupt path"). The debugger, the traces
// and latency metrics are observers; with no observer attached a hop costs one pointer test.
#pragma once

#include <cstdint>

namespace x86sim::models {

enum class HopKind : std::uint8_t {
    DeviceMessage,  // a device sent an interrupt message (MSI/MSI-X write leaves the device)
    Remap,          // interrupt remapping translated (or rejected) a message
    IoapicDelivery, // an IOAPIC pin produced a message
    Ipi,            // a LAPIC sent an IPI through its ICR
    TimerExpiry,    // a local or platform timer fired
    IrrSet,         // a LAPIC set an IRR bit
    Coalesced,      // a LAPIC received a vector whose IRR bit was already set (a lost edge)
    Rejected,       // a LAPIC refused a message (illegal vector, disabled APIC) and logged it
    Acknowledge,    // the CPU acknowledged: IRR -> ISR
    Spurious,       // acknowledge found nothing deliverable: spurious vector
    HandlerEntry,   // guest interrupt handler entered
    HandlerExit,    // guest interrupt handler returned
    Eoi,            // EOI cleared an ISR bit
    Nmi,
    Init,
    StartUp,
};

constexpr const char* to_string(HopKind kind) {
    switch (kind) {
    case HopKind::DeviceMessage:
        return "device-message";
    case HopKind::Remap:
        return "remap";
    case HopKind::IoapicDelivery:
        return "ioapic-delivery";
    case HopKind::Ipi:
        return "ipi";
    case HopKind::TimerExpiry:
        return "timer-expiry";
    case HopKind::IrrSet:
        return "irr-set";
    case HopKind::Coalesced:
        return "coalesced";
    case HopKind::Rejected:
        return "rejected";
    case HopKind::Acknowledge:
        return "acknowledge";
    case HopKind::Spurious:
        return "spurious";
    case HopKind::HandlerEntry:
        return "handler-entry";
    case HopKind::HandlerExit:
        return "handler-exit";
    case HopKind::Eoi:
        return "eoi";
    case HopKind::Nmi:
        return "nmi";
    case HopKind::Init:
        return "init";
    case HopKind::StartUp:
        return "startup";
    }
    return "?";
}

struct InterruptHop {
    std::uint64_t time_ps = 0;
    HopKind kind = HopKind::IrrSet;
    std::int32_t cpu = -1;    // LAPIC / CPU index, -1 when not CPU-specific
    std::int32_t vector = -1; // -1 when not known at this hop
    const char* source = "";  // component name (static storage or owned by the component)
    std::uint64_t detail = 0; // hop-specific (MSI address, IOAPIC pin, ...)
};

constexpr std::uint32_t hop_bit(HopKind kind) {
    return 1U << static_cast<unsigned>(kind);
}
inline constexpr std::uint32_t kEveryHopKind = ~0U;

class InterruptPathObserver {
  public:
    virtual ~InterruptPathObserver() = default;
    virtual void on_hop(const InterruptHop& hop) = 0;
    // The hop kinds this observer uses (hop_bit); components do not build the others. Read when the
    // observer is attached.
    virtual std::uint32_t hop_kinds() const { return kEveryHopKind; }
};

// A component's view of its observer: hops of kinds nobody uses are skipped before they are built (an
// idle timer tick passes six hop points; irq.latency uses four).
class HopSink {
  public:
    void set(InterruptPathObserver* observer) {
        observer_ = observer;
        kinds_ = observer != nullptr ? observer->hop_kinds() : 0;
    }
    bool wants(HopKind kind) const { return (kinds_ & hop_bit(kind)) != 0; }
    void send(const InterruptHop& hop) const { observer_->on_hop(hop); }

  private:
    InterruptPathObserver* observer_ = nullptr;
    std::uint32_t kinds_ = 0;
};

} // namespace x86sim::models
