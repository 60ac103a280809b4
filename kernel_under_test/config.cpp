#include "config.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace kut {

namespace {

template <typename Enum>
Enum pick_enum(std::int32_t value, std::int32_t last, Enum fallback) {
    return value >= 0 && value <= last ? static_cast<Enum>(value) : fallback;
}

} // namespace

bool KernelConfig::from_abi(const kut_config* config, KernelConfig& out) {
    out = KernelConfig{};
    if (config == nullptr) {
        return false;
    }
    // Tables carry their size: take what both sides know, leave the rest zero (abi.h).
    kut_config raw{};
    const std::size_t size = std::min<std::size_t>(config->size, sizeof raw);
    std::memcpy(&raw, config, size);

    out.cpus = std::clamp<std::uint32_t>(raw.cpus, 1, kMaxCpus);
    out.cpu_hz = raw.cpu_hz != 0 ? raw.cpu_hz : out.cpu_hz;
    out.tick_source = pick_enum(raw.tick_source, KUT_TICK_LAPIC, KUT_TICK_PIT);
    out.tick_mode = pick_enum(raw.tick_mode, KUT_TICK_TSC_DEADLINE, KUT_TICK_PERIODIC);
    out.tick_hz = raw.tick_hz;
    out.pit_divisor = std::min<std::uint32_t>(raw.pit_divisor, 65536);
    out.sched_lock = pick_enum(raw.sched_lock, KUT_LOCK_PER_CPU, KUT_LOCK_GLOBAL);
    out.sched_balance = pick_enum(raw.sched_balance, KUT_BALANCE_WORK_STEALING, KUT_BALANCE_NONE);
    out.switch_ticks = raw.switch_ticks != 0 ? raw.switch_ticks : kUpstreamSwitchTicks;
    out.sched_wakeup = pick_enum(raw.sched_wakeup, KUT_WAKEUP_TARGETED, KUT_WAKEUP_LAZY_IPI);
    out.irq_delivery = pick_enum(raw.irq_delivery, KUT_IRQ_MSIX, KUT_IRQ_INTX);
    out.thread_create = pick_enum(raw.thread_create, KUT_THREAD_CREATE_IPC2, KUT_THREAD_CREATE_UPSTREAM);
    out.use_x2apic = raw.use_x2apic != 0;
    out.have_hpet = raw.have_hpet != 0;
    out.have_ioapic = raw.have_ioapic != 0;
    out.irq_controller = out.have_ioapic && out.red_bear() ? IrqController::ioapic : IrqController::pic;
    return true;
}

} // namespace kut
