// MSI-X benchmark (issue: PCI/MSI-X, "Performance"): one message from the test device's decision to
// fire to the IRR bit set in the target LAPIC: MSI-X table lookup -> upstream port -> root complex ->
// interrupt fabric (decode, route) -> LAPIC accept -> INTR (taken and EOI'd by the stand-in CPU).
#include "bench/bench_cases.h"
#include "bench/instant_cpu.h"
#include "models/fabric/interrupt_fabric.h"
#include "models/pci/root_complex.h"
#include "models/testdev/test_device.h"

#include <span>
#include <vector>

namespace x86sim::bench {
namespace {

class NoMemory : public models::DmaMemory {
  public:
    bool read(std::uint64_t, std::span<std::uint8_t>) override { return false; }
    bool write(std::uint64_t, std::span<const std::uint8_t>) override { return false; }
};

// One LAPIC behind the fabric, a root complex and the test device programmed as firmware and a driver
// would: BAR2 (MSI-X table) at 0x8000_0000, memory decode + bus master, table entry 0 -> APIC 0 vector
// 0x50, MSI-X enable. With `take_interrupts`, a stand-in CPU takes and EOIs every interrupt.
struct MsixBench {
    models::InterruptFabric fabric;
    models::Lapic lapic;
    InstantCpu cpu{lapic};
    NoMemory memory;
    models::RootComplex rc{"pci", fabric, memory};
    models::TestDevice device;

    MsixBench(const char* lapic_name, const char* device_name, bool take_interrupts)
        : lapic(lapic_name, bench_lapic_config(0)), device(device_name) {
        lapic.bind_bus(&fabric);
        if (take_interrupts) {
            lapic.bind_cpu(&cpu);
        }
        fabric.attach(lapic);
        lapic.mmio_write(0xF0, 4, 0x1FF);
        const models::PciBdf bdf{0, 4, 0};
        rc.attach(device, bdf);
        rc.config_write(bdf, 0x18, 4, 0x8000'0000);
        rc.config_write(bdf, 0x1C, 4, 0);
        rc.config_write(bdf, 0x04, 2, 0x6);
        rc.memory_write(0x8000'0000, 4, 0xFEE0'0000);
        rc.memory_write(0x8000'0004, 4, 0);
        rc.memory_write(0x8000'0008, 4, 0x50);
        rc.memory_write(0x8000'000C, 4, 0);
        rc.config_write(bdf, static_cast<std::uint16_t>(device.msix()->offset() + 2), 2, 0x8000);
    }
    void fire(std::uint64_t ops) {
        for (std::uint64_t i = 0; i < ops; ++i) {
            device.fire(0);
        }
    }
};

std::uint64_t run_msix_messages(std::uint64_t ops) {
    static MsixBench bench("bench_msix_lapic", "bench_testdev", true);
    const auto start = bench.cpu.taken;
    bench.fire(ops);
    return bench.cpu.taken - start;
}

// The same path without a CPU taking the interrupt: after the first message the vector stays pending
// in IRR, so each message ends in the LAPIC's coalescing path (decision to fire -> IRR, INTR unchanged).
std::uint64_t run_msix_messages_pending(std::uint64_t ops) {
    static MsixBench bench("bench_msix_pending_lapic", "bench_testdev_pending", false);
    const auto start = bench.lapic.stats().accepted;
    bench.fire(ops);
    return bench.lapic.stats().accepted - start;
}

const RegisterBenchCase
    msix_pending_case("msix_message_pending",
                      "testdev fires MSI-X vector -> root complex -> fabric -> IRR (pending, no CPU)",
                      run_msix_messages_pending);

const RegisterBenchCase msix_case("msix_message",
                                  "testdev fires MSI-X vector -> root complex -> fabric -> IRR -> INTR",
                                  run_msix_messages);

} // namespace
} // namespace x86sim::bench
