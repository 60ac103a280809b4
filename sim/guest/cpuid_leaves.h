// CPUID as the calling CPU answers it (hal->cpuid). Only what a kernel's timer and interrupt code asks:
//   0          max leaf 0x16, "GenuineIntel"
//   1          family 6 model 0x55 (Skylake-SP); EBX[31:24] initial APIC ID, [23:16] logical CPUs;
//              ECX[21] x2APIC, ECX[24] TSC-deadline (LAPIC model options); EDX[4] TSC, EDX[5] MSR,
//              EDX[9] APIC present (follows IA32_APIC_BASE.EN, lapic-pit-msi.md §1.1), EDX[28] HTT
//   6          EAX[2] ARAT: the LAPIC timer keeps running in deep C-states (the LAPIC model assumes it)
//   0xB        x2APIC topology: one thread per core, all CPUs in one package; EDX = x2APIC ID
//   0x15 0x16  TSC/crystal ratio and frequencies from models::Tsc (lapic-pit-msi.md §3, check 51)
//   0x80000000 max extended leaf 0x80000008; 0x80000007 EDX[8] invariant TSC; 0x80000008 address sizes
// Every other leaf reads as zeros.
#pragma once

#include <array>
#include <cstdint>

namespace x86sim::models {
class Lapic;
class Tsc;
} // namespace x86sim::models

namespace x86sim::sim::guest {

std::array<std::uint32_t, 4> cpuid_leaf(const models::Lapic& lapic, const models::Tsc& tsc, unsigned cpus,
                                        std::uint32_t leaf, std::uint32_t subleaf);

} // namespace x86sim::sim::guest
