// LAPIC registers, reset, x2APIC MSR rules and IA32_APIC_BASE: lapic-pit-msi.md §1.1, §1.2, §1.3,
// §1.5, §1.6; §8 checks 1-5, 36, 37, 40, 41.
#include "models/common/time.h"
#include "tests/models/lapic/lapic_test_support.h"
#include "tests/support/sim_test.h"

#include <gtest/gtest.h>

namespace x86sim::models {
namespace {

using namespace testing;

constexpr std::uint32_t kLvtOffsets[] = {0x320, 0x330, 0x340, 0x350, 0x360, 0x370};

// §8 check 1, §1.2 reset column, §1.1 IA32_APIC_BASE reset.
TEST(LapicConformance, Check01_ResetValues) {
    Lapic bsp("bsp", {.apic_id = 0, .bsp = true, .has_cmci = true});
    Lapic ap("ap", {.apic_id = 1, .bsp = false});
    EXPECT_EQ(bsp.apic_base_msr(), 0xFEE00900U);
    EXPECT_EQ(ap.apic_base_msr(), 0xFEE00800U);
    EXPECT_EQ(read_reg(bsp, 0x0F0), 0x000000FFU);
    for (auto offset : kLvtOffsets) {
        EXPECT_EQ(read_reg(bsp, offset), 0x00010000U) << std::hex << offset;
    }
    EXPECT_EQ(read_reg(bsp, 0x2F0), 0x00010000U);
    EXPECT_EQ(read_reg(bsp, 0x0E0), 0xFFFFFFFFU);
    for (std::uint32_t offset : {0x080U, 0x0A0U, 0x0D0U, 0x280U, 0x300U, 0x310U, 0x380U, 0x390U, 0x3E0U}) {
        EXPECT_EQ(read_reg(bsp, offset), 0U) << std::hex << offset;
    }
    for (std::uint32_t i = 0; i < 8; ++i) {
        EXPECT_EQ(read_reg(bsp, 0x100 + 0x10 * i), 0U);
        EXPECT_EQ(read_reg(bsp, 0x180 + 0x10 * i), 0U);
        EXPECT_EQ(read_reg(bsp, 0x200 + 0x10 * i), 0U);
    }
    EXPECT_EQ(read_reg(ap, 0x020), 0x01000000U);
    EXPECT_EQ(bsp.mode(), ApicMode::XApic);
    EXPECT_TRUE(bsp.apic_present_cpuid());
    EXPECT_FALSE(bsp.software_enabled());
}

// §8 check 2, §1.3.1, §1.3.5.
TEST(LapicConformance, Check02_VersionMaxLvtAndSvrBit12) {
    Lapic plain("plain", {});
    Lapic cmci("cmci", {.apic_id = 1, .has_cmci = true});
    Lapic directed("directed", {.apic_id = 2, .directed_eoi_supported = true});
    EXPECT_EQ(read_reg(plain, 0x030), 0x00050014U);
    EXPECT_EQ(read_reg(cmci, 0x030), 0x00060014U);
    EXPECT_EQ(read_reg(directed, 0x030), 0x01050014U);
    write_reg(plain, 0x0F0, 0x11FF);
    EXPECT_EQ(read_reg(plain, 0x0F0), 0x1FFU);
    write_reg(directed, 0x0F0, 0x11FF);
    EXPECT_EQ(read_reg(directed, 0x0F0), 0x11FFU);
    // Without CMCI, offset 0x2F0 is reserved.
    std::uint64_t ignored = 0;
    EXPECT_EQ(plain.mmio_read(0x2F0, 4, ignored).status, AccessStatus::Unmapped);
}

// §8 check 3, §1.3.9.
TEST(LapicConformance, Check03_TdcrKeepsOnlyBits3_1_0) {
    Lapic lapic("lapic", {});
    write_reg(lapic, 0x3E0, 0xF);
    EXPECT_EQ(read_reg(lapic, 0x3E0), 0xBU);
    write_reg(lapic, 0x3E0, 0xFFFFFFF4);
    EXPECT_EQ(read_reg(lapic, 0x3E0), 0x0U);
}

// §8 check 4, §1.2 "Writes to RO registers in xAPIC mode are silently ignored; in x2APIC mode they #GP".
TEST(LapicConformance, Check04_ReadOnlyWritesIgnoredInXapicGpInX2apic) {
    Lapic lapic("lapic", {.apic_id = 3});
    software_enable(lapic);
    lapic.accept(fixed_request(0x41, 3, TriggerMode::Level));
    lapic.accept(fixed_request(0x62, 3));
    EXPECT_EQ(lapic.acknowledge(), 0x62);
    write_reg(lapic, 0x380, 1000); // TMCCT becomes non-zero
    const std::uint32_t offsets[] = {0x100 + 0x30, 0x180 + 0x20, 0x200 + 0x20, 0x0A0, 0x030, 0x390};
    std::uint32_t before[6];
    for (int i = 0; i < 6; ++i) {
        before[i] = read_reg(lapic, offsets[i]);
    }
    EXPECT_EQ(before[0], 1U << 2); // ISR[0x62]
    EXPECT_EQ(before[1], 1U << 1); // TMR[0x41]
    EXPECT_EQ(before[2], 1U << 1); // IRR[0x41]
    EXPECT_EQ(before[3], 0x60U);   // PPR
    EXPECT_EQ(before[5], 1000U);   // TMCCT at t = 0
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(write_reg(lapic, offsets[i], 0x12345678 + i), AccessStatus::ReadOnlyWrite);
        EXPECT_EQ(read_reg(lapic, offsets[i]), before[i]) << std::hex << offsets[i];
    }
    EXPECT_EQ(read_reg(lapic, 0x280), 0U) << "RO writes do not set ESR";
    write_reg(lapic, 0x280, 0);
    EXPECT_EQ(read_reg(lapic, 0x280), 0U);

    ASSERT_TRUE(enter_x2apic(lapic));
    for (std::uint32_t msr : {0x813U, 0x81AU, 0x822U, 0x80AU, 0x803U, 0x839U}) {
        EXPECT_FALSE(lapic.wrmsr(msr, 0)) << std::hex << msr;
    }
    EXPECT_EQ(rdmsr(lapic, 0x822), 1U << 1);
    EXPECT_EQ(lapic.stats().msr_gp, 6U);
}

// §8 check 5, §1.2 / §1.3.6 bit 7.
TEST(LapicConformance, Check05_ReservedOffsetSetsEsrBit7AndX2apicGps) {
    Lapic lapic("lapic", {});
    EXPECT_EQ(write_reg(lapic, 0x040, 0xDEAD), AccessStatus::Unmapped);
    EXPECT_EQ(read_reg(lapic, 0x280), 0U) << "invisible until the next ESR write";
    write_reg(lapic, 0x280, 0);
    EXPECT_EQ(read_reg(lapic, 0x280), 0x80U);
    // Reads of reserved offsets also count; APR/RRD are not reserved (read 0, no ESR).
    EXPECT_EQ(read_reg(lapic, 0x090), 0U);
    EXPECT_EQ(read_reg(lapic, 0x0C0), 0U);
    write_reg(lapic, 0x280, 0);
    EXPECT_EQ(read_reg(lapic, 0x280), 0U);
    read_reg(lapic, 0x3A0);
    write_reg(lapic, 0x280, 0);
    EXPECT_EQ(read_reg(lapic, 0x280), 0x80U);

    write_reg(lapic, 0x280, 0);
    ASSERT_TRUE(enter_x2apic(lapic));
    for (std::uint32_t msr : {0x809U, 0x80CU, 0x80EU, 0x831U, 0x840U, 0xBFFU, 0x800U}) {
        std::uint64_t value = 0;
        EXPECT_FALSE(lapic.rdmsr(msr, value)) << std::hex << msr;
        EXPECT_FALSE(lapic.wrmsr(msr, 0)) << std::hex << msr;
    }
    EXPECT_EQ(rdmsr(lapic, 0x828), 0U) << "x2APIC accesses never set ESR bit 7";
    EXPECT_TRUE(lapic.wrmsr(0x828, 0));
    EXPECT_EQ(rdmsr(lapic, 0x828), 0U);
}

// §8 check 36, §1.3.4 x2APIC LDR derivation.
TEST(LapicConformance, Check36_X2apicLdrDerivedIdAndLdrReadOnly) {
    Lapic lapic("lapic", {.apic_id = 0x23});
    ASSERT_TRUE(enter_x2apic(lapic));
    EXPECT_EQ(rdmsr(lapic, 0x80D), 0x00020008U);
    EXPECT_EQ(rdmsr(lapic, 0x802), 0x23U);
    EXPECT_FALSE(lapic.wrmsr(0x802, 0x23));
    EXPECT_FALSE(lapic.wrmsr(0x80D, 0x00020008));
    EXPECT_EQ(rdmsr(lapic, 0x80D), 0x00020008U);
}

// §8 check 37, §1.6 "EOI and ESR accept only 0; TPR reserved bits #GP".
TEST(LapicConformance, Check37_X2apicNonZeroEoiEsrAndTprReservedBitsGp) {
    Lapic lapic("lapic", {});
    ASSERT_TRUE(enter_x2apic(lapic));
    EXPECT_FALSE(lapic.wrmsr(0x80B, 1));
    EXPECT_TRUE(lapic.wrmsr(0x80B, 0));
    EXPECT_FALSE(lapic.wrmsr(0x828, 1));
    EXPECT_TRUE(lapic.wrmsr(0x828, 0));
    EXPECT_FALSE(lapic.wrmsr(0x808, 0x1FF));
    EXPECT_FALSE(lapic.wrmsr(0x808, 0x1'0000'0000ULL)) << "upper 32 bits are reserved";
    EXPECT_TRUE(lapic.wrmsr(0x808, 0xFF));
    EXPECT_EQ(rdmsr(lapic, 0x808), 0xFFU);
    std::uint64_t value = 0;
    EXPECT_FALSE(lapic.rdmsr(0x80B, value)) << "EOI is write-only";
    EXPECT_FALSE(lapic.rdmsr(0x83F, value)) << "SELF IPI is write-only";
    EXPECT_FALSE(lapic.wrmsr(0x80F, 0x2FF)) << "SVR bit 9 is reserved on P4 and later";
    EXPECT_EQ(lapic.stats().msr_gp, 7U);
}

// §8 check 40, §1.1 mode state machine.
TEST(LapicConformance, Check40_ApicBaseTransitions) {
    Lapic lapic("lapic", {.bsp = true});
    EXPECT_FALSE(lapic.wrmsr(0x1B, 0xFEE00400)) << "EN = 0 with EXTD = 1";
    EXPECT_TRUE(lapic.wrmsr(0x1B, 0xFEE00C00)) << "xAPIC -> x2APIC";
    EXPECT_EQ(lapic.mode(), ApicMode::X2Apic);
    EXPECT_EQ(rdmsr(lapic, 0x1B), 0xFEE00D00U) << "BSP bit kept by hardware";
    EXPECT_FALSE(lapic.wrmsr(0x1B, 0xFEE00800)) << "x2APIC -> xAPIC directly";
    EXPECT_EQ(lapic.mode(), ApicMode::X2Apic);
    EXPECT_TRUE(lapic.wrmsr(0x1B, 0xFEE00000)) << "x2APIC -> disabled";
    EXPECT_EQ(lapic.mode(), ApicMode::Disabled);
    EXPECT_FALSE(lapic.wrmsr(0x1B, 0xFEE00C00)) << "disabled -> x2APIC";
    EXPECT_TRUE(lapic.wrmsr(0x1B, 0xFEE00800)) << "disabled -> xAPIC";
    EXPECT_EQ(lapic.mode(), ApicMode::XApic);
    // Reserved bits 7:0, 9 and above MAXPHYADDR.
    EXPECT_FALSE(lapic.wrmsr(0x1B, 0xFEE00801));
    EXPECT_FALSE(lapic.wrmsr(0x1B, 0xFEE00A00));
    EXPECT_FALSE(lapic.wrmsr(0x1B, (1ULL << 46) | 0xFEE00800));
    // Relocation moves the window.
    EXPECT_TRUE(lapic.wrmsr(0x1B, 0xFED00800));
    EXPECT_EQ(lapic.mmio_base(), 0xFED00000U);
}

TEST(LapicBehaviour, X2apicUnsupportedRefusesExtd) {
    Lapic lapic("lapic", {.x2apic_supported = false});
    EXPECT_FALSE(enter_x2apic(lapic));
    EXPECT_EQ(lapic.mode(), ApicMode::XApic);
}

// §8 check 41, §1.1 (EN cleared), §9 re-enable choice (PowerUp by default, documented in lapic.h).
TEST(LapicConformance, Check41_ClearingEnStopsMmioAndCpuidBitReenableIsPowerUp) {
    Lapic lapic("lapic", {.apic_id = 4, .has_cmci = true});
    std::vector<std::pair<std::uint64_t, bool>> windows;
    lapic.set_base_listener([&](std::uint64_t base, bool decoded) { windows.emplace_back(base, decoded); });
    software_enable(lapic, 0xEF);
    for (auto offset : kLvtOffsets) {
        write_reg(lapic, offset, 0x40);
    }
    write_reg(lapic, 0x080, 0x20);
    ASSERT_TRUE(lapic.wrmsr(0x1B, 0xFEE00000));
    EXPECT_FALSE(lapic.apic_present_cpuid());
    EXPECT_FALSE(lapic.mmio_decoded());
    std::uint64_t value = 0;
    EXPECT_EQ(lapic.mmio_read(0x0F0, 4, value).status, AccessStatus::Unmapped);
    EXPECT_EQ(value, 0xFFFFFFFFU) << "an undecoded read floats to all ones";
    EXPECT_EQ(lapic.mmio_write(0x0F0, 4, 0x1FF).status, AccessStatus::Unmapped);
    EXPECT_FALSE(lapic.accepts_messages());
    EXPECT_FALSE(lapic.matches_destination(4, DestinationMode::Physical));

    ASSERT_TRUE(lapic.wrmsr(0x1B, 0xFEE00800));
    EXPECT_TRUE(lapic.apic_present_cpuid());
    EXPECT_EQ(read_reg(lapic, 0x0F0), 0x000000FFU);
    for (auto offset : kLvtOffsets) {
        EXPECT_EQ(read_reg(lapic, offset), 0x00010000U) << std::hex << offset;
    }
    EXPECT_EQ(read_reg(lapic, 0x2F0), 0x00010000U);
    EXPECT_EQ(read_reg(lapic, 0x080), 0U);
    EXPECT_EQ(read_reg(lapic, 0x020), 0x04000000U);
    ASSERT_EQ(windows.size(), 2U);
    EXPECT_FALSE(windows[0].second);
    EXPECT_TRUE(windows[1].second);
    EXPECT_EQ(windows[1].first, 0xFEE00000U);
    EXPECT_EQ(lapic.stats().undecoded_mmio, 2U);
}

TEST(LapicBehaviour, ReenablePreserveOptionKeepsRegisters) {
    Lapic lapic("lapic", {.reenable_state = ApicReenableState::Preserve});
    software_enable(lapic, 0xEF);
    write_reg(lapic, 0x080, 0x20);
    ASSERT_TRUE(lapic.wrmsr(0x1B, 0xFEE00000));
    ASSERT_TRUE(lapic.wrmsr(0x1B, 0xFEE00800));
    EXPECT_EQ(read_reg(lapic, 0x0F0), 0x1EFU);
    EXPECT_EQ(read_reg(lapic, 0x080), 0x20U);
}

// §1.5: xAPIC -> x2APIC keeps state except ID/LDR/ICR high; INIT keeps the mode and ID.
TEST(LapicBehaviour, X2apicTransitionAndInitKeepMode) {
    Lapic lapic("lapic", {.apic_id = 0x12});
    software_enable(lapic, 0xEF);
    write_reg(lapic, 0x080, 0x30);
    write_reg(lapic, 0x310, 0x05000000);
    ASSERT_TRUE(enter_x2apic(lapic));
    EXPECT_EQ(rdmsr(lapic, 0x80F), 0x1EFU);
    EXPECT_EQ(rdmsr(lapic, 0x808), 0x30U);
    EXPECT_EQ(rdmsr(lapic, 0x830) >> 32, 0U) << "ICR high is not preserved";
    lapic.init_reset();
    EXPECT_EQ(lapic.mode(), ApicMode::X2Apic);
    EXPECT_EQ(rdmsr(lapic, 0x802), 0x12U);
    EXPECT_EQ(rdmsr(lapic, 0x80D), 0x00010004U);
    EXPECT_EQ(rdmsr(lapic, 0x80F), 0xFFU);
}

// §1.2 access widths: only aligned 32-bit accesses; everything else dropped and counted.
TEST(LapicBehaviour, BadRegisterAccessesAreCountedAndHarmless) {
    Lapic lapic("lapic", {});
    std::uint64_t value = 0x1234;
    EXPECT_EQ(lapic.mmio_read(0x0F0, 1, value).status, AccessStatus::BadSize);
    EXPECT_EQ(value, 0U);
    EXPECT_EQ(lapic.mmio_read(0x0F0, 8, value).status, AccessStatus::BadSize);
    EXPECT_EQ(lapic.mmio_write(0x0F0, 2, 0x1FF).status, AccessStatus::BadSize);
    EXPECT_EQ(lapic.mmio_write(0x0F2, 4, 0x1FF).status, AccessStatus::Misaligned);
    EXPECT_EQ(read_reg(lapic, 0x0F0), 0xFFU) << "SVR untouched";
    EXPECT_EQ(write_reg(lapic, 0x030, 0), AccessStatus::ReadOnlyWrite);
    EXPECT_EQ(read_reg(lapic, 0x0B0), 0U) << "EOI is write-only";
    EXPECT_EQ(write_reg(lapic, 0x800, 1), AccessStatus::Unmapped);
    EXPECT_FALSE(lapic.wrmsr(0x808, 0)) << "x2APIC MSRs #GP in xAPIC mode";
    std::uint64_t msr = 0;
    EXPECT_FALSE(lapic.rdmsr(0x10, msr)) << "not a LAPIC MSR";
    const auto& bank = lapic.register_stats();
    EXPECT_EQ(bank.bad_size, 3U);
    EXPECT_EQ(bank.misaligned, 1U);
    EXPECT_EQ(bank.read_only_writes, 1U);
    EXPECT_EQ(bank.write_only_reads, 1U);
    EXPECT_EQ(bank.unmapped, 1U);
    EXPECT_EQ(lapic.bad_accesses(), 9U);
    MapSink sink;
    lapic.report_metrics(sink);
    EXPECT_EQ(sink.counters.at("bad_accesses"), 9U);
    EXPECT_EQ(sink.counters.at("errors"), 1U); // the reserved-offset write
}

// §6 access costs.
TEST(LapicBehaviour, AccessCostsFollowSection6Defaults) {
    Lapic lapic("lapic", {});
    std::uint64_t value = 0;
    EXPECT_EQ(lapic.mmio_read(0x030, 4, value).delay_ps, 100'000U);
    EXPECT_EQ(lapic.last_access_cost_ps(), 100'000U);
    lapic.rdmsr(0x1B, value);
    EXPECT_EQ(lapic.last_access_cost_ps(), 25'000U);
    EXPECT_TRUE(Lapic::handles_msr(0x1B));
    EXPECT_TRUE(Lapic::handles_msr(0x6E0));
    EXPECT_TRUE(Lapic::handles_msr(0xBFF));
    EXPECT_FALSE(Lapic::handles_msr(0xC00));
}

TEST(LapicBehaviour, XapicIdWritableOnlyWhenConfigured) {
    Lapic fixed_id("fixed", {.apic_id = 2});
    Lapic writable("writable", {.apic_id = 2, .xapic_id_writable = true});
    write_reg(fixed_id, 0x020, 0x07000000);
    write_reg(writable, 0x020, 0x07000000);
    EXPECT_EQ(fixed_id.apic_id(), 2U);
    EXPECT_EQ(writable.apic_id(), 7U);
    EXPECT_TRUE(writable.matches_destination(7, DestinationMode::Physical));
    writable.init_reset();
    EXPECT_EQ(writable.apic_id(), 7U) << "INIT keeps the APIC ID (§1.5)";
}

TEST(LapicBehaviour, DumpShowsRegistersAndVectorBitmaps) {
    Lapic lapic("lapic", {.apic_id = 1});
    software_enable(lapic);
    lapic.accept(fixed_request(0x41, 1));
    lapic.accept(fixed_request(0xFE, 1, TriggerMode::Level));
    const auto state = lapic.dump();
    EXPECT_EQ(state.irr, "40000000" + std::string(32, '0') + "00000002" + std::string(16, '0'));
    EXPECT_EQ(state.tmr, "40000000" + std::string(56, '0'));
    EXPECT_EQ(state.isr, std::string(64, '0'));
    bool found_svr = false;
    for (const auto& [name, value] : state.registers) {
        if (name == "svr") {
            found_svr = true;
            EXPECT_EQ(value, 0x1FFU);
        }
    }
    EXPECT_TRUE(found_svr);
}

} // namespace
} // namespace x86sim::models
