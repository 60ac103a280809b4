// The interrupt fabric: the one place that routes interrupt requests (IPIs from a LAPIC's ICR, IOAPIC
// redirection entries) and upstream MSI writes to local APICs, and level-triggered EOIs back to the
// IOAPICs (lapic-pit-msi.md §1.3.3, §1.3.4, §1.3.7, §5.1; ARCHITECTURE.md "Interrupt path").
//
// Routing (deliver):
//  - shorthands are relative to the sender (request.sender_apic_id): Self, AllIncludingSelf,
//    AllExcludingSelf; the destination field is ignored with a shorthand (§8 check 29);
//  - otherwise every attached APIC that accepts messages and matches the destination (its own
//    matches_destination: physical, flat/cluster logical, x2APIC cluster, broadcast) receives it;
//  - lowest priority (delivery mode 001, or an MSI with RH = 1 and logical destination, SDM 10.11.1):
//    exactly one of the matching APICs receives it - the one with the lowest arbitration_priority(),
//    ties going to the lowest APIC ID (a deterministic rule; KVM hashes vectors, QEMU-TCG picks the
//    lowest index, §1.3.7). The x2APIC rule that lowest-priority *IPIs* are illegal (check 35) is
//    enforced by the sending LAPIC, not here;
//  - an 8-bit destination 0xFF coming from an MSI or IOAPIC is widened to the 32-bit broadcast
//    0xFFFFFFFF so that x2APIC-mode APICs also treat it as broadcast (as KVM's kvm_apic_mda does).
//
// MSI (deliver_message): the remapper is consulted first (identity when none). Without a remapper,
// bad messages are dropped and counted, never fatal: not 0xFEEx_xxxx (or address bits 63:32 set),
// reserved delivery modes (011, 110), the remappable format (address bit 4, check 50: the SDM only
// calls the bit reserved; we drop by default, `decode_remappable_without_iommu` gives QEMU/KVM's
// compatibility decode), and level-triggered de-assert messages (data bit 15 = 1, bit 14 = 0, SDM
// 10.11.2; `msi_level_deassert_as_assert` gives KVM/QEMU's behaviour of ignoring bit 14).
//
// Timing: delivery is synchronous (a function call, no SystemC event - notes/systemc-on-debian.md
// §4); the modelled latency is `delivery_latency_ps()`, which callers add to their annotated delay.
//
// Not modelled: bus arbitration/contention, the P6 serial APIC bus, focus processor checking.
#pragma once

#include "models/common/apic_bus.h"
#include "models/common/interrupt_path.h"
#include "models/common/metric_sink.h"
#include "models/fabric/interrupt_remapper.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace x86sim::models {

struct InterruptFabricConfig {
    std::string name = "fabric";
    // §6 suggested default "message fabric 100-200 ns" (row 3: 80-160 ns observed MSI-to-CPU): midpoint.
    std::uint64_t delivery_latency_ps = 150'000;
    bool decode_remappable_without_iommu = false; // check 50 choice, see header comment
    bool msi_level_deassert_as_assert = false;    // check 50 choice, see header comment
};

enum class FabricDropReason : std::uint8_t {
    NotInterruptAddress,
    RemappableWithoutIommu,
    ReservedDeliveryMode,
    LevelDeassert,
    RemapBlocked,
    Count_,
};

const char* to_string(FabricDropReason reason);

struct InterruptFabricStats {
    std::uint64_t messages = 0;    // deliver_message calls
    std::uint64_t requests = 0;    // requests routed (from deliver or decoded messages)
    std::uint64_t delivered = 0;   // requests that reached at least one APIC
    std::uint64_t acceptances = 0; // ApicBusTarget::accept calls (a broadcast counts each APIC)
    std::uint64_t no_destination = 0;
    std::uint64_t lowest_priority_arbitrations = 0;
    std::uint64_t remapped = 0;
    std::uint64_t eoi_broadcasts = 0;
    std::array<std::uint64_t, static_cast<std::size_t>(FabricDropReason::Count_)> dropped{};

    std::uint64_t dropped_total() const;
};

class InterruptFabric : public ApicBus {
  public:
    explicit InterruptFabric(InterruptFabricConfig config = {});

    void attach(ApicBusTarget& lapic) { targets_.push_back(&lapic); }
    void attach_eoi_listener(EoiListener& listener) { eoi_listeners_.push_back(&listener); }
    // Interrupt remapping (VT-d); nullptr = identity (compatibility decode).
    void set_remapper(InterruptRemapper* remapper) { remapper_ = remapper; }
    void set_observer(InterruptPathObserver* observer) { observer_.set(observer); }

    unsigned deliver(const InterruptRequest& request) override;
    unsigned deliver_message(const MsiMessage& message) override;
    void broadcast_eoi(std::uint8_t vector) override;

    std::uint64_t delivery_latency_ps() const { return config_.delivery_latency_ps; }
    const InterruptFabricConfig& config() const { return config_; }
    const InterruptFabricStats& stats() const { return stats_; }
    // Counters: delivered, dropped, dropped.<reason>, no_destination, acceptances, messages, ...
    void report_metrics(MetricSink& sink) const;

  private:
    unsigned route(const InterruptRequest& request);
    ApicBusTarget* find_by_id(std::uint32_t apic_id) const;
    unsigned drop(FabricDropReason reason, const MsiMessage& message);
    void report_hop(HopKind kind, int vector, std::uint64_t detail) const;

    InterruptFabricConfig config_;
    std::vector<ApicBusTarget*> targets_;
    std::vector<EoiListener*> eoi_listeners_;
    InterruptRemapper* remapper_ = nullptr;
    HopSink observer_;
    InterruptFabricStats stats_;
};

} // namespace x86sim::models
