#include "sim/guest/kernel_config.h"

namespace x86sim::sim::guest {

kut_config make_kut_config(const scenario::KernelConfig& kernel, const scenario::PlatformConfig& platform) {
    using namespace scenario;
    kut_config config{};
    config.size = sizeof(kut_config);
    config.cpus = platform.cpus;
    config.cpu_hz = platform.cpu_freq_hz;
    switch (kernel.tick.source) {
    case TickSource::pit:
        config.tick_source = KUT_TICK_PIT;
        break;
    case TickSource::hpet:
        config.tick_source = KUT_TICK_HPET;
        break;
    case TickSource::lapic:
        config.tick_source = KUT_TICK_LAPIC;
        break;
    }
    switch (kernel.tick.mode) {
    case TickMode::periodic:
        config.tick_mode = KUT_TICK_PERIODIC;
        break;
    case TickMode::oneshot:
        config.tick_mode = KUT_TICK_ONESHOT;
        break;
    case TickMode::tsc_deadline:
        config.tick_mode = KUT_TICK_TSC_DEADLINE;
        break;
    }
    config.tick_hz = kernel.tick.hz.value_or(0);
    config.pit_divisor = kernel.tick.divisor.value_or(0);
    config.sched_lock = kernel.sched.lock == SchedLock::global ? KUT_LOCK_GLOBAL : KUT_LOCK_PER_CPU;
    config.sched_balance =
        kernel.sched.balance == SchedBalance::none ? KUT_BALANCE_NONE : KUT_BALANCE_WORK_STEALING;
    config.switch_ticks = kernel.sched.switch_ticks;
    config.sched_wakeup =
        kernel.sched.wakeup == SchedWakeup::lazy_ipi ? KUT_WAKEUP_LAZY_IPI : KUT_WAKEUP_TARGETED;
    switch (kernel.irq.delivery) {
    case IrqDelivery::intx:
        config.irq_delivery = KUT_IRQ_INTX;
        break;
    case IrqDelivery::msi:
        config.irq_delivery = KUT_IRQ_MSI;
        break;
    case IrqDelivery::msix:
        config.irq_delivery = KUT_IRQ_MSIX;
        break;
    }
    switch (kernel.proc.thread_create) {
    case ThreadCreate::upstream:
        config.thread_create = KUT_THREAD_CREATE_UPSTREAM;
        break;
    case ThreadCreate::ipc3:
        config.thread_create = KUT_THREAD_CREATE_IPC3;
        break;
    case ThreadCreate::ipc2:
        config.thread_create = KUT_THREAD_CREATE_IPC2;
        break;
    }
    config.use_x2apic = platform.lapic.mode == LapicMode::x2apic ? 1 : 0;
    config.have_hpet = platform.hpet.enabled ? 1 : 0;
    config.have_ioapic = platform.ioapic.enabled ? 1 : 0;
    return config;
}

} // namespace x86sim::sim::guest
