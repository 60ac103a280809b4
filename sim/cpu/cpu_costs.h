// What the simulated CPU itself charges, as opposed to what devices annotate on their accesses and what
// guest code declares with hal->spend (design/GUEST-MODEL.md "Time"). Figures are core cycles at
// platform.cpu_freq unless the name says ps. They are documented estimates for a Skylake-class core,
// not measurements; change them here (or per Platform) when a target machine has been measured.
#pragma once

#include <cstdint>

namespace x86sim::sim::cpu {

struct CpuCosts {
    // Interrupt acceptance to the first instruction of the handler: the INTA cycle, the IDT gate, the
    // stack switch and the pushed frame. Microbenchmarks of IDT delivery on Skylake-class cores put it at
    // 150-250 cycles; 200 is the midpoint. The handler-entry time of an interrupt accepted at T is
    // exactly T + interrupt_entry (the acknowledge itself is the acceptance instant).
    std::uint64_t interrupt_entry_cycles = 200;
    // IRET back to the interrupted context (Agner Fog's tables: ~100 cycles for a same-privilege IRET).
    std::uint64_t interrupt_exit_cycles = 100;
    // SYSCALL and SYSRET with the kernel's entry stub (Agner Fog: SYSCALL ~70-100 cycles); the guest
    // declares the work of the call itself with spend().
    std::uint64_t syscall_entry_cycles = 100;
    std::uint64_t syscall_exit_cycles = 100;
    // Leaving HLT when an interrupt arrives. HLT is C1; lapic-pit-msi.md §6 row 11 gives 2 us for C1
    // with intel_idle on Skylake client parts, but a server with C-states limited to C0/C1 polls back
    // within cycles. The default 0 keeps wake-up latency out of interrupt-latency figures; scenarios
    // that study idle states can raise it.
    std::uint64_t hlt_wakeup_ps = 0;
    // CPUID is serialising (~100 cycles on bare metal, far more under a hypervisor).
    std::uint64_t cpuid_cycles = 100;
    // RDTSC (Agner Fog: ~25 cycles).
    std::uint64_t rdtsc_cycles = 25;
    // RDMSR/WRMSR of MSRs that do not belong to the LAPIC (IA32_TSC). LAPIC MSRs cost what the LAPIC
    // annotates (x2apic_msr_access_ps, lapic-pit-msi.md §6 "~50 cycles").
    std::uint64_t msr_cycles = 50;
    // CLI / STI (a few cycles each).
    std::uint64_t cli_sti_cycles = 2;
    // An uncontended spin-lock acquire: one LOCK CMPXCHG on a cache-hot line (~20 cycles).
    std::uint64_t lock_acquire_cycles = 20;
    // Extra cost when the lock was taken after waiting: the cache line moves from the releasing core
    // (~70 cycles core-to-core on one socket).
    std::uint64_t lock_handoff_cycles = 70;
    // A release is a plain store.
    std::uint64_t lock_release_cycles = 1;
};

} // namespace x86sim::sim::cpu
