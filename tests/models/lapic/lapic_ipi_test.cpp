// ICR, IPIs and destinations through the real interrupt fabric: lapic-pit-msi.md §1.3.4, §1.3.7, §1.6;
// §8 checks 29-35, 38, 39.
#include "models/common/time.h"
#include "models/fabric/interrupt_fabric.h"
#include "tests/models/lapic/lapic_test_support.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>
#include <memory>

namespace x86sim::models {
namespace {

using namespace testing;

// N LAPICs with IDs 0..N-1 on one fabric, software-enabled, each with recorded CPU pins.
struct System {
    explicit System(unsigned count, bool x2apic = false, const std::string& prefix = "cpu") {
        for (unsigned id = 0; id < count; ++id) {
            pins.push_back(std::make_unique<FakeCpuPins>());
            lapics.push_back(
                std::make_unique<Lapic>((prefix + std::to_string(id)).c_str(),
                                        LapicConfig{.apic_id = id, .cpu_index = static_cast<int>(id)}));
            auto& lapic = *lapics.back();
            lapic.bind_cpu(pins.back().get());
            lapic.bind_bus(&fabric);
            fabric.attach(lapic);
            if (x2apic) {
                EXPECT_TRUE(enter_x2apic(lapic));
                EXPECT_TRUE(lapic.wrmsr(0x80F, 0x1FF));
            } else {
                software_enable(lapic);
            }
        }
    }
    Lapic& operator[](std::size_t index) { return *lapics[index]; }
    // xAPIC IPI: ICR high then ICR low.
    void send(std::size_t from, std::uint32_t destination, std::uint32_t command) {
        write_reg(*lapics[from], 0x310, destination << 24);
        write_reg(*lapics[from], 0x300, command);
    }

    InterruptFabric fabric;
    std::vector<std::unique_ptr<FakeCpuPins>> pins;
    std::vector<std::unique_ptr<Lapic>> lapics;
};

// §8 check 29: shorthands relative to the sender; the destination field is ignored.
TEST(LapicConformance, Check29_ShorthandsSelfAllAndAllButSelf) {
    System system(3);
    system.send(1, 2, (0b01U << 18) | 0x40); // self, destination 2 ignored
    EXPECT_FALSE(system[0].irr_bit(0x40));
    EXPECT_TRUE(system[1].irr_bit(0x40));
    EXPECT_FALSE(system[2].irr_bit(0x40));
    system.send(1, 0, (0b10U << 18) | 0x50); // all including self
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(system[i].irr_bit(0x50)) << i;
    }
    system.send(1, 1, (0b11U << 18) | 0x60); // all excluding self
    EXPECT_TRUE(system[0].irr_bit(0x60));
    EXPECT_FALSE(system[1].irr_bit(0x60));
    EXPECT_TRUE(system[2].irr_bit(0x60));
    EXPECT_EQ(system[1].stats().ipis_sent, 3U);
}

// §8 check 30: ICR high alone sends nothing; ICR low sends; delivery status busy for the latency.
TEST(LapicConformance, Check30_IcrLowWriteSendsAndDeliveryStatusBusy) {
    System system(2);
    run_through_ps(1'000'000);
    write_reg(system[0], 0x310, 0x01000000);
    EXPECT_FALSE(system[1].irr_bit(0x41));
    EXPECT_EQ(system.fabric.stats().requests, 0U);
    write_reg(system[0], 0x300, 0x41);
    EXPECT_TRUE(system[1].irr_bit(0x41));
    EXPECT_EQ(read_reg(system[0], 0x300), 0x1041U);
    EXPECT_EQ(read_reg(system[0], 0x310), 0x01000000U);
    run_through_ps(1'000'000 + 150'000 - 1);
    EXPECT_EQ(read_reg(system[0], 0x300) & 0x1000U, 0x1000U);
    run_through_ps(1'000'000 + 150'000);
    EXPECT_EQ(read_reg(system[0], 0x300), 0x41U);
}

// §8 check 31, §1.3.7: INIT level de-assert does not reset a P4-class target.
TEST(LapicConformance, Check31_InitLevelDeassertDoesNotResetTarget) {
    System system(2);
    write_reg(system[1], 0x080, 0x20);
    system.send(0, 1, 0x0000'8500); // INIT, level 0, trigger 1
    EXPECT_EQ(system.pins[1]->inits, 0);
    EXPECT_EQ(read_reg(system[1], 0x080), 0x20U);
    EXPECT_EQ(system[1].stats().init_deasserts_ignored, 1U);
    system.send(0, 1, 0x0000'4500); // INIT assert
    EXPECT_EQ(system.pins[1]->inits, 1);
    EXPECT_EQ(read_reg(system[1], 0x080), 0U);
    EXPECT_EQ(read_reg(system[1], 0x0F0), 0xFFU) << "INIT state is the reset state";
    EXPECT_EQ(system[1].apic_id(), 1U);
}

// §8 check 32, §1.3.7: SIPI vector = start page.
TEST(LapicConformance, Check32_SipiVector9AStartsAt9A000) {
    System system(2);
    RecordingObserver observer;
    system[1].set_observer(&observer);
    system.send(0, 1, 0x0000'069A);
    ASSERT_EQ(system.pins[1]->startups.size(), 1U);
    EXPECT_EQ(system.pins[1]->startups[0], 0x9A);
    EXPECT_EQ(Lapic::sipi_start_address(0x9A), 0x9A000U);
    const auto hops = observer.of_kind(HopKind::StartUp);
    ASSERT_EQ(hops.size(), 1U);
    EXPECT_EQ(hops[0].detail, 0x9A000U);
    EXPECT_TRUE(system.pins[0]->startups.empty());
}

// §8 check 33, §1.3.4 logical matching.
TEST(LapicConformance, Check33_LogicalFlatAndClusterMatching) {
    System system(3);
    Lapic& flat = system[0];
    write_reg(flat, 0x0D0, 0x02000000);
    EXPECT_TRUE(flat.matches_destination(0x03, DestinationMode::Logical));
    EXPECT_FALSE(flat.matches_destination(0x01, DestinationMode::Logical));
    EXPECT_TRUE(flat.matches_destination(0xFF, DestinationMode::Logical));

    Lapic& cluster = system[1];
    write_reg(cluster, 0x0E0, 0x0FFFFFFF);
    EXPECT_EQ(read_reg(cluster, 0x0E0), 0x0FFFFFFFU);
    write_reg(cluster, 0x0D0, 0x21000000);
    EXPECT_TRUE(cluster.matches_destination(0x21, DestinationMode::Logical));
    EXPECT_TRUE(cluster.matches_destination(0x23, DestinationMode::Logical));
    EXPECT_FALSE(cluster.matches_destination(0x11, DestinationMode::Logical));
    EXPECT_TRUE(cluster.matches_destination(0xFF, DestinationMode::Logical));

    // Through the fabric: logical fixed IPI to MDA 0x03 reaches the flat APIC only (cluster 0x21 needs
    // cluster 2; APIC 2 has LDR 0).
    system.send(2, 0x03, 0x0000'0800 | 0x44);
    EXPECT_TRUE(flat.irr_bit(0x44));
    EXPECT_FALSE(cluster.irr_bit(0x44));
    EXPECT_FALSE(system[2].irr_bit(0x44));
}

// §8 check 34: physical broadcast reaches every APIC (xAPIC 0xFF, x2APIC 0xFFFFFFFF).
TEST(LapicConformance, Check34_PhysicalBroadcastReachesAll) {
    System xapic(3);
    xapic.send(0, 0xFF, 0x45);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(xapic[i].irr_bit(0x45)) << i;
    }
    System x2apic(3, true, "x2cpu");
    ASSERT_TRUE(x2apic[2].wrmsr(0x830, (0xFFFF'FFFFULL << 32) | 0x46));
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(x2apic[i].irr_bit(0x46)) << i;
    }
    ASSERT_TRUE(x2apic[2].wrmsr(0x830, (0xFFULL << 32) | 0x47));
    EXPECT_FALSE(x2apic[0].irr_bit(0x47)) << "0xFF is not a broadcast for an x2APIC IPI";
    EXPECT_EQ(x2apic.fabric.stats().no_destination, 1U);
}

// §8 check 35, x2APIC spec §2.3.5: lowest-priority IPI in x2APIC mode -> ESR bit 4, not delivered.
TEST(LapicConformance, Check35_X2apicLowestPriorityIpiSetsEsrBit4) {
    System system(2, true);
    ASSERT_TRUE(system[0].wrmsr(0x830, (1ULL << 32) | 0x0000'0140));
    EXPECT_FALSE(system[1].irr_bit(0x40));
    EXPECT_EQ(system.fabric.stats().requests, 0U);
    ASSERT_TRUE(system[0].wrmsr(0x828, 0));
    EXPECT_EQ(rdmsr(system[0], 0x828), 0x10U);
    // With an illegal vector too, bit 4 takes precedence over bit 5 (§1.3.6).
    ASSERT_TRUE(system[0].wrmsr(0x830, (1ULL << 32) | 0x0000'0105));
    ASSERT_TRUE(system[0].wrmsr(0x828, 0));
    EXPECT_EQ(rdmsr(system[0], 0x828), 0x10U);
}

TEST(LapicBehaviour, XapicLowestPriorityIpiArbitratesOnTpr) {
    System system(3);
    write_reg(system[0], 0x080, 0x30);
    write_reg(system[1], 0x080, 0x10);
    write_reg(system[2], 0x080, 0x10);
    system.send(0, 0xFF, 0x0000'0149); // lowest priority, broadcast set
    EXPECT_FALSE(system[0].irr_bit(0x49));
    EXPECT_TRUE(system[1].irr_bit(0x49)) << "lowest TPR, ties to the lowest APIC ID";
    EXPECT_FALSE(system[2].irr_bit(0x49));
    EXPECT_EQ(system.fabric.stats().lowest_priority_arbitrations, 1U);
}

TEST(LapicBehaviour, IcrNmiSmiAndInvalidCombinations) {
    System system(2);
    system.send(0, 1, 0x0000'0400); // NMI
    system.send(0, 1, 0x0000'0200); // SMI
    EXPECT_EQ(system.pins[1]->nmis, 1);
    EXPECT_EQ(system.pins[1]->smis, 1);
    system.send(0, 1, (0b01U << 18) | 0x0400); // NMI to self: invalid (Table 10-3)
    system.send(0, 1, 0x0000'0341);            // reserved mode 011
    system.send(0, 1, 0x0000'0741);            // mode 111 is reserved in the ICR
    EXPECT_EQ(system.pins[0]->nmis, 0);
    EXPECT_FALSE(system[1].irr_bit(0x41));
    EXPECT_EQ(system[0].stats().ipis_dropped, 3U);
    EXPECT_EQ(system[0].stats().ipis_sent, 2U);
}

// §8 check 38, §1.6: SELF IPI sets IRR[V] and clears TMR[V].
TEST(LapicConformance, Check38_SelfIpiSetsIrrAndClearsTmr) {
    System system(1, true);
    Lapic& lapic = system[0];
    system.fabric.deliver(fixed_request(0x70, 0, TriggerMode::Level));
    EXPECT_TRUE(lapic.tmr_bit(0x70));
    EXPECT_EQ(lapic.acknowledge(), 0x70);
    ASSERT_TRUE(lapic.wrmsr(0x80B, 0));
    EXPECT_TRUE(lapic.tmr_bit(0x70)) << "TMR keeps its value until the vector is accepted again";
    ASSERT_TRUE(lapic.wrmsr(0x83F, 0x70));
    EXPECT_TRUE(lapic.irr_bit(0x70));
    EXPECT_FALSE(lapic.tmr_bit(0x70));
    EXPECT_EQ(rdmsr(lapic, 0x823), 1U << 16); // IRR[0x70]: word 3, bit 16
    EXPECT_FALSE(lapic.wrmsr(0x83F, 0x170)) << "SELF IPI bits 31:8 are reserved";
}

// §8 check 39, §1.3.7: x2APIC ICR destination in 63:32; bit 12 never reads 1.
TEST(LapicConformance, Check39_X2apicIcrDestinationHighBitsNoBusyBit) {
    InterruptFabric fabric;
    Lapic sender("sender", {.apic_id = 0});
    Lapic target("target", {.apic_id = 0x105});
    for (Lapic* lapic : {&sender, &target}) {
        lapic->bind_bus(&fabric);
        fabric.attach(*lapic);
        ASSERT_TRUE(enter_x2apic(*lapic));
        ASSERT_TRUE(lapic->wrmsr(0x80F, 0x1FF));
    }
    ASSERT_TRUE(sender.wrmsr(0x830, (0x105ULL << 32) | 0x1041)); // bit 12 set: ignored
    EXPECT_TRUE(target.irr_bit(0x41));
    EXPECT_FALSE(sender.irr_bit(0x41));
    EXPECT_EQ(rdmsr(sender, 0x830), (0x105ULL << 32) | 0x41);
    EXPECT_FALSE(sender.wrmsr(0x830, 0x2041)) << "bit 13 is reserved";
    EXPECT_FALSE(sender.wrmsr(0x830, 0x10041)) << "bits 17:16 are reserved";
    EXPECT_FALSE(sender.wrmsr(0x830, 0x100041)) << "bits 31:20 are reserved";
    // x2APIC logical: cluster 0x10, member bit 5 -> ID 0x105.
    ASSERT_TRUE(sender.wrmsr(0x830, (0x0010'0020ULL << 32) | 0x0842));
    EXPECT_TRUE(target.irr_bit(0x42));
}

TEST(LapicBehaviour, SelfIpiWithoutFabric) {
    Lapic lapic("lapic", {.apic_id = 5});
    software_enable(lapic);
    write_reg(lapic, 0x310, 0x05000000);
    write_reg(lapic, 0x300, 0x51);
    EXPECT_TRUE(lapic.irr_bit(0x51));
    write_reg(lapic, 0x300, (0b01U << 18) | 0x52);
    EXPECT_TRUE(lapic.irr_bit(0x52));
}

} // namespace
} // namespace x86sim::models
