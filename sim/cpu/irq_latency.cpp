#include "sim/cpu/irq_latency.h"

namespace x86sim::sim::cpu {

using models::HopKind;

IrqLatencyTracker::IrqLatencyTracker(unsigned cpus) : irr_start_(cpus), entering_(cpus, kNone) {
    for (auto& starts : irr_start_) {
        starts.fill(kNone);
    }
}

void IrqLatencyTracker::record_source(Source& source, std::uint64_t time_ps) {
    if (source.consumed) {
        source = {time_ps, false, kNone};
    }
}

std::uint64_t IrqLatencyTracker::take(Source& source, std::uint64_t now_ps) {
    if (source.time_ps == kNone) {
        return kNone;
    }
    // A broadcast sets IRR on several CPUs at one instant from one message.
    if (!source.consumed || source.consumed_at_ps == now_ps) {
        source.consumed = true;
        source.consumed_at_ps = now_ps;
        return source.time_ps;
    }
    return kNone;
}

void IrqLatencyTracker::on_hop(const models::InterruptHop& hop) {
    const bool has_vector = hop.vector >= 0 && hop.vector < 256;
    const bool has_cpu = hop.cpu >= 0 && static_cast<std::size_t>(hop.cpu) < irr_start_.size();
    const auto vector = has_vector ? static_cast<std::size_t>(hop.vector) : 0;
    const auto cpu = has_cpu ? static_cast<std::size_t>(hop.cpu) : 0;
    switch (hop.kind) {
    case HopKind::DeviceMessage:
    case HopKind::IoapicDelivery:
        if (has_vector) {
            record_source(vector_sources_[vector], hop.time_ps);
        }
        break;
    case HopKind::TimerExpiry:
        if (has_vector) {
            record_source(vector_sources_[vector], hop.time_ps);
        } else {
            legacy_timer_ = {hop.time_ps, false, kNone}; // the latest expiry
        }
        break;
    case HopKind::Ipi:
    case HopKind::Rejected:
        if (has_vector) {
            (void)take(vector_sources_[vector], hop.time_ps); // not a device interrupt / lost
        }
        break;
    case HopKind::IrrSet:
        if (has_vector && has_cpu) {
            irr_start_[cpu][vector] = take(vector_sources_[vector], hop.time_ps);
        }
        break;
    case HopKind::Coalesced:
        if (has_vector) {
            (void)take(vector_sources_[vector], hop.time_ps);
        }
        break;
    case HopKind::Acknowledge:
        if (has_vector && has_cpu) {
            if (hop.detail == 1) { // ExtINT: the 8259 answered the INTA cycle
                entering_[cpu] = take(legacy_timer_, hop.time_ps);
            } else {
                entering_[cpu] = irr_start_[cpu][vector];
                irr_start_[cpu][vector] = kNone;
            }
        }
        break;
    case HopKind::Spurious:
        if (has_cpu) {
            entering_[cpu] = kNone;
        }
        break;
    case HopKind::HandlerEntry:
        if (has_cpu && entering_[cpu] != kNone) {
            if (hop.time_ps >= entering_[cpu]) {
                samples_.push_back(hop.time_ps - entering_[cpu]);
            }
            entering_[cpu] = kNone;
        }
        break;
    default:
        break;
    }
}

std::uint32_t IrqLatencyTracker::hop_kinds() const {
    using models::hop_bit;
    return hop_bit(HopKind::DeviceMessage) | hop_bit(HopKind::IoapicDelivery) |
           hop_bit(HopKind::TimerExpiry) | hop_bit(HopKind::Ipi) | hop_bit(HopKind::Rejected) |
           hop_bit(HopKind::IrrSet) | hop_bit(HopKind::Coalesced) | hop_bit(HopKind::Acknowledge) |
           hop_bit(HopKind::Spurious) | hop_bit(HopKind::HandlerEntry);
}

void IrqLatencyTracker::report_metrics(models::MetricSink& sink) const {
    sink.latency_samples("irq.latency", samples_);
}

} // namespace x86sim::sim::cpu
