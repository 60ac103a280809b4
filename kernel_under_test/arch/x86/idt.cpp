// idt.cpp - interrupt dispatch by vector (redox-kernel.md §3 "IDT", §1 "One tick").
#include "arch/x86/vectors.h"
#include "costs.h"
#include "kernel.h"

namespace kut {

void Kernel::unexpected(std::uint32_t cpu, std::uint8_t vector, const char* why, bool eoi) {
    hal_.log(cpu, KUT_LOG_WARN, "interrupt: vector %u on cpu %u %s", vector, cpu, why);
    hal_.metric_add("kernel.unexpected_vectors", 1);
    if (eoi) {
        lapic_.eoi(cpu);
    }
}

void Kernel::interrupt(std::uint32_t cpu, std::uint8_t vector) {
    if (!valid_cpu(cpu, "interrupt")) {
        return;
    }
    sched_.note_event(cpu);
    if (!booted_ || !sched_.cpu(cpu).started) {
        unexpected(cpu, vector, "before the CPU was set up", false);
        return;
    }
    // Upstream's spurious vector is 0 (SVR = 0x100); 0xFF is the architectural default. No EOI.
    if (vector == vec::kSpurious || vector == 0xFF) {
        hal_.metric_add("kernel.spurious_vectors", 1);
        return;
    }
    if (vector < vec::kLegacyBase) {
        unexpected(cpu, vector, "is an exception vector", false);
        return;
    }
    if (vector <= vec::kLegacyLast) {
        if (cpu != bsp_) {
            unexpected(cpu, vector, "is a legacy vector, installed on the BSP only", true);
            return;
        }
        legacy_irq(cpu, vector - vec::kLegacyBase);
        return;
    }
    switch (vector) {
    case vec::kLapicTimer:
        if (timer_.per_cpu()) {
            lapic_timer(cpu);
        } else {
            // Upstream's handler only prints and EOIs (§1 "LAPIC timer: not used").
            hal_.log(cpu, KUT_LOG_DEBUG, "lapic timer interrupt");
            lapic_.eoi(cpu);
        }
        return;
    case vec::kLapicError: {
        lapic_.write(cpu, x86::lapic_reg::kEsr, 0);
        const std::uint32_t esr = lapic_.read(cpu, x86::lapic_reg::kEsr);
        hal_.log(cpu, KUT_LOG_WARN, "lapic error: ESR 0x%02x", esr);
        hal_.metric_add("kernel.lapic_errors", 1);
        lapic_.eoi(cpu);
        return;
    }
    case vec::kIpiWakeup:
        lapic_.eoi(cpu);
        sched_.on_wakeup_ipi(cpu);
        return;
    case vec::kIpiTlb:
    case vec::kIpiProfile:
        lapic_.eoi(cpu);
        return;
    case vec::kIpiSwitch:
        lapic_.eoi(cpu);
        sched_.on_switch_ipi(cpu);
        return;
    case vec::kIpiPit:
        // APs: LAPIC EOI -> tick (§1). With per-CPU LAPIC timers nobody relays ticks.
        lapic_.eoi(cpu);
        if (timer_.per_cpu()) {
            hal_.metric_add("kernel.unexpected_vectors", 1);
            return;
        }
        sched_.tick(cpu);
        sched_.preempt_if_needed(cpu);
        return;
    default:
        break;
    }
    if (vec::is_scheme_vector(vector)) {
        // MSI / MSI-X: count, event, LAPIC EOI; never masked (§3).
        irqs_.deliver(cpu, vector - vec::kLegacyBase);
        lapic_.eoi(cpu);
        sched_.preempt_if_needed(cpu);
        return;
    }
    unexpected(cpu, vector, "has no handler", true);
}

void Kernel::legacy_irq(std::uint32_t cpu, unsigned irq) {
    if (controller_->spurious(cpu, irq)) {
        hal_.metric_add("kernel.spurious_vectors", 1);
        return;
    }
    if (irq == 0) {
        if (timer_.per_cpu()) {
            controller_->eoi(cpu, 0);
            hal_.metric_add("kernel.unexpected_vectors", 1);
            return;
        }
        timer_irq0(cpu);
        return;
    }
    if (irq == 2) {
        controller_->eoi(cpu, irq); // cascade: nothing behind it on its own
        return;
    }
    irqs_.deliver(cpu, irq);
    controller_->eoi(cpu, irq);
    sched_.preempt_if_needed(cpu);
}

void Kernel::timer_irq0(std::uint32_t cpu) {
    // pit_stack (§1 "One tick, BSP"): OFFSET += RATE -> EOI -> IPI 0x43 to all but self ->
    // timeout::trigger -> tick.
    hal_.spend(cpu, costs::kTimerInterrupt);
    timer_.advance_offset();
    controller_->eoi(cpu, 0);
    sched_.broadcast_ipi(cpu, vec::kIpiPit);
    sched_.trigger_timeouts(cpu);
    sched_.tick(cpu);
    sched_.preempt_if_needed(cpu);
}

void Kernel::lapic_timer(std::uint32_t cpu) {
    // Red Bear P7: each CPU ticks on its own LAPIC timer; timeouts stay on the BSP's tick.
    hal_.spend(cpu, costs::kTimerInterrupt);
    timer_.rearm(cpu);
    lapic_.eoi(cpu);
    if (cpu == bsp_) {
        sched_.trigger_timeouts(cpu);
    }
    sched_.tick(cpu);
    sched_.preempt_if_needed(cpu);
}

} // namespace kut
