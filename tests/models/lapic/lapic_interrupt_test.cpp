// LAPIC acceptance, priority, dispatch, EOI and errors: lapic-pit-msi.md §1.3.2, §1.3.3, §1.3.5,
// §1.3.6, §1.3.8, §1.4; §8 checks 16-28 and 42.
#include "models/common/time.h"
#include "models/fabric/interrupt_fabric.h"
#include "tests/models/lapic/lapic_test_support.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>
#include <source_location>

namespace x86sim::models {
namespace {

using namespace testing;

InterruptRequest special_request(DeliveryMode mode, std::uint8_t vector = 0) {
    InterruptRequest request;
    request.delivery = mode;
    request.vector = vector;
    return request;
}

// A software-enabled LAPIC named "lapic" whose INTR/NMI/INIT pins and interrupt-path hops are recorded
// (both fakes only record: they change nothing in the LAPIC).
struct Bench {
    explicit Bench(const LapicConfig& config = {}, std::uint8_t spurious = 0xFF) : lapic("lapic", config) {
        lapic.bind_cpu(&pins);
        lapic.set_observer(&observer);
        software_enable(lapic, spurious);
    }
    FakeCpuPins pins;
    RecordingObserver observer;
    Lapic lapic;
};

// Takes vector `vector` into service: accept + acknowledge.
void take(Lapic& lapic, std::uint8_t vector) {
    lapic.accept(fixed_request(vector, lapic.apic_id()));
    ASSERT_EQ(lapic.acknowledge(), vector);
}

void eoi(Lapic& lapic) {
    write_reg(lapic, 0x0B0, 0);
}

// The CPU acknowledges the interrupt, which must be `vector`, and its handler ends with an EOI.
void serve(Lapic& lapic, std::uint8_t vector, std::source_location where = std::source_location::current()) {
    const ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()), "serve");
    EXPECT_EQ(lapic.acknowledge(), vector);
    eoi(lapic);
}

// §1.3.6 latch protocol: a write to the ESR latches the errors collected since, which reads then return.
std::uint32_t latch_esr(Lapic& lapic) {
    write_reg(lapic, 0x280, 0);
    return read_reg(lapic, 0x280);
}

// §8 check 16, §1.3.5, §9: software-disabled - LVTs forced masked, NMI/INIT delivered, new fixed
// interrupts dropped (documented default), pending ones still dispatched.
TEST(LapicConformance, Check16_SoftwareDisabledMasksLvtsDropsFixedKeepsNmiInit) {
    Bench b;
    Lapic& lapic = b.lapic;
    write_reg(lapic, 0x350, 0x700); // LINT0 ExtINT unmasked
    write_reg(lapic, 0x370, 0xFE);
    lapic.accept(fixed_request(0x41));
    write_reg(lapic, 0x0F0, 0xFF); // software-disable
    EXPECT_EQ(read_reg(lapic, 0x350), 0x10700U);
    EXPECT_EQ(read_reg(lapic, 0x370), 0x100FEU);
    write_reg(lapic, 0x370, 0xFE);
    EXPECT_EQ(read_reg(lapic, 0x370), 0x100FEU) << "the mask cannot be cleared";

    lapic.accept(fixed_request(0x55));
    EXPECT_FALSE(lapic.irr_bit(0x55)) << "new fixed interrupt dropped";
    EXPECT_EQ(lapic.stats().rejected, 1U);
    lapic.accept(special_request(DeliveryMode::Nmi));
    EXPECT_EQ(b.pins.nmis, 1);
    EXPECT_TRUE(b.pins.intr) << "pending IRR bits are still dispatched";
    EXPECT_EQ(lapic.acknowledge(), 0x41);
    lapic.accept(special_request(DeliveryMode::Init));
    EXPECT_EQ(b.pins.inits, 1);
}

TEST(LapicBehaviour, SoftwareDisabledLatchOptions) {
    Lapic bochs("bochs",
                {.apic_id = 0, .software_disabled_fixed = SoftwareDisabledFixedPolicy::LatchAndDispatch});
    Lapic qemu("qemu",
               {.apic_id = 1, .software_disabled_fixed = SoftwareDisabledFixedPolicy::LatchWithoutDispatch});
    FakeCpuPins bochs_pins;
    FakeCpuPins qemu_pins;
    bochs.bind_cpu(&bochs_pins);
    qemu.bind_cpu(&qemu_pins);
    bochs.accept(fixed_request(0x55));
    qemu.accept(fixed_request(0x55, 1));
    EXPECT_TRUE(bochs.irr_bit(0x55));
    EXPECT_TRUE(qemu.irr_bit(0x55));
    EXPECT_TRUE(bochs_pins.intr);
    EXPECT_FALSE(qemu_pins.intr);
    EXPECT_EQ(qemu.acknowledge(), 0xFF) << "not dispatched: spurious";
    software_enable(qemu);
    EXPECT_TRUE(qemu_pins.intr);
    EXPECT_EQ(qemu.acknowledge(), 0x55);
}

// §8 check 17, §1.3.2.
TEST(LapicConformance, Check17_PprFromTprAndIsr) {
    Bench b;
    take(b.lapic, 0x41);
    const struct {
        std::uint32_t tpr;
        std::uint32_t ppr;
        const char* why;
    } cases[] = {{0x35, 0x40, "ISR class above TPR"},
                 {0x55, 0x55, "TPR class above ISR"},
                 {0x4A, 0x4A, "equal class keeps TPR[3:0] (documented choice)"}};
    for (const auto& c : cases) {
        write_reg(b.lapic, 0x080, c.tpr);
        EXPECT_EQ(read_reg(b.lapic, 0x0A0), c.ppr) << "TPR 0x" << std::hex << c.tpr << ": " << c.why;
    }
}

// §8 check 18, §1.4.
TEST(LapicConformance, Check18_TprHoldsLowerClassUntilEoi) {
    Bench b;
    Lapic& lapic = b.lapic;
    write_reg(lapic, 0x080, 0x50);
    lapic.accept(fixed_request(0x55));
    EXPECT_FALSE(b.pins.intr);
    lapic.accept(fixed_request(0x61));
    EXPECT_TRUE(b.pins.intr);
    EXPECT_EQ(lapic.acknowledge(), 0x61);
    write_reg(lapic, 0x080, 0x40);
    EXPECT_EQ(read_reg(lapic, 0x0A0), 0x60U);
    EXPECT_FALSE(b.pins.intr) << "0x55 waits while 0x61 is in service";
    eoi(lapic);
    EXPECT_TRUE(b.pins.intr);
    EXPECT_EQ(lapic.acknowledge(), 0x55);
}

// §8 check 19.
TEST(LapicConformance, Check19_HigherClassPreemptsSameClassWaits) {
    Bench b;
    Lapic& lapic = b.lapic;
    take(lapic, 0x41);
    lapic.accept(fixed_request(0x42));
    EXPECT_FALSE(b.pins.intr);
    lapic.accept(fixed_request(0x51));
    EXPECT_TRUE(b.pins.intr);
    serve(lapic, 0x51);
    EXPECT_FALSE(b.pins.intr) << "0x42 still waits for 0x41's EOI";
    eoi(lapic); // EOI 0x41
    EXPECT_TRUE(b.pins.intr);
    EXPECT_EQ(lapic.acknowledge(), 0x42);
}

// §8 check 20.
TEST(LapicConformance, Check20_HigherVectorWithinClassFirst) {
    Bench b;
    b.lapic.accept(fixed_request(0x50));
    b.lapic.accept(fixed_request(0x5F));
    EXPECT_EQ(b.lapic.acknowledge(), 0x5F);
}

// §8 check 21, §1.4 step 5: coalescing, counted and reported as a Coalesced hop.
TEST(LapicConformance, Check21_TwoEdgesWhileIrrSetDeliverOnce) {
    Bench b;
    Lapic& lapic = b.lapic;
    lapic.accept(fixed_request(0x41));
    lapic.accept(fixed_request(0x41));
    EXPECT_EQ(lapic.stats().irr_coalesced, 1U);
    ASSERT_EQ(b.observer.of_kind(HopKind::Coalesced).size(), 1U);
    EXPECT_EQ(b.observer.of_kind(HopKind::Coalesced)[0].vector, 0x41);
    EXPECT_EQ(lapic.acknowledge(), 0x41);
    EXPECT_FALSE(lapic.intr_pending());
    eoi(lapic);
    EXPECT_FALSE(lapic.intr_pending());
    EXPECT_EQ(lapic.stats().acknowledged, 1U);
}

// §8 check 22.
TEST(LapicConformance, Check22_EdgeWhileInServiceDeliveredOnceMoreAfterEoi) {
    Bench b;
    Lapic& lapic = b.lapic;
    take(lapic, 0x41);
    lapic.accept(fixed_request(0x41));
    EXPECT_FALSE(lapic.intr_pending());
    lapic.accept(fixed_request(0x41)); // lost
    eoi(lapic);
    EXPECT_TRUE(lapic.intr_pending());
    serve(lapic, 0x41);
    EXPECT_FALSE(lapic.intr_pending());
    EXPECT_EQ(lapic.stats().acknowledged, 2U);
}

// §8 check 23, §1.3.3.
TEST(LapicConformance, Check23_EoiClearsHighestIsrBit) {
    Bench b;
    Lapic& lapic = b.lapic;
    take(lapic, 0x41);
    take(lapic, 0x61);
    eoi(lapic);
    EXPECT_TRUE(lapic.isr_bit(0x41));
    EXPECT_FALSE(lapic.isr_bit(0x61));
    eoi(lapic);
    EXPECT_FALSE(lapic.isr_bit(0x41));
    eoi(lapic);
    EXPECT_EQ(lapic.stats().eoi, 2U);
    EXPECT_EQ(lapic.stats().eoi_empty, 1U);
    for (std::uint32_t i = 0; i < 8; ++i) {
        EXPECT_EQ(read_reg(lapic, 0x100 + 0x10 * i), 0U);
    }
}

// §8 check 24, §1.3.3: level EOI broadcast to IOAPICs; none with SVR[12] = 1.
TEST(LapicConformance, Check24_LevelEoiBroadcastUnlessSuppressed) {
    InterruptFabric fabric;
    FakeEoiListener ioapic;
    Lapic lapic("lapic", {.apic_id = 0, .directed_eoi_supported = true});
    fabric.attach(lapic);
    fabric.attach_eoi_listener(ioapic);
    lapic.bind_bus(&fabric);
    software_enable(lapic);
    fabric.deliver(fixed_request(0x41, 0, TriggerMode::Level));
    EXPECT_TRUE(lapic.tmr_bit(0x41));
    serve(lapic, 0x41);
    ASSERT_EQ(ioapic.vectors.size(), 1U);
    EXPECT_EQ(ioapic.vectors[0], 0x41);

    fabric.deliver(fixed_request(0x42)); // edge: no broadcast
    serve(lapic, 0x42);
    EXPECT_EQ(ioapic.vectors.size(), 1U);

    write_reg(lapic, 0x0F0, 0x11FF); // directed EOI: suppress broadcast
    fabric.deliver(fixed_request(0x43, 0, TriggerMode::Level));
    serve(lapic, 0x43);
    EXPECT_EQ(ioapic.vectors.size(), 1U);
    EXPECT_EQ(fabric.stats().eoi_broadcasts, 1U);
}

// §8 check 25, §1.4 step 7.
TEST(LapicConformance, Check25_TprRaisedBeforeAcknowledgeGivesSpurious) {
    Bench b({}, 0xE7);
    Lapic& lapic = b.lapic;
    lapic.accept(fixed_request(0x41));
    EXPECT_TRUE(b.pins.intr);
    write_reg(lapic, 0x080, 0x50);
    EXPECT_EQ(lapic.acknowledge(), 0xE7);
    EXPECT_TRUE(lapic.irr_bit(0x41));
    EXPECT_FALSE(lapic.isr_bit(0x41));
    EXPECT_FALSE(lapic.isr_bit(0xE7));
    EXPECT_EQ(lapic.stats().spurious, 1U);
    EXPECT_EQ(b.observer.of_kind(HopKind::Spurious).size(), 1U);
}

// §8 check 26, §1.3.6 bit 6.
TEST(LapicConformance, Check26_ReceivedIllegalVectorSetsEsrBit6AndErrorInterrupt) {
    Bench b;
    Lapic& lapic = b.lapic;
    write_reg(lapic, 0x370, 0xFE);
    lapic.accept(fixed_request(0x0F));
    EXPECT_FALSE(lapic.irr_bit(0x0F));
    EXPECT_EQ(read_reg(lapic, 0x200), 0U);
    EXPECT_TRUE(lapic.irr_bit(0xFE)) << "LVT Error interrupt";
    EXPECT_EQ(read_reg(lapic, 0x280), 0U);
    EXPECT_EQ(latch_esr(lapic), 0x40U);
    EXPECT_EQ(lapic.stats().error_interrupts, 1U);
}

TEST(LapicBehaviour, ErrorInterruptRearmedOnlyByEsrWrite) {
    Bench b;
    Lapic& lapic = b.lapic;
    write_reg(lapic, 0x370, 0xFE);
    lapic.accept(fixed_request(0x01));
    serve(lapic, 0xFE);
    lapic.accept(fixed_request(0x02));
    EXPECT_FALSE(lapic.irr_bit(0xFE)) << "not re-armed yet";
    write_reg(lapic, 0x280, 0);
    lapic.accept(fixed_request(0x03));
    EXPECT_TRUE(lapic.irr_bit(0xFE));
    EXPECT_EQ(lapic.stats().errors, 3U);
    EXPECT_EQ(lapic.stats().error_interrupts, 2U);
}

// §8 check 27, §1.3.6 bit 5.
TEST(LapicConformance, Check27_SendIllegalVectorSetsEsrBit5) {
    Bench b;
    Lapic& lapic = b.lapic;
    FakeBus bus;
    lapic.bind_bus(&bus);
    write_reg(lapic, 0x310, 0x01000000);
    write_reg(lapic, 0x300, 0x0000000F); // fixed, vector 0x0F
    EXPECT_TRUE(bus.requests.empty());
    EXPECT_EQ(latch_esr(lapic), 0x20U);
    EXPECT_EQ(lapic.stats().ipis_dropped, 1U);

    ASSERT_TRUE(enter_x2apic(lapic));
    ASSERT_TRUE(lapic.wrmsr(0x83F, 0x05));
    EXPECT_FALSE(lapic.irr_bit(0x05));
    ASSERT_TRUE(lapic.wrmsr(0x828, 0));
    EXPECT_NE(rdmsr(lapic, 0x828) & 0x20U, 0U);
    EXPECT_EQ(rdmsr(lapic, 0x820), 0U);
}

// §8 check 28, §1.3.6 latch protocol.
TEST(LapicConformance, Check28_EsrWriteThenReadLatchesErrors) {
    Bench b;
    Lapic& lapic = b.lapic;
    lapic.accept(fixed_request(0x0E));
    EXPECT_EQ(read_reg(lapic, 0x280), 0U);
    EXPECT_EQ(latch_esr(lapic), 0x40U);
    EXPECT_EQ(read_reg(lapic, 0x280), 0x40U) << "reads do not clear";
    EXPECT_EQ(latch_esr(lapic), 0U);
}

// §8 check 42, §1.3.8: PMI auto-masks LVT PerfMon; LINT0 level-fixed Remote IRR.
TEST(LapicConformance, Check42_PerfmonMaskedAfterPmiAndLint0LevelRemoteIrr) {
    Bench b;
    Lapic& lapic = b.lapic;
    FakeBus bus;
    lapic.bind_bus(&bus);
    write_reg(lapic, 0x340, 0x50);
    lapic.raise_local_interrupt(LvtEntry::PerfMon);
    EXPECT_TRUE(lapic.irr_bit(0x50));
    EXPECT_EQ(read_reg(lapic, 0x340), 0x10050U);
    serve(lapic, 0x50);

    write_reg(lapic, 0x350, 0x8060); // LINT0 fixed, level, vector 0x60
    lapic.set_irq_input(0, true);
    EXPECT_TRUE(lapic.irr_bit(0x60));
    EXPECT_TRUE(lapic.tmr_bit(0x60));
    EXPECT_EQ(read_reg(lapic, 0x350), 0xC060U) << "Remote IRR set on acceptance";
    serve(lapic, 0x60);
    EXPECT_TRUE(lapic.irr_bit(0x60)) << "line still asserted: delivered again after EOI";
    EXPECT_EQ(read_reg(lapic, 0x350), 0xC060U);
    lapic.set_irq_input(0, false);
    serve(lapic, 0x60);
    EXPECT_EQ(read_reg(lapic, 0x350), 0x8060U) << "Remote IRR cleared by the EOI";
    EXPECT_FALSE(lapic.irr_bit(0x60));
    EXPECT_EQ(bus.eois.size(), 2U) << "level EOIs are also broadcast";

    // Reprogramming LINT0 as edge drops a pending Remote IRR handshake.
    lapic.set_irq_input(0, true);
    EXPECT_EQ(read_reg(lapic, 0x350), 0xC060U);
    write_reg(lapic, 0x350, 0x0060);
    EXPECT_EQ(read_reg(lapic, 0x350), 0x0060U);
}

TEST(LapicBehaviour, Lint0ExtIntAsksThe8259ForTheVector) {
    Bench b({.bsp = true});
    Lapic& lapic = b.lapic;
    FakeExtIntSource pic(0x30);
    lapic.set_extint_source(&pic);
    write_reg(lapic, 0x080, 0xF0); // ExtINT bypasses TPR
    write_reg(lapic, 0x350, 0x700);
    lapic.set_irq_input(0, true);
    EXPECT_TRUE(b.pins.intr);
    EXPECT_EQ(lapic.acknowledge(), 0x30);
    EXPECT_EQ(pic.acknowledges, 1);
    EXPECT_FALSE(lapic.isr_bit(0x30));
    lapic.set_irq_input(0, false);
    EXPECT_FALSE(b.pins.intr);
    EXPECT_EQ(lapic.stats().extint_acknowledged, 1U);
}

TEST(LapicBehaviour, Lint1NmiOnRisingEdgeAndEdgeFixedLint) {
    Bench b;
    Lapic& lapic = b.lapic;
    write_reg(lapic, 0x360, 0x400); // LINT1 NMI
    lapic.set_irq_input(1, true);
    lapic.set_irq_input(1, true);
    lapic.set_irq_input(1, false);
    EXPECT_EQ(b.pins.nmis, 1);
    write_reg(lapic, 0x350, 0x45); // LINT0 fixed edge
    lapic.set_irq_input(0, true);
    EXPECT_TRUE(lapic.irr_bit(0x45));
    EXPECT_FALSE(lapic.tmr_bit(0x45));
    lapic.set_irq_input(7, true);
    EXPECT_EQ(lapic.stats().bad_inputs, 1U);
}

TEST(LapicBehaviour, MaskedLocalEventsAndInvalidModesCounted) {
    Bench b({.has_cmci = true});
    Lapic& lapic = b.lapic;
    lapic.raise_local_interrupt(LvtEntry::Thermal); // masked at reset
    write_reg(lapic, 0x2F0, 0x500);                 // CMCI with INIT: not allowed
    lapic.raise_local_interrupt(LvtEntry::Cmci);
    write_reg(lapic, 0x330, 0x0A0); // thermal fixed 0xA0
    lapic.raise_local_interrupt(LvtEntry::Thermal);
    EXPECT_TRUE(lapic.irr_bit(0xA0));
    lapic.raise_local_interrupt(LvtEntry::Timer); // not a local event source
    EXPECT_EQ(lapic.stats().lvt_masked_events, 1U);
    EXPECT_EQ(lapic.stats().lvt_invalid_mode, 1U);
    EXPECT_EQ(lapic.stats().bad_inputs, 1U);
}

TEST(LapicBehaviour, MetricsUseTheDocumentedNames) {
    Bench b;
    Lapic& lapic = b.lapic;
    lapic.accept(fixed_request(0x41));
    lapic.accept(fixed_request(0x41));
    serve(lapic, 0x41);
    EXPECT_EQ(lapic.acknowledge(), 0xFF);
    MapSink sink;
    lapic.report_metrics(sink);
    const std::pair<const char*, std::uint64_t> expected[] = {
        {"timer.fires", 0}, {"irr_coalesced", 1}, {"spurious", 1}, {"eoi", 1},
        {"accepted", 2},    {"ipis_sent", 0},     {"errors", 0},   {"bad_accesses", 0}};
    for (const auto& [name, value] : expected) {
        EXPECT_EQ(sink.counters.at(name), value) << name;
    }
}

// §1.3.2: CR8 aliases TPR[7:4]; writing CR8 clears TPR[3:0] and can release a pending vector.
TEST(LapicBehaviour, Cr8AliasesTprClass) {
    Bench b;
    Lapic& lapic = b.lapic;
    write_reg(lapic, 0x080, 0x5A);
    EXPECT_EQ(lapic.read_cr8(), 0x5U);
    lapic.accept(fixed_request(0x55));
    EXPECT_FALSE(b.pins.intr);
    lapic.write_cr8(0x4);
    EXPECT_EQ(read_reg(lapic, 0x080), 0x40U);
    EXPECT_TRUE(b.pins.intr);
}

TEST(LapicBehaviour, IntrChangedOnlyOnChange) {
    Bench b;
    Lapic& lapic = b.lapic;
    lapic.accept(fixed_request(0x41));
    lapic.accept(fixed_request(0x51));
    lapic.accept(fixed_request(0x61));
    EXPECT_EQ(b.pins.intr_changes, 1);
    EXPECT_EQ(lapic.acknowledge(), 0x61);
    EXPECT_EQ(b.pins.intr_changes, 2) << "nothing above PPR 0x60 any more";
    EXPECT_FALSE(b.pins.intr);
}

// An observer that declares the hop kinds it uses gets only those: the LAPIC does not build the others
// (InterruptPathObserver::hop_kinds), and one that declares nothing in particular gets every hop.
TEST(LapicHops, OnlyTheKindsTheObserverUsesAreReported) {
    struct AcceptanceOnly : RecordingObserver {
        std::uint32_t hop_kinds() const override { return hop_bit(HopKind::IrrSet) | hop_bit(HopKind::Eoi); }
    };
    for (const bool selective : {true, false}) {
        SCOPED_TRACE(selective ? "IrrSet and Eoi declared" : "every kind");
        AcceptanceOnly picky;
        RecordingObserver everything;
        Bench bench;
        bench.lapic.set_observer(selective ? static_cast<InterruptPathObserver*>(&picky) : &everything);
        take(bench.lapic, 0x51);
        eoi(bench.lapic);
        const auto& hops = selective ? picky.hops : everything.hops;
        ASSERT_EQ(hops.size(), selective ? 2U : 3U);
        EXPECT_EQ(hops.front().kind, HopKind::IrrSet);
        EXPECT_EQ(hops.back().kind, HopKind::Eoi);
        EXPECT_EQ(hops.front().vector, 0x51);
        if (!selective) {
            EXPECT_EQ(hops[1].kind, HopKind::Acknowledge);
        }
    }
}

} // namespace
} // namespace x86sim::models
