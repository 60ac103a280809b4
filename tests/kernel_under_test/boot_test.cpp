// Boot register sequences (redox-kernel.md §1, §3; lapic-pit-msi.md §1.3, §2, §4) and vector layout.
#include "arch/x86/vectors.h"
#include "tests/kernel_under_test/kernel_fixture.h"

#include <algorithm>

namespace kut_test {
namespace {

using PortWrite = std::pair<std::uint16_t, std::uint8_t>;

bool wrote_mmio(const FakeHal& hal, std::uint64_t address, std::uint64_t value) {
    const auto writes = hal.filter(Kind::mmio_write);
    return std::any_of(writes.begin(), writes.end(),
                       [&](const Access& a) { return a.address == address && a.value == value; });
}

std::vector<Access> writes_to(const FakeHal& hal, std::uint64_t from, std::uint64_t to) {
    std::vector<Access> out;
    for (const auto& a : hal.filter(Kind::mmio_write)) {
        if (a.address >= from && a.address < to) {
            out.push_back(a);
        }
    }
    return out;
}

TEST(GuestEntry, TableIsCompleteAndVersioned) {
    const kut_guest* guest = kut_guest_entry();
    ASSERT_NE(guest, nullptr);
    EXPECT_EQ(guest->abi_version, KUT_ABI_VERSION);
    EXPECT_EQ(guest->size, sizeof(kut_guest));
    EXPECT_NE(guest->name, nullptr);
    EXPECT_NE(guest->init, nullptr);
    EXPECT_NE(guest->boot, nullptr);
    EXPECT_NE(guest->ap_start, nullptr);
    EXPECT_NE(guest->interrupt, nullptr);
    EXPECT_NE(guest->syscall, nullptr);
    EXPECT_NE(guest->task_new, nullptr);
    EXPECT_NE(guest->idle, nullptr);
}

TEST(GuestEntry, InitRefusesAnIncompleteHalOrAnotherAbi) {
    FakeHal hal;
    kut_config cfg = upstream_config(1);
    const kut_guest* guest = kut_guest_entry();
    hal.table.spin_trylock = nullptr;
    EXPECT_NE(guest->init(&hal.table, &cfg), 0);
    ASSERT_FALSE(hal.logs.empty());
    EXPECT_NE(hal.logs.back().find("spin_trylock"), std::string::npos);
    FakeHal other;
    other.table.abi_version = KUT_ABI_VERSION + 1;
    EXPECT_NE(guest->init(&other.table, &cfg), 0);
    EXPECT_NE(guest->init(&other.table, nullptr), 0);
    // Entries called without a kernel do nothing.
    guest->boot(0);
    guest->interrupt(0, 32);
    EXPECT_LT(guest->syscall(0, 1, KUT_SYS_YIELD, 0, 0, 0), 0);
}

TEST_F(KernelTest, UpstreamBootProgramsLapicPicAndPit) {
    set_cpus(1);
    boot();
    // LAPIC: SVR 0x100 (spurious vector 0, as upstream), LVT error 49, LINT0 ExtINT (virtual wire).
    EXPECT_TRUE(wrote_mmio(hal, 0xFEE000F0, 0x100));
    EXPECT_TRUE(wrote_mmio(hal, 0xFEE00370, 49));
    EXPECT_TRUE(wrote_mmio(hal, 0xFEE00350, 0x700));
    // 8259 remap (ICW1-4), everything unmasked, then PIT channel 0 mode 2 with divisor 4847 = 0x12EF.
    const std::vector<PortWrite> expected = {
        {0x20, 0x11}, {0xA0, 0x11}, {0x21, 0x20}, {0xA1, 0x28}, {0x21, 0x04}, {0xA1, 0x02}, {0x21, 0x01},
        {0xA1, 0x01}, {0x21, 0x00}, {0xA1, 0x00}, {0x43, 0x34}, {0x40, 0xEF}, {0x40, 0x12},
    };
    EXPECT_EQ(hal.port_writes(), expected);
    EXPECT_EQ(kernel->timer().pit_divisor(), 4847u);
    EXPECT_EQ(kernel->timer().period_ps(), 4'062'246'998u); // 246.17 Hz
    EXPECT_EQ(kernel->config().irq_controller, kut::IrqController::pic);
    EXPECT_EQ(running(0), KUT_IDLE_TASK);
}

TEST_F(KernelTest, PitDivisorOrHzSelectTheRate) {
    cfg.pit_divisor = 2685; // before November 2022: 444.4 Hz
    set_cpus(1);
    boot();
    const auto writes = hal.port_writes();
    const std::vector<PortWrite> tail(writes.end() - 3, writes.end());
    EXPECT_EQ(tail, (std::vector<PortWrite>{{0x43, 0x34}, {0x40, 0x7D}, {0x40, 0x0A}}));

    FakeHal other(1);
    kut_config hz = upstream_config(1);
    hz.tick_hz = 1000;
    ASSERT_EQ(guest->init(&other.table, &hz), 0);
    guest->boot(0);
    EXPECT_EQ(kut::current_kernel()->timer().pit_divisor(), 1193u);
}

TEST_F(KernelTest, X2apicBootUsesMsrs) {
    cfg.use_x2apic = 1;
    hal.x2apic_mode = true;
    set_cpus(2);
    boot();
    bool svr = false;
    bool lvt_error = false;
    for (const auto& a : hal.filter(Kind::wrmsr)) {
        svr |= a.address == 0x80F && a.value == 0x100;
        lvt_error |= a.address == 0x837 && a.value == 49;
    }
    EXPECT_TRUE(svr);
    EXPECT_TRUE(lvt_error);
    EXPECT_TRUE(writes_to(hal, 0xFEE00000, 0xFEE01000).empty());
    // INIT-SIPI-SIPI through the 64-bit ICR, destination in 63:32.
    ASSERT_EQ(hal.ipis.size(), 3u);
    EXPECT_EQ(hal.ipis[0].destination, 1u);
    EXPECT_EQ(hal.ipis[0].low, 0x4500u);
    EXPECT_EQ(hal.ipis[1].low, 0x4608u);
}

TEST_F(KernelTest, X2apicRequestedButFirmwareLeftXapicEnablesIt) {
    cfg.use_x2apic = 1;
    set_cpus(1);
    boot();
    bool enabled = false;
    for (const auto& a : hal.filter(Kind::wrmsr)) {
        enabled |= a.address == 0x1B && (a.value & 0xC00) == 0xC00;
    }
    EXPECT_TRUE(enabled);
    EXPECT_TRUE(kernel->lapic().x2apic());
}

TEST_F(KernelTest, ApsAreStartedWithInitSipiSipi) {
    init();
    guest->boot(0);
    ASSERT_EQ(hal.ipis.size(), 9u);
    for (std::uint32_t ap = 1; ap < 4; ++ap) {
        const auto* ipi = &hal.ipis[(ap - 1) * 3];
        EXPECT_EQ(ipi[0].destination, ap);
        EXPECT_EQ(ipi[0].low, 0x4500u); // INIT, assert
        EXPECT_EQ(ipi[1].low, 0x4608u); // SIPI, trampoline at 0x8000
        EXPECT_EQ(ipi[2].low, 0x4608u);
        EXPECT_EQ(ipi[2].destination, ap);
    }
    guest->ap_start(2, 8);
    EXPECT_TRUE(wrote_mmio(hal, 0xFEE000F0, 0x100));
    EXPECT_TRUE(kernel->scheduler().cpu(2).started);
    EXPECT_EQ(running(2), KUT_IDLE_TASK);
    // The second SIPI (or a host bug) must not restart a CPU.
    guest->ap_start(2, 8);
    guest->ap_start(0, 8);
    guest->ap_start(99, 8);
    EXPECT_EQ(hal.counter("kernel.bad_requests"), 3u);
}

TEST_F(KernelTest, HpetLegacyReplacementAsUpstream) {
    cfg.tick_source = KUT_TICK_HPET;
    cfg.have_hpet = 1;
    set_cpus(1);
    boot();
    const auto writes = writes_to(hal, 0xFED00000, 0xFED00400);
    ASSERT_EQ(writes.size(), 5u);
    EXPECT_EQ(writes[0].address, 0xFED00010u); // LEG_RT_CNF | ENABLE_CNF cleared
    EXPECT_EQ(writes[0].value & 3, 0u);
    EXPECT_EQ(writes[1].address, 0xFED00100u);
    EXPECT_EQ(writes[1].value, 0x4Cu);
    EXPECT_EQ(writes[2].address, 0xFED00108u);
    EXPECT_EQ(writes[3].address, 0xFED00108u);
    EXPECT_EQ(writes[3].value, 406'224u);        // RATE 4,062,246,998 fs / 10 ns
    EXPECT_EQ(writes[2].value, writes[3].value); // counter (0, halted) + divisor
    EXPECT_EQ(writes[4].address, 0xFED00010u);
    EXPECT_EQ(writes[4].value & 3, 3u);
    EXPECT_EQ(kernel->timer().source(), KUT_TICK_HPET);
    // The PIT is never programmed.
    for (const auto& [port, value] : hal.port_writes()) {
        EXPECT_NE(port, 0x43);
    }
    // IRQ0 on vector 32 is the tick.
    guest->interrupt(0, 32);
    EXPECT_EQ(hal.counter("sched.ticks"), 1u);
}

TEST_F(KernelTest, HpetWithoutLegacyReplacementFallsBackToPit) {
    cfg.tick_source = KUT_TICK_HPET;
    cfg.have_hpet = 1;
    hal.hpet_legacy_capable = false;
    set_cpus(1);
    boot();
    EXPECT_EQ(kernel->timer().source(), KUT_TICK_PIT);
    const auto writes = hal.port_writes();
    EXPECT_NE(std::find(writes.begin(), writes.end(), PortWrite{0x43, 0x34}), writes.end());
}

TEST_F(KernelTest, IoapicRoutesIsaIrqsToTheBspWithTheIrq0Override) {
    cfg.have_ioapic = 1;
    cfg.sched_lock = KUT_LOCK_PER_CPU; // a Red Bear configuration
    boot();
    EXPECT_EQ(kernel->config().irq_controller, kut::IrqController::ioapic);
    // PIC remapped, then fully masked.
    const auto ports = hal.port_writes();
    const std::vector<PortWrite> pic_tail(ports.begin() + 8, ports.begin() + 10);
    EXPECT_EQ(pic_tail, (std::vector<PortWrite>{{0x21, 0xFF}, {0xA1, 0xFF}}));
    // LINT0 masked: the IOAPIC owns the legacy lines.
    EXPECT_TRUE(wrote_mmio(hal, 0xFEE00350, 0x10700));
    EXPECT_EQ(hal.ioapic_regs[0x10 + 2 * 2], 0x20u); // pin 2 <- IRQ0, vector 32, fixed, physical, edge
    EXPECT_EQ(hal.ioapic_regs[0x11 + 2 * 2], 0u);    // destination: BSP APIC ID 0
    EXPECT_EQ(hal.ioapic_regs[0x10 + 2 * 1], 0x21u);
    EXPECT_EQ(hal.ioapic_regs[0x10 + 2 * 11], 0x2Bu);
    EXPECT_EQ(hal.ioapic_regs[0x10 + 2 * 15], 0x2Fu);
    EXPECT_EQ(hal.ioapic_regs.count(0x10), 0u); // pin 0 (the 8259's ExtINT) untouched
    // IRQ0 EOI goes to the LAPIC, not the PIC.
    hal.clear_records();
    guest->interrupt(0, 32);
    EXPECT_TRUE(wrote_mmio(hal, 0xFEE000B0, 0));
    for (const auto& [port, value] : hal.port_writes()) {
        EXPECT_TRUE(port != 0x20 && port != 0xA0) << "PIC EOI with the IOAPIC in charge";
    }
}

TEST_F(KernelTest, UpstreamConfigKeepsThePicEvenWithAnIoapic) {
    cfg.have_ioapic = 1;
    cfg.tick_source = KUT_TICK_HPET; // upstream uses the HPET too
    cfg.have_hpet = 1;
    set_cpus(1);
    boot();
    EXPECT_EQ(kernel->config().irq_controller, kut::IrqController::pic);
    EXPECT_TRUE(writes_to(hal, 0xFEC00000, 0xFEC01000).empty());
}

TEST(VectorLayout, MatchesTheRealKernel) {
    EXPECT_EQ(kut::vec::kTimerIrq0, 32);
    EXPECT_EQ(kut::vec::kLegacyLast, 47);
    EXPECT_EQ(kut::vec::kLapicTimer, 48);
    EXPECT_EQ(kut::vec::kLapicError, 49);
    EXPECT_EQ(kut::vec::kIpiWakeup, 0x40);
    EXPECT_EQ(kut::vec::kIpiTlb, 0x41);
    EXPECT_EQ(kut::vec::kIpiSwitch, 0x42);
    EXPECT_EQ(kut::vec::kIpiPit, 0x43);
    EXPECT_TRUE(kut::vec::is_scheme_vector(50));
    EXPECT_FALSE(kut::vec::is_scheme_vector(49));
    EXPECT_FALSE(kut::vec::is_scheme_vector(0x42));
}

TEST_F(KernelTest, PitTickIsRelayedToApsWithIpi0x43) {
    boot();
    mark_boot_time();
    hal.clear_records();
    bsp_tick();
    // PIC EOI, then one "all excluding self" IPI 0x43.
    const auto ports = hal.port_writes();
    ASSERT_FALSE(ports.empty());
    EXPECT_EQ(ports.front(), (PortWrite{0x20, 0x20}));
    ASSERT_EQ(hal.ipis.size(), 1u);
    EXPECT_EQ(hal.ipis[0].low, (3u << 18) | (1u << 14) | 0x43u);
    EXPECT_EQ(hal.counter("sched.ticks"), 1u);
    // Each AP: LAPIC EOI -> tick.
    hal.clear_records();
    guest->interrupt(2, 0x43);
    EXPECT_TRUE(wrote_mmio(hal, 0xFEE000B0, 0));
    EXPECT_EQ(hal.counter("sched.ticks"), 1u);
}

TEST_F(KernelTest, UnexpectedVectorsAreCountedNotFatal) {
    boot();
    hal.clear_records();
    guest->interrupt(0, 48); // upstream: LAPIC timer only prints and EOIs
    EXPECT_TRUE(wrote_mmio(hal, 0xFEE000B0, 0));
    EXPECT_EQ(hal.counter("sched.ticks"), 0u);
    hal.clear_records();
    guest->interrupt(0, 0); // upstream's spurious vector (SVR 0x100): no EOI
    guest->interrupt(0, 0xFF);
    EXPECT_EQ(hal.counter("kernel.spurious_vectors"), 2u);
    EXPECT_TRUE(hal.filter(Kind::mmio_write).empty());
    guest->interrupt(1, 33); // legacy vectors exist on the BSP only
    guest->interrupt(0, 0xF5);
    guest->interrupt(0, 13);
    guest->interrupt(7, 32); // no such CPU
    EXPECT_EQ(hal.counter("kernel.unexpected_vectors"), 3u);
    EXPECT_EQ(hal.counter("kernel.bad_requests"), 1u);
    guest->interrupt(0, 49); // LAPIC error: ESR write then read, EOI
    EXPECT_EQ(hal.counter("kernel.lapic_errors"), 1u);
}

TEST_F(KernelTest, BadRequestsFromTheHostAreRefused) {
    set_cpus(2);
    boot();
    EXPECT_EQ(guest->syscall(0, 42, KUT_SYS_YIELD, 0, 0, 0), -3);
    guest->task_new(0, 5, KUT_CLASS_NORMAL, 0);
    guest->task_new(0, 5, KUT_CLASS_NORMAL, 0);
    guest->task_new(0, 0, KUT_CLASS_NORMAL, 0);
    guest->task_new(9, 6, KUT_CLASS_NORMAL, 0);
    guest->idle(0);
    ASSERT_EQ(running(0), 5u);
    EXPECT_EQ(guest->syscall(1, 5, KUT_SYS_YIELD, 0, 0, 0), -3); // not running there
    EXPECT_EQ(sys(0, KUT_SYS_WAKE, 77), -3);
    EXPECT_EQ(sys(0, 99), -38);
    EXPECT_EQ(sys(0, KUT_SYS_IRQ_WAIT, 5000), -22);
    guest->boot(0);
    EXPECT_GE(hal.counter("kernel.bad_requests"), 6u);
    EXPECT_EQ(running(0), 5u);
}

} // namespace
} // namespace kut_test
