// Test doubles and a register driver for IOAPIC tests: a fake fabric that records what the IOAPIC sends
// (with the simulated time) and lets the test play a LAPIC's EOI broadcast.
#pragma once

#include "models/common/apic_bus.h"
#include "models/common/interrupt_path.h"
#include "models/common/metric_sink.h"
#include "models/ioapic/ioapic.h"
#include "tests/support/sim_test.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace x86sim::models::testing {

class FakeApicBus : public ApicBus {
  public:
    struct Delivered {
        std::uint64_t time_ps = 0;
        InterruptRequest request;
    };
    struct Message {
        std::uint64_t time_ps = 0;
        MsiMessage message;
    };

    unsigned deliver(const InterruptRequest& request) override {
        requests.push_back({test::now_ps(), request});
        return reach;
    }
    unsigned deliver_message(const MsiMessage& message) override {
        messages.push_back({test::now_ps(), message});
        return reach;
    }
    void broadcast_eoi(std::uint8_t vector) override {
        for (auto* listener : listeners) {
            listener->end_of_interrupt(vector);
        }
    }

    std::vector<Delivered> requests;
    std::vector<Message> messages;
    std::vector<EoiListener*> listeners;
    unsigned reach = 1; // how many APICs every message reaches
};

class RecordingObserver : public InterruptPathObserver {
  public:
    void on_hop(const InterruptHop& hop) override { hops.push_back(hop); }
    std::vector<InterruptHop> hops;
};

class RecordingMetricSink : public MetricSink {
  public:
    void counter(std::string_view name, std::uint64_t value) override { counters.emplace_back(name, value); }
    void gauge(std::string_view, double) override {}
    void latency_sample(std::string_view, std::uint64_t) override {}
    std::uint64_t value(const std::string& name) const {
        for (const auto& [key, value] : counters) {
            if (key == name) {
                return value;
            }
        }
        return ~0ULL;
    }
    std::vector<std::pair<std::string, std::uint64_t>> counters;
};

// Programs an IOAPIC the way an OS driver does: IOREGSEL, then IOWIN, dword accesses.
class IoapicDriver {
  public:
    explicit IoapicDriver(Ioapic& ioapic) : ioapic_(ioapic) {}

    AccessStatus write(std::uint32_t index, std::uint32_t value) {
        ioapic_.mmio_write(Ioapic::kIoRegSel, 4, index);
        return ioapic_.mmio_write(Ioapic::kIoWin, 4, value).status;
    }
    std::uint32_t read(std::uint32_t index) {
        std::uint64_t value = 0;
        ioapic_.mmio_write(Ioapic::kIoRegSel, 4, index);
        ioapic_.mmio_read(Ioapic::kIoWin, 4, value);
        return static_cast<std::uint32_t>(value);
    }
    // High half first, then the low half (which holds the mask), as Linux's ioapic_write_entry does.
    void write_rte(unsigned pin, std::uint64_t entry) {
        write(Ioapic::kRegRedirectionBase + 2 * pin + 1, static_cast<std::uint32_t>(entry >> 32));
        write(Ioapic::kRegRedirectionBase + 2 * pin, static_cast<std::uint32_t>(entry));
    }
    std::uint64_t read_rte(unsigned pin) {
        const std::uint64_t low = read(Ioapic::kRegRedirectionBase + 2 * pin);
        const std::uint64_t high = read(Ioapic::kRegRedirectionBase + 2 * pin + 1);
        return (high << 32) | low;
    }
    AccessStatus write_eoi(std::uint8_t vector) { return ioapic_.mmio_write(Ioapic::kEoi, 4, vector).status; }

  private:
    Ioapic& ioapic_;
};

// RTE composition helpers (lapic-pit-msi.md §4 table).
inline constexpr std::uint64_t kLevel = 1ULL << 15;
inline constexpr std::uint64_t kActiveLow = 1ULL << 13;
inline constexpr std::uint64_t kMasked = 1ULL << 16;
inline constexpr std::uint64_t kLogical = 1ULL << 11;
inline constexpr std::uint64_t kDeliveryStatus = 1ULL << 12;
inline constexpr std::uint64_t kRemoteIrr = 1ULL << 14;
inline constexpr std::uint64_t destination(std::uint8_t apic_id) {
    return std::uint64_t{apic_id} << 56;
}
inline constexpr std::uint64_t delivery(DeliveryMode mode) {
    return std::uint64_t{static_cast<std::uint8_t>(mode)} << 8;
}

// SystemC's sc_start(duration) stops before the events due at the end instant; these run them too, so
// "run until T" includes whatever happens at T.
inline void run_until(std::uint64_t time_ps) {
    test::run_until_ps(time_ps);
    test::run_for_ps(0);
}
inline void run_for(std::uint64_t duration_ps) {
    run_until(test::now_ps() + duration_ps);
}

inline constexpr std::uint64_t kLatencyPs = 150'000; // the default delivery latency (150 ns)

} // namespace x86sim::models::testing
