// Small fakes and helpers for the LAPIC, fabric and TSC tests.
#pragma once

#include "models/common/apic_bus.h"
#include "models/common/interrupt_path.h"
#include "models/common/metric_sink.h"
#include "models/lapic/lapic.h"
#include "tests/support/sim_test.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace x86sim::models::testing {

// Records what a LAPIC drives towards its core.
class FakeCpuPins : public CpuInterruptPins {
  public:
    void intr_changed(bool asserted) override {
        intr = asserted;
        ++intr_changes;
    }
    void nmi() override { ++nmis; }
    void smi() override { ++smis; }
    void init() override { ++inits; }
    void startup(std::uint8_t vector) override { startups.push_back(vector); }

    bool intr = false;
    int intr_changes = 0;
    int nmis = 0;
    int smis = 0;
    int inits = 0;
    std::vector<std::uint8_t> startups;
};

// Records requests and EOIs instead of routing them.
class FakeBus : public ApicBus {
  public:
    unsigned deliver(const InterruptRequest& request) override {
        requests.push_back(request);
        return 1;
    }
    unsigned deliver_message(const MsiMessage& message) override {
        messages.push_back(message);
        return 1;
    }
    void broadcast_eoi(std::uint8_t vector) override { eois.push_back(vector); }

    std::vector<InterruptRequest> requests;
    std::vector<MsiMessage> messages;
    std::vector<std::uint8_t> eois;
};

class FakeEoiListener : public EoiListener {
  public:
    void end_of_interrupt(std::uint8_t vector) override { vectors.push_back(vector); }
    std::vector<std::uint8_t> vectors;
};

class FakeExtIntSource : public ExtIntSource {
  public:
    explicit FakeExtIntSource(std::uint8_t vector) : vector_(vector) {}
    std::uint8_t acknowledge_extint() override {
        ++acknowledges;
        return vector_;
    }
    int acknowledges = 0;

  private:
    std::uint8_t vector_;
};

class RecordingObserver : public InterruptPathObserver {
  public:
    void on_hop(const InterruptHop& hop) override { hops.push_back(hop); }
    std::vector<InterruptHop> of_kind(HopKind kind) const {
        std::vector<InterruptHop> selected;
        for (const auto& hop : hops) {
            if (hop.kind == kind) {
                selected.push_back(hop);
            }
        }
        return selected;
    }
    std::vector<InterruptHop> hops;
};

class MapSink : public MetricSink {
  public:
    void counter(std::string_view name, std::uint64_t value) override { counters[std::string(name)] = value; }
    void gauge(std::string_view name, double value) override { gauges[std::string(name)] = value; }
    void latency_sample(std::string_view name, std::uint64_t picoseconds) override {
        samples[std::string(name)].push_back(picoseconds);
    }
    std::map<std::string, std::uint64_t> counters;
    std::map<std::string, double> gauges;
    std::map<std::string, std::vector<std::uint64_t>> samples;
};

// xAPIC register access through the MMIO window (aligned 32-bit).
inline std::uint32_t read_reg(Lapic& lapic, std::uint64_t offset) {
    std::uint64_t value = 0;
    lapic.mmio_read(offset, 4, value);
    return static_cast<std::uint32_t>(value);
}
inline AccessStatus write_reg(Lapic& lapic, std::uint64_t offset, std::uint32_t value) {
    return lapic.mmio_write(offset, 4, value).status;
}
// SVR = enable | spurious vector.
inline void software_enable(Lapic& lapic, std::uint8_t spurious = 0xFF) {
    write_reg(lapic, 0x0F0, 0x100U | spurious);
}
inline std::uint64_t rdmsr(Lapic& lapic, std::uint32_t index) {
    std::uint64_t value = 0;
    lapic.rdmsr(index, value);
    return value;
}
// xAPIC -> x2APIC through IA32_APIC_BASE.
inline bool enter_x2apic(Lapic& lapic) {
    return lapic.wrmsr(0x1B, (lapic.apic_base_msr() & ~0x100ULL) | 0xC00);
}

inline InterruptRequest fixed_request(std::uint8_t vector, std::uint32_t destination = 0,
                                      TriggerMode trigger = TriggerMode::Edge) {
    InterruptRequest request;
    request.vector = vector;
    request.destination = destination;
    request.trigger = trigger;
    request.source_kind = InterruptSourceKind::Msi;
    return request;
}

// Runs the simulation through `time_ps`: when it returns, now == time_ps and every process due at
// time_ps has run (sc_start(d) stops *before* evaluating the processes at its end time).
inline void run_through_ps(std::uint64_t time_ps) {
    test::run_until_ps(time_ps);
    test::run_until_ps(time_ps);
}

// Timer ticks at the default 25 MHz crystal: 40 ns each.
inline constexpr std::uint64_t kTimerTickPs = 40'000;

} // namespace x86sim::models::testing
