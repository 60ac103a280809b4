// sim/platform/address_map.h: regions, overlap detection at build time, per-CPU windows, unclaimed
// accesses answered as a PC bus does (reads all ones, writes dropped) and counted.
#include "sim/platform/address_map.h"

#include <gtest/gtest.h>
#include <map>

namespace x86sim::sim {
namespace {

class FakeDevice : public models::MmioDevice, public models::PortIoDevice {
  public:
    models::MmioResult mmio_read(std::uint64_t offset, unsigned, std::uint64_t& value) override {
        value = 0x1000 + offset;
        return {models::AccessStatus::Ok, 7};
    }
    models::MmioResult mmio_write(std::uint64_t offset, unsigned, std::uint64_t value) override {
        writes[offset] = value;
        return {models::AccessStatus::Ok, 9};
    }
    models::MmioResult io_read(std::uint16_t port, unsigned, std::uint32_t& value) override {
        value = port;
        return {};
    }
    models::MmioResult io_write(std::uint16_t port, unsigned, std::uint32_t value) override {
        writes[port] = value;
        return {};
    }
    std::map<std::uint64_t, std::uint64_t> writes;
};

TEST(AddressMap, DecodesRegionsWithOffsetsAndCosts) {
    AddressMap map;
    FakeDevice a;
    FakeDevice b;
    map.add_mmio({"a", 0x1000, 0x100, &a});
    map.add_mmio({"b", 0x2000, 0x100, &b});
    std::uint64_t value = 0;
    const auto outcome = map.read(0, 0x2010, 4, value);
    EXPECT_EQ(value, 0x1010U);
    EXPECT_EQ(outcome.delay_ps, 7U);
    EXPECT_STREQ(outcome.target, "b");
    EXPECT_EQ(map.write(0, 0x10F8, 8, 42).delay_ps, 9U);
    EXPECT_EQ(a.writes.at(0xF8), 42U);
}

TEST(AddressMap, OverlapIsAConstructionErrorNamingBoth) {
    AddressMap map;
    FakeDevice a;
    FakeDevice b;
    map.add_mmio({"memory", 0, 0x1'0000'0000ULL, &a});
    try {
        map.add_mmio({"ioapic", 0xFEC0'0000, 0x1000, &b});
        FAIL() << "overlap not detected";
    } catch (const PlatformError& error) {
        const std::string text = error.what();
        EXPECT_NE(text.find("ioapic"), std::string::npos) << text;
        EXPECT_NE(text.find("memory"), std::string::npos) << text;
    }
}

TEST(AddressMap, PortOverlapIsAnError) {
    AddressMap map;
    FakeDevice pit;
    map.add_ports("pit", 0x40, 4, pit);
    EXPECT_THROW(map.add_ports("other", 0x43, 1, pit), PlatformError);
    EXPECT_NO_THROW(map.add_ports("port61", 0x61, 1, pit));
}

TEST(AddressMap, UnclaimedAccessesReadAllOnesAndAreCounted) {
    AddressMap map;
    std::uint64_t value = 0;
    EXPECT_EQ(map.read(0, 0xDEAD'0000, 2, value).status, models::AccessStatus::Unmapped);
    EXPECT_EQ(value, 0xFFFFU);
    EXPECT_EQ(map.write(0, 0xDEAD'0000, 4, 1).status, models::AccessStatus::Unmapped);
    std::uint32_t port_value = 0;
    EXPECT_EQ(map.in(0x80, 1, port_value).status, models::AccessStatus::Unmapped);
    EXPECT_EQ(port_value, 0xFFU);
    EXPECT_EQ(map.unclaimed_mmio(), 2U);
    EXPECT_EQ(map.unclaimed_ports(), 1U);
}

TEST(AddressMap, AccessStraddlingTheEndOfARegionIsUnclaimed) {
    AddressMap map;
    FakeDevice a;
    map.add_mmio({"a", 0x1000, 0x100, &a});
    std::uint64_t value = 0;
    EXPECT_EQ(map.read(0, 0x10FC, 8, value).status, models::AccessStatus::Unmapped);
}

TEST(AddressMap, PerCpuWindowTakesPrecedence) {
    AddressMap map;
    FakeDevice shared;
    FakeDevice cpu1_window;
    map.add_mmio({"shared", 0xFEE0'0000, 0x1000, &shared});
    map.set_per_cpu_resolver(
        [&](unsigned cpu, std::uint64_t address, std::uint64_t& offset) -> models::MmioDevice* {
            if (cpu == 1 && address >= 0xFEE0'0000 && address < 0xFEE0'1000) {
                offset = address - 0xFEE0'0000;
                return &cpu1_window;
            }
            return nullptr;
        });
    map.write(1, 0xFEE0'00B0, 4, 5);
    map.write(0, 0xFEE0'00B0, 4, 6);
    EXPECT_EQ(cpu1_window.writes.at(0xB0), 5U);
    EXPECT_EQ(shared.writes.at(0xB0), 6U);
}

} // namespace
} // namespace x86sim::sim
