// LAPIC benchmarks (issue: x86 interrupt hardware, "Performance"):
//  lapic_timer_expiry          one periodic-timer expiry -> IRR set -> INTR raised (a CPU stand-in takes
//                              the interrupt and EOIs it synchronously, so every expiry sets IRR afresh)
//  lapic_timer_expiry_pending  the timer's own path without a CPU: expiry event -> re-arm -> LVT -> IRR
//                              (after the first expiry the vector stays pending: the coalescing path)
//  lapic_ipi                   one fixed IPI: ICR write on CPU 0 -> fabric -> IRR set and INTR on CPU 1
//                              (acknowledged and EOI'd synchronously); no simulated time passes
//  lapic_ipi_pending           the IPI's own path without a CPU taking it (pending after the first)
//  lapic_accept_ack_eoi        the CPU-side share: a fixed interrupt accepted and taken, no SystemC event
// A masked, idle LAPIC costs nothing: it schedules no event (tested in tests/models/lapic).
#include "bench/bench_cases.h"
#include "bench/instant_cpu.h"
#include "models/fabric/interrupt_fabric.h"
#include "models/lapic/lapic.h"

#include <systemc>

namespace x86sim::bench {

models::LapicConfig bench_lapic_config(std::uint32_t id) {
    models::LapicConfig config;
    config.apic_id = id;
    config.cpu_index = static_cast<int>(id);
    config.bsp = id == 0;
    config.timer_clock_hz = 100'000'000;
    return config;
}

namespace {

using models::Lapic;

// A software-enabled LAPIC, with a stand-in CPU bound when `take_interrupts`.
struct EnabledLapic {
    Lapic lapic;
    InstantCpu cpu{lapic};
    EnabledLapic(const char* name, std::uint32_t id, bool take_interrupts)
        : lapic(name, bench_lapic_config(id)) {
        if (take_interrupts) {
            lapic.bind_cpu(&cpu);
        }
    }
};

// A periodic timer at vector 0x30, divide by 1, 100 clocks = 1 us.
struct TimerBench : EnabledLapic {
    TimerBench(const char* name, bool take_interrupts) : EnabledLapic(name, 0, take_interrupts) {
        lapic.mmio_write(0xF0, 4, 0x1FF);    // SVR: enable
        lapic.mmio_write(0x3E0, 4, 0xB);     // divide by 1
        lapic.mmio_write(0x320, 4, 0x20030); // periodic, vector 0x30
        lapic.mmio_write(0x380, 4, 100);     // 100 clocks = 1 us
    }
    std::uint64_t run(std::uint64_t ops) {
        const auto start = lapic.stats().timer_fires;
        // Each expiry is 1 us apart; run exactly `ops` periods.
        sc_core::sc_start(sc_core::sc_time(static_cast<double>(ops), sc_core::SC_US));
        while (sc_core::sc_pending_activity_at_current_time()) {
            sc_core::sc_start(sc_core::SC_ZERO_TIME); // the expiry due at exactly the end time
        }
        return lapic.stats().timer_fires - start;
    }
};

// Two LAPICs on the fabric; fixed IPIs at vector 0x40 from the first to the second.
struct IpiBench {
    models::InterruptFabric fabric;
    EnabledLapic sender;
    EnabledLapic target;
    IpiBench(const char* sender_name, const char* target_name, bool take_interrupts)
        : sender(sender_name, 0, false), target(target_name, 1, take_interrupts) {
        for (auto* lapic : {&sender.lapic, &target.lapic}) {
            lapic->bind_bus(&fabric);
            fabric.attach(*lapic);
            lapic->mmio_write(0xF0, 4, 0x1FF);
        }
    }
    std::uint64_t run(std::uint64_t ops) {
        const auto start = target.lapic.stats().accepted;
        for (std::uint64_t i = 0; i < ops; ++i) {
            sender.lapic.mmio_write(0x310, 4, 1U << 24); // destination APIC ID 1
            sender.lapic.mmio_write(0x300, 4, 0x40);     // fixed, physical, vector 0x40: sends
        }
        return target.lapic.stats().accepted - start;
    }
};

std::uint64_t run_timer_expiries(std::uint64_t ops) {
    static TimerBench bench("bench_timer_lapic", true);
    return bench.run(ops);
}

std::uint64_t run_timer_expiries_pending(std::uint64_t ops) {
    static TimerBench bench("bench_timer_pending_lapic", false);
    return bench.run(ops);
}

std::uint64_t run_ipis(std::uint64_t ops) {
    static IpiBench bench("bench_ipi_sender", "bench_ipi_target", true);
    return bench.run(ops);
}

std::uint64_t run_ipis_pending(std::uint64_t ops) {
    static IpiBench bench("bench_ipi_pending_sender", "bench_ipi_pending_target", false);
    return bench.run(ops);
}

// Subtracting this from lapic_timer_expiry leaves the timer's own cost (event, re-arm) plus IRR/INTR
// bookkeeping.
std::uint64_t run_accept_ack_eoi(std::uint64_t ops) {
    struct AcceptBench : EnabledLapic {
        AcceptBench() : EnabledLapic("bench_accept_lapic", 0, true) { lapic.mmio_write(0xF0, 4, 0x1FF); }
    };
    static AcceptBench bench;
    models::InterruptRequest request;
    request.vector = 0x30;
    const auto start = bench.cpu.taken;
    for (std::uint64_t i = 0; i < ops; ++i) {
        bench.lapic.accept(request);
    }
    return bench.cpu.taken - start;
}

const RegisterBenchCase timer_case("lapic_timer_expiry", "LAPIC periodic expiry -> IRR -> INTR (taken, EOI)",
                                   run_timer_expiries);
const RegisterBenchCase ipi_case("lapic_ipi", "ICR write -> fabric -> target IRR -> INTR (taken, EOI)",
                                 run_ipis);
const RegisterBenchCase accept_case("lapic_accept_ack_eoi",
                                    "fixed interrupt accepted, acknowledged and EOI'd (no event)",
                                    run_accept_ack_eoi);
const RegisterBenchCase pending_case("lapic_timer_expiry_pending",
                                     "LAPIC periodic expiry -> IRR (vector still pending, no CPU)",
                                     run_timer_expiries_pending);
const RegisterBenchCase ipi_pending_case("lapic_ipi_pending",
                                         "ICR write -> fabric -> target IRR (pending, no CPU)",
                                         run_ipis_pending);

} // namespace
} // namespace x86sim::bench
