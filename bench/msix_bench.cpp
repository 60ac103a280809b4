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

std::uint64_t run_msix_messages(std::uint64_t ops) {
    struct Setup {
        models::InterruptFabric fabric;
        models::Lapic lapic{"bench_msix_lapic", bench_lapic_config(0)};
        InstantCpu cpu{lapic};
        NoMemory memory;
        models::RootComplex rc{"pci", fabric, memory};
        models::TestDevice device{"bench_testdev"};
        Setup() {
            lapic.bind_bus(&fabric);
            lapic.bind_cpu(&cpu);
            fabric.attach(lapic);
            lapic.mmio_write(0xF0, 4, 0x1FF);
            rc.attach(device, {0, 4, 0});
            const models::PciBdf bdf{0, 4, 0};
            // Firmware and driver: BAR2 (MSI-X table) at 0x8000_0000, memory decode + bus master,
            // table entry 0 -> APIC 0 vector 0x50, MSI-X enable.
            rc.config_write(bdf, 0x18, 4, 0x8000'0000);
            rc.config_write(bdf, 0x1C, 4, 0);
            rc.config_write(bdf, 0x04, 2, 0x6);
            rc.memory_write(0x8000'0000, 4, 0xFEE0'0000);
            rc.memory_write(0x8000'0004, 4, 0);
            rc.memory_write(0x8000'0008, 4, 0x50);
            rc.memory_write(0x8000'000C, 4, 0);
            const auto cap = device.msix()->offset();
            rc.config_write(bdf, static_cast<std::uint16_t>(cap + 2), 2, 0x8000); // MSI-X enable
        }
    };
    static Setup setup;
    const auto start = setup.cpu.taken;
    for (std::uint64_t i = 0; i < ops; ++i) {
        setup.device.fire(0);
    }
    return setup.cpu.taken - start;
}

// The same path without a CPU taking the interrupt: after the first message the vector stays pending
// in IRR, so each message ends in the LAPIC's coalescing path (decision to fire -> IRR, INTR unchanged).
std::uint64_t run_msix_messages_pending(std::uint64_t ops) {
    struct Setup {
        models::InterruptFabric fabric;
        models::Lapic lapic{"bench_msix_pending_lapic", bench_lapic_config(0)};
        NoMemory memory;
        models::RootComplex rc{"pci", fabric, memory};
        models::TestDevice device{"bench_testdev_pending"};
        Setup() {
            lapic.bind_bus(&fabric);
            fabric.attach(lapic);
            lapic.mmio_write(0xF0, 4, 0x1FF);
            rc.attach(device, {0, 4, 0});
            const models::PciBdf bdf{0, 4, 0};
            rc.config_write(bdf, 0x18, 4, 0x8000'0000);
            rc.config_write(bdf, 0x1C, 4, 0);
            rc.config_write(bdf, 0x04, 2, 0x6);
            rc.memory_write(0x8000'0000, 4, 0xFEE0'0000);
            rc.memory_write(0x8000'0004, 4, 0);
            rc.memory_write(0x8000'0008, 4, 0x50);
            rc.memory_write(0x8000'000C, 4, 0);
            rc.config_write(bdf, static_cast<std::uint16_t>(device.msix()->offset() + 2), 2, 0x8000);
        }
    };
    static Setup setup;
    const auto start = setup.lapic.stats().accepted;
    for (std::uint64_t i = 0; i < ops; ++i) {
        setup.device.fire(0);
    }
    return setup.lapic.stats().accepted - start;
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
