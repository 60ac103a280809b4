// irq.latency: from the moment an interrupt's vector first appears on its path to the guest handler's
// entry (SCENARIOS.md "device interrupt message -> guest handler entry"), built from the interrupt-path
// hops (models/common/interrupt_path.h) so that no model needs to know about the metric.
//
// What counts as the start, per path:
//  - MSI / MSI-X: the DeviceMessage hop (the write leaves the device; the earliest such hop when both the
//    PCIe port and the fabric report one);
//  - IOAPIC: the IoapicDelivery hop (the message leaves the IOAPIC; the pin edge before it carries no
//    vector, so the IOAPIC's own pin-to-message latency is not included);
//  - LAPIC timer: its TimerExpiry hop (the vector is the LVT's);
//  - 8259 through LINT0 (ExtINT): the latest platform-timer TimerExpiry (PIT or HPET, which carry no
//    vector) not yet used, since timers are the only legacy sources modelled.
// The start travels with the vector: IrrSet takes it (a broadcast sets several IRRs at the same instant
// from one start), Coalesced drops the newer one (the pending interrupt keeps its older start),
// Acknowledge moves it to the CPU, and HandlerEntry on that CPU closes the sample. IPIs and spurious
// vectors produce no sample.
#pragma once

#include "models/common/interrupt_path.h"
#include "models/common/metric_sink.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace x86sim::sim::cpu {

class IrqLatencyTracker : public models::InterruptPathObserver {
  public:
    explicit IrqLatencyTracker(unsigned cpus);

    void on_hop(const models::InterruptHop& hop) override;
    // Handler exits, EOIs, remapping and INIT/SIPI/NMI play no part in the latency.
    std::uint32_t hop_kinds() const override;

    const std::vector<std::uint64_t>& samples_ps() const { return samples_; }
    // irq.latency (one histogram sample per handled device interrupt).
    void report_metrics(models::MetricSink& sink) const;

  private:
    static constexpr std::uint64_t kNone = ~0ULL;
    struct Source {
        std::uint64_t time_ps = kNone;
        bool consumed = true;
        std::uint64_t consumed_at_ps = kNone;
    };
    void record_source(Source& source, std::uint64_t time_ps);
    std::uint64_t take(Source& source, std::uint64_t now_ps);

    std::array<Source, 256> vector_sources_{};
    Source legacy_timer_{};
    std::vector<std::array<std::uint64_t, 256>> irr_start_; // per CPU, per vector
    std::vector<std::uint64_t> entering_;                   // per CPU: start of the acknowledged one
    std::vector<std::uint64_t> samples_;
};

} // namespace x86sim::sim::cpu
