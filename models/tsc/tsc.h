// Per-CPU invariant time-stamp counter (lapic-pit-msi.md §3).
//
// The TSC counts at a fixed frequency, unaffected by P-/C-/T-states (CPUID.80000007H:EDX[8]). Its
// value is computed from simulated time through a ClockDomain, so it is exact and costs no SystemC
// event: value(t) = cycles_in(t) + offset. A write to IA32_TSC (MSR 0x10) changes the offset so that
// the counter reads the written value now; IA32_TSC_ADJUST (MSR 0x3B) reads back the accumulated
// offset and a write to it shifts the counter by the difference (SDM 17.17.3: both MSRs move
// together).
//
// CPUID 0x15/0x16 (§3): the platform exposes `cpuid()`; TSC Hz = ECX * EBX / EAX exactly (check 51),
// with EBX/EAX the reduced ratio TSC Hz / crystal Hz. A crystal-fed LAPIC timer (SDM 10.5.4) uses
// `crystal_hz()` as its input clock, so it advances EAX/EBX input ticks per TSC tick.
//
// Not modelled: TSC_AUX/RDTSCP, non-invariant TSCs, per-thread scaling for virtualisation.
#pragma once

#include "models/common/clock_domain.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace x86sim::models {

struct TscConfig {
    std::uint64_t frequency_hz = 2'000'000'000; // invariant TSC rate
    // Core crystal clock (CPUID.15H:ECX). 0 = not enumerated (leaf 0x15 then reports EAX = EBX = 0).
    std::uint64_t crystal_hz = 25'000'000;
    std::uint32_t max_frequency_mhz = 0;   // CPUID.16H:EBX; 0 = same as the base frequency
    std::uint32_t bus_frequency_mhz = 100; // CPUID.16H:ECX (reference/bus clock)
};

// The CPUID values the platform exposes for the TSC (§3).
struct TscCpuidLeaves {
    std::uint32_t leaf15_eax = 0; // denominator of the TSC/crystal ratio
    std::uint32_t leaf15_ebx = 0; // numerator of the TSC/crystal ratio
    std::uint32_t leaf15_ecx = 0; // crystal frequency in Hz
    std::uint32_t leaf16_eax = 0; // base frequency, MHz
    std::uint32_t leaf16_ebx = 0; // maximum frequency, MHz
    std::uint32_t leaf16_ecx = 0; // bus (reference) frequency, MHz
};

class Tsc {
  public:
    static constexpr std::uint32_t kMsrTsc = 0x10;
    static constexpr std::uint32_t kMsrTscAdjust = 0x3B;

    // Throws std::invalid_argument if the frequencies cannot be expressed in CPUID 0x15 (32-bit ratio
    // terms, crystal Hz in 32 bits) - a configuration error, caught at construction.
    explicit Tsc(const TscConfig& config);

    std::uint64_t frequency_hz() const { return clock_.hz(); }
    std::uint64_t crystal_hz() const { return config_.crystal_hz; }
    const ClockDomain& clock() const { return clock_; }
    const TscCpuidLeaves& cpuid() const { return cpuid_; }

    // The counter at the current simulated time (RDTSC).
    std::uint64_t read() const;
    // The counter at absolute simulated time `time_ps`.
    std::uint64_t value_at_ps(std::uint64_t time_ps) const;
    // IA32_TSC write: the counter reads `value` now and keeps counting from there.
    void write(std::uint64_t value);
    // Signed distance between the counter and the raw cycle count of simulated time (IA32_TSC_ADJUST).
    std::int64_t offset() const { return static_cast<std::int64_t>(offset_); }

    // Earliest absolute simulated time (ps) at which read() >= `value`; now if already reached.
    // Values are compared as unsigned 64-bit counts (no wrap within a simulation).
    std::uint64_t time_when_reaches(std::uint64_t value) const;

    // MSR 0x10 / 0x3B. Returns false for any other index (not a TSC MSR).
    bool rdmsr(std::uint32_t index, std::uint64_t& value) const;
    bool wrmsr(std::uint32_t index, std::uint64_t value);

    // Called after every write that moves the counter (a TSC-deadline timer re-arms on it).
    void add_write_listener(std::function<void()> listener) { listeners_.push_back(std::move(listener)); }

  private:
    void notify_listeners();

    TscConfig config_;
    ClockDomain clock_;
    TscCpuidLeaves cpuid_;
    std::uint64_t offset_ = 0; // modulo 2^64
    std::vector<std::function<void()>> listeners_;
};

} // namespace x86sim::models
