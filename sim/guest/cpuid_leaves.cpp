#include "sim/guest/cpuid_leaves.h"

#include "models/lapic/lapic.h"
#include "models/tsc/tsc.h"

namespace x86sim::sim::guest {

namespace {
constexpr std::uint32_t kGenu = 0x756E'6547; // "Genu"
constexpr std::uint32_t kIneI = 0x4965'6E69; // "ineI"
constexpr std::uint32_t kNtel = 0x6C65'746E; // "ntel"

std::uint32_t bit(unsigned n, bool on = true) {
    return on ? (1U << n) : 0U;
}

unsigned bits_for(unsigned count) {
    unsigned shift = 0;
    while ((1U << shift) < count) {
        ++shift;
    }
    return shift;
}
} // namespace

std::array<std::uint32_t, 4> cpuid_leaf(const models::Lapic& lapic, const models::Tsc& tsc, unsigned cpus,
                                        std::uint32_t leaf, std::uint32_t subleaf) {
    const auto apic_id = lapic.apic_id();
    switch (leaf) {
    case 0x0:
        return {0x16, kGenu, kNtel, kIneI};
    case 0x1: {
        const std::uint32_t ebx = ((apic_id & 0xFF) << 24) | ((cpus & 0xFF) << 16) | (8U << 8);
        const std::uint32_t ecx =
            bit(21, lapic.config().x2apic_supported) | bit(24, lapic.tsc_deadline_available());
        const std::uint32_t edx = bit(4) | bit(5) | bit(9, lapic.apic_present_cpuid()) | bit(28, cpus > 1);
        return {0x0005'0654, ebx, ecx, edx};
    }
    case 0x6:
        return {bit(2), 0, 0, 0};
    case 0xB:
        if (subleaf == 0) {
            return {0, 1, (1U << 8) | subleaf, apic_id};
        }
        if (subleaf == 1) {
            return {bits_for(cpus), cpus, (2U << 8) | subleaf, apic_id};
        }
        return {0, 0, subleaf & 0xFF, apic_id};
    case 0x15:
        return {tsc.cpuid().leaf15_eax, tsc.cpuid().leaf15_ebx, tsc.cpuid().leaf15_ecx, 0};
    case 0x16:
        return {tsc.cpuid().leaf16_eax, tsc.cpuid().leaf16_ebx, tsc.cpuid().leaf16_ecx, 0};
    case 0x8000'0000:
        return {0x8000'0008, 0, 0, 0};
    case 0x8000'0007:
        return {0, 0, 0, bit(8)};
    case 0x8000'0008:
        return {0x302E, 0, 0, 0}; // 48-bit linear, 46-bit physical (LapicConfig::max_phys_addr_bits)
    default:
        return {0, 0, 0, 0};
    }
}

} // namespace x86sim::sim::guest
