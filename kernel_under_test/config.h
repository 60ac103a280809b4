// config.h - the kernel's view of kut_config (include/kut/guest.h), with defaults filled in and the
// derived choices made once, in one place.
#pragma once

#include "kut/guest.h"

#include <cstdint>

namespace kut {

// Upstream PIT divisor since 111606cc (2022-11-15): 4847 -> 246.17 Hz (redox-kernel.md §1).
inline constexpr std::uint32_t kUpstreamPitDivisor = 4847;
// Before 2022-11-14 the divisor was 2685 (444.4 Hz); kept for the "6.75 ms" scenarios.
inline constexpr std::uint32_t kHistoricPitDivisor = 2685;
// Upstream TICK_INTERVAL (ticks per time slice, f5bdae2d).
inline constexpr std::uint32_t kUpstreamSwitchTicks = 3;
// The Red Bear plan's LAPIC tick rate (fix-plan.md §4 T3.1).
inline constexpr std::uint64_t kDefaultLapicHz = 1000;
inline constexpr std::uint32_t kMaxCpus = 256;

enum class IrqController { pic, ioapic };

struct KernelConfig {
    std::uint32_t cpus = 1;
    std::uint64_t cpu_hz = 3'000'000'000;
    kut_tick_source tick_source = KUT_TICK_PIT;
    kut_tick_mode tick_mode = KUT_TICK_PERIODIC;
    std::uint64_t tick_hz = 0; // 0 = the source's default
    std::uint32_t pit_divisor = 0;
    kut_sched_lock sched_lock = KUT_LOCK_GLOBAL;
    kut_sched_balance sched_balance = KUT_BALANCE_NONE;
    std::uint32_t switch_ticks = kUpstreamSwitchTicks;
    kut_sched_wakeup sched_wakeup = KUT_WAKEUP_LAZY_IPI;
    kut_irq_delivery irq_delivery = KUT_IRQ_INTX;
    kut_thread_create thread_create = KUT_THREAD_CREATE_UPSTREAM;
    bool use_x2apic = false;
    bool have_hpet = false;
    bool have_ioapic = false;

    // Derived: which controller delivers legacy IRQs (see from_abi).
    IrqController irq_controller = IrqController::pic;

    // Copies what the host filled (config->size may be smaller or larger than ours), clamps nonsense
    // (cpus 0, switch_ticks 0, unknown enum values fall back to the upstream choice) and derives the
    // interrupt controller. Returns false only for a null pointer.
    static bool from_abi(const kut_config* config, KernelConfig& out);

    // True when any switch selects something only the Red Bear fork (or the plan) has. Upstream never
    // enables the IOAPIC (redox-kernel.md §3); Red Bear does (P1-ioapic-hpet-nmi). So:
    //   legacy IRQs go through the IOAPIC  <=>  have_ioapic && red_bear().
    // The HPET tick and switch_ticks are not Red Bear markers: upstream uses the HPET when ACPI has
    // one (§1), and the slice length has changed upstream before (10 -> 3).
    bool red_bear() const {
        return tick_source == KUT_TICK_LAPIC || sched_lock != KUT_LOCK_GLOBAL ||
               sched_balance != KUT_BALANCE_NONE || sched_wakeup != KUT_WAKEUP_LAZY_IPI ||
               irq_delivery != KUT_IRQ_INTX || thread_create != KUT_THREAD_CREATE_UPSTREAM;
    }
};

} // namespace kut
