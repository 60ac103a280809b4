// tick_timer.h - the scheduler tick source and the kernel's monotonic clock.
//
//   pit   channel 0 mode 2 at the configured divisor (upstream 4847 = 246.17 Hz), IRQ0 on the BSP only,
//         relayed to the APs with IPI 0x43 (redox-kernel.md §1 "One tick").
//   hpet  upstream's legacy-replacement timer 0 with the same RATE, IRQ0 on vector 32, relayed likewise.
//   lapic the Red Bear P7 tick: every CPU's own LAPIC timer on vector 48 (periodic, one-shot re-armed
//         every tick, or TSC-deadline), at `hz` (default 1000), from the boot calibration.
//
// Clock (redox-kernel.md §1 "Clock"): pit/hpet keep OFFSET += RATE per BSP tick plus the sub-tick time
// read from the PIT latch or the HPET counter; the lapic configuration reads the TSC against the
// calibrated TSC frequency.
#pragma once

#include "arch/x86/calibration.h"
#include "arch/x86/hpet.h"
#include "arch/x86/lapic.h"
#include "arch/x86/pit.h"
#include "config.h"
#include "hal_access.h"

#include <cstdint>
#include <vector>

namespace kut::x86 {

class TickTimer {
  public:
    TickTimer() = default;
    TickTimer(const Hal* hal, const Lapic* lapic, Pit* pit, Hpet* hpet, std::uint32_t cpus)
        : hal_(hal), lapic_(lapic), pit_(pit), hpet_(hpet), next_tsc_(cpus, 0) {}

    // On the BSP after calibration (`cal` may be null unless the source is lapic). Falls back to the
    // PIT when the HPET lacks a capability or the LAPIC could not be calibrated (logged).
    void setup_bsp(std::uint32_t cpu, const KernelConfig& config, const Calibration* cal,
                   bool tsc_deadline_ok);
    // On each AP: arms its LAPIC timer (lapic source only).
    void setup_ap(std::uint32_t cpu);
    // The LAPIC timer of `cpu` fired: re-arm one-shot / deadline modes for the next tick.
    void rearm(std::uint32_t cpu);
    // The BSP took IRQ0: OFFSET += RATE.
    void advance_offset() { offset_ns_ += rate_ns_; }

    kut_tick_source source() const { return source_; }
    kut_tick_mode mode() const { return mode_; }
    bool per_cpu() const { return source_ == KUT_TICK_LAPIC; }
    std::uint64_t period_ps() const { return period_ps_; }
    std::uint32_t pit_divisor() const { return pit_divisor_; }
    std::uint64_t lapic_count() const { return lapic_count_; }
    std::uint64_t tsc_per_tick() const { return tsc_per_tick_; }

    std::uint64_t monotonic_ns(std::uint32_t cpu) const;

  private:
    void start_pit(std::uint32_t cpu, const KernelConfig& config);
    void arm_lapic(std::uint32_t cpu);

    const Hal* hal_ = nullptr;
    const Lapic* lapic_ = nullptr;
    Pit* pit_ = nullptr;
    Hpet* hpet_ = nullptr;
    kut_tick_source source_ = KUT_TICK_PIT;
    kut_tick_mode mode_ = KUT_TICK_PERIODIC;
    std::uint32_t pit_divisor_ = 0;
    std::uint64_t hpet_divisor_ = 0;
    std::uint64_t rate_ns_ = 0;   // OFFSET increment per BSP tick (upstream RATE)
    std::uint64_t period_ps_ = 0; // nominal tick period
    std::uint64_t offset_ns_ = 0;
    std::uint64_t lapic_hz_ = 0;
    std::uint64_t tsc_hz_ = 0;
    std::uint64_t lapic_count_ = 0;
    std::uint64_t tsc_per_tick_ = 0;
    std::vector<std::uint64_t> next_tsc_; // per CPU: TSC of the next tick (one-shot, deadline)
};

} // namespace kut::x86
