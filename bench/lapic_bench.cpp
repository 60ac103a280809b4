// LAPIC benchmarks (issue: x86 interrupt hardware, "Performance"):
//  lapic_timer_expiry  one periodic-timer expiry -> IRR set -> INTR raised (a CPU stand-in takes the
//                      interrupt and EOIs it synchronously, so every expiry sets IRR afresh)
//  lapic_ipi           one fixed IPI: ICR write on CPU 0 -> fabric -> IRR set and INTR on CPU 1
//                      (acknowledged and EOI'd synchronously); no simulated time passes
// A masked, idle LAPIC costs nothing: it schedules no event (tested in tests/models/lapic).
#include "bench/bench_cases.h"
#include "bench/instant_cpu.h"
#include "models/fabric/interrupt_fabric.h"
#include "models/lapic/lapic.h"

#include <systemc>

namespace x86sim::bench {
namespace {

using models::Lapic;

} // namespace

models::LapicConfig bench_lapic_config(std::uint32_t id) {
    models::LapicConfig config;
    config.apic_id = id;
    config.cpu_index = static_cast<int>(id);
    config.bsp = id == 0;
    config.timer_clock_hz = 100'000'000;
    return config;
}

namespace {

std::uint64_t run_timer_expiries(std::uint64_t ops) {
    struct Setup {
        Lapic lapic{"bench_timer_lapic", bench_lapic_config(0)};
        InstantCpu cpu{lapic};
        Setup() {
            lapic.bind_cpu(&cpu);
            lapic.mmio_write(0xF0, 4, 0x1FF);    // SVR: enable
            lapic.mmio_write(0x3E0, 4, 0xB);     // divide by 1
            lapic.mmio_write(0x320, 4, 0x20030); // periodic, vector 0x30
            lapic.mmio_write(0x380, 4, 100);     // 100 clocks = 1 us
        }
    };
    static Setup setup;
    const auto start = setup.lapic.stats().timer_fires;
    // Each expiry is 1 us apart; run exactly `ops` periods.
    sc_core::sc_start(sc_core::sc_time(static_cast<double>(ops), sc_core::SC_US));
    while (sc_core::sc_pending_activity_at_current_time()) {
        sc_core::sc_start(sc_core::SC_ZERO_TIME); // the expiry due at exactly the end time
    }
    return setup.lapic.stats().timer_fires - start;
}

std::uint64_t run_ipis(std::uint64_t ops) {
    struct Setup {
        models::InterruptFabric fabric;
        Lapic sender{"bench_ipi_sender", bench_lapic_config(0)};
        Lapic target{"bench_ipi_target", bench_lapic_config(1)};
        InstantCpu target_cpu{target};
        Setup() {
            for (auto* lapic : {&sender, &target}) {
                lapic->bind_bus(&fabric);
                fabric.attach(*lapic);
                lapic->mmio_write(0xF0, 4, 0x1FF);
            }
            target.bind_cpu(&target_cpu);
        }
    };
    static Setup setup;
    const auto start = setup.target_cpu.taken;
    for (std::uint64_t i = 0; i < ops; ++i) {
        setup.sender.mmio_write(0x310, 4, 1U << 24); // destination APIC ID 1
        setup.sender.mmio_write(0x300, 4, 0x40);     // fixed, physical, vector 0x40: sends
    }
    return setup.target_cpu.taken - start;
}

const RegisterBenchCase timer_case("lapic_timer_expiry", "LAPIC periodic expiry -> IRR -> INTR (taken, EOI)",
                                   run_timer_expiries);
const RegisterBenchCase ipi_case("lapic_ipi", "ICR write -> fabric -> target IRR -> INTR (taken, EOI)",
                                 run_ipis);

} // namespace
} // namespace x86sim::bench

namespace x86sim::bench {
namespace {

// The CPU-side share of the cases above: a fixed interrupt accepted (IRR set, INTR raised) and taken
// (acknowledge + EOI) with no SystemC event. Subtracting it from lapic_timer_expiry leaves the timer's
// own cost (event, re-arm) plus IRR/INTR bookkeeping.
std::uint64_t run_accept_ack_eoi(std::uint64_t ops) {
    struct Setup {
        models::Lapic lapic{"bench_accept_lapic", bench_lapic_config(0)};
        InstantCpu cpu{lapic};
        Setup() {
            lapic.bind_cpu(&cpu);
            lapic.mmio_write(0xF0, 4, 0x1FF);
        }
    };
    static Setup setup;
    models::InterruptRequest request;
    request.vector = 0x30;
    const auto start = setup.cpu.taken;
    for (std::uint64_t i = 0; i < ops; ++i) {
        setup.lapic.accept(request);
    }
    return setup.cpu.taken - start;
}

const RegisterBenchCase accept_case("lapic_accept_ack_eoi",
                                    "fixed interrupt accepted, acknowledged and EOI'd (no event)",
                                    run_accept_ack_eoi);

} // namespace
} // namespace x86sim::bench

namespace x86sim::bench {
namespace {

// The timer's own path without a CPU taking the interrupt: expiry event -> re-arm -> LVT -> IRR
// (after the first expiry the vector is still pending, so the IRR update is the coalescing path and
// INTR does not change). Together with lapic_accept_ack_eoi this splits lapic_timer_expiry.
std::uint64_t run_timer_expiries_pending(std::uint64_t ops) {
    struct Setup {
        models::Lapic lapic{"bench_timer_pending_lapic", bench_lapic_config(0)};
        Setup() {
            lapic.mmio_write(0xF0, 4, 0x1FF);
            lapic.mmio_write(0x3E0, 4, 0xB);
            lapic.mmio_write(0x320, 4, 0x20030);
            lapic.mmio_write(0x380, 4, 100);
        }
    };
    static Setup setup;
    const auto start = setup.lapic.stats().timer_fires;
    sc_core::sc_start(sc_core::sc_time(static_cast<double>(ops), sc_core::SC_US));
    while (sc_core::sc_pending_activity_at_current_time()) {
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }
    return setup.lapic.stats().timer_fires - start;
}

const RegisterBenchCase pending_case("lapic_timer_expiry_pending",
                                     "LAPIC periodic expiry -> IRR (vector still pending, no CPU)",
                                     run_timer_expiries_pending);

} // namespace
} // namespace x86sim::bench

namespace x86sim::bench {
namespace {

// The IPI's own path without a CPU taking it: ICR write -> fabric -> target IRR (still pending after
// the first, so the coalescing path). Pairs with lapic_ipi as lapic_timer_expiry_pending does.
std::uint64_t run_ipis_pending(std::uint64_t ops) {
    struct Setup {
        models::InterruptFabric fabric;
        models::Lapic sender{"bench_ipi_pending_sender", bench_lapic_config(0)};
        models::Lapic target{"bench_ipi_pending_target", bench_lapic_config(1)};
        Setup() {
            for (auto* lapic : {&sender, &target}) {
                lapic->bind_bus(&fabric);
                fabric.attach(*lapic);
                lapic->mmio_write(0xF0, 4, 0x1FF);
            }
        }
    };
    static Setup setup;
    const auto start = setup.target.stats().accepted;
    for (std::uint64_t i = 0; i < ops; ++i) {
        setup.sender.mmio_write(0x310, 4, 1U << 24);
        setup.sender.mmio_write(0x300, 4, 0x40);
    }
    return setup.target.stats().accepted - start;
}

const RegisterBenchCase ipi_pending_case("lapic_ipi_pending",
                                         "ICR write -> fabric -> target IRR (pending, no CPU)",
                                         run_ipis_pending);

} // namespace
} // namespace x86sim::bench
