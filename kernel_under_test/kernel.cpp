#include "kernel.h"

#include "arch/x86/vectors.h"
#include "costs.h"
#include "kerrno.h"
#include "proc/thread_create.h"

namespace kut {

Kernel::Kernel(const kut_hal* hal, const KernelConfig& config)
    : hal_(hal), config_(config), lapic_(&hal_, false, x86::kDefaultApicBase), pic_(&hal_),
      ioapic_(&hal_, &lapic_), pit_(&hal_), hpet_(&hal_), timer_(&hal_, &lapic_, &pit_, &hpet_, config_.cpus),
      sched_(&hal_, &config_, &lapic_, &timer_), irqs_(&hal_, &sched_) {
    sched_.create_locks();
}

bool Kernel::valid_cpu(std::uint32_t cpu, const char* entry) const {
    if (cpu < config_.cpus) {
        return true;
    }
    hal_.log(cpu, KUT_LOG_ERROR, "%s: cpu %u out of range (%u cpus)", entry, cpu, config_.cpus);
    hal_.metric_add("kernel.bad_requests", 1);
    return false;
}

void Kernel::select_apic_mode(std::uint32_t cpu) {
    // x2APIC through MSRs when the firmware handed over in x2APIC mode (config.use_x2apic), else
    // xAPIC MMIO at IA32_APIC_BASE (redox-kernel.md §3 LAPIC). A CPU already in x2APIC mode can only
    // be driven through MSRs, whatever the configuration says.
    std::uint64_t base = x86::kDefaultApicBase | x86::kApicBaseEnable;
    const bool have_msr = hal_.rdmsr(cpu, x86::kMsrApicBase, base);
    bool x2 = config_.use_x2apic;
    if (have_msr && (base & x86::kApicBaseExtd) != 0 && !x2) {
        hal_.log(cpu, KUT_LOG_WARN, "lapic: cpu %u is in x2APIC mode although use_x2apic is 0; using MSRs",
                 cpu);
        x2 = true;
    }
    if (x2 && have_msr && (base & x86::kApicBaseExtd) == 0) {
        if (!hal_.wrmsr(cpu, x86::kMsrApicBase, base | x86::kApicBaseEnable | x86::kApicBaseExtd)) {
            hal_.log(cpu, KUT_LOG_WARN, "lapic: cpu %u refused x2APIC mode; using xAPIC", cpu);
            x2 = false;
        }
    }
    const std::uint64_t mmio =
        have_msr ? (base & ~std::uint64_t{0xFFF} & 0x000FFFFFFFFFF000ull) : x86::kDefaultApicBase;
    lapic_ = x86::Lapic(&hal_, x2, mmio != 0 ? mmio : x86::kDefaultApicBase);
}

void Kernel::boot(std::uint32_t cpu) {
    if (!valid_cpu(cpu, "boot")) {
        return;
    }
    if (booted_) {
        hal_.log(cpu, KUT_LOG_ERROR, "boot: called twice; ignored");
        hal_.metric_add("kernel.bad_requests", 1);
        return;
    }
    booted_ = true;
    bsp_ = cpu;
    hal_.cli(cpu);

    std::uint32_t leaf1[4] = {0, 0, 0, 0};
    hal_.cpuid(cpu, 1, 0, leaf1);
    tsc_deadline_ok_ = (leaf1[2] & x86::kCpuidTscDeadline) != 0;

    // LAPIC (redox-kernel.md §3): SVR 0x100, LVT error 49; LINT0 virtual wire while the PIC delivers.
    select_apic_mode(cpu);
    const bool use_ioapic = config_.irq_controller == IrqController::ioapic;
    lapic_.init_cpu(cpu, true, !use_ioapic);
    sched::CpuState& me = sched_.cpu(cpu);
    me.apic_id = lapic_.id(cpu);
    me.started = true;

    // 8259 remapped to 0x20/0x28: unmasked (upstream) or masked behind the IOAPIC (Red Bear P1).
    pic_.init(cpu, use_ioapic);
    if (use_ioapic) {
        ioapic_.init(cpu, me.apic_id);
        controller_ = &ioapic_;
    } else {
        controller_ = &pic_;
    }
    irqs_.set_controller(controller_);

    // Tick source; the LAPIC timer needs its frequency first (and the TSC's for the clock).
    const x86::Calibration* cal = nullptr;
    if (config_.tick_source == KUT_TICK_LAPIC) {
        x86::Hpet* reference = config_.have_hpet && hpet_.probe(cpu) ? &hpet_ : nullptr;
        calibration_ = x86::calibrate(cpu, hal_, lapic_, pit_, reference);
        if (calibration_.ok) {
            hal_.metric_set("kernel.calibration.lapic_timer_hz",
                            static_cast<double>(calibration_.lapic_timer_hz));
            hal_.metric_set("kernel.calibration.tsc_hz", static_cast<double>(calibration_.tsc_hz));
        }
        cal = &calibration_;
    }
    timer_.setup_bsp(cpu, config_, cal, tsc_deadline_ok_);
    if (timer_.source() == KUT_TICK_LAPIC) {
        controller_->mask(cpu, 0); // no PIT/HPET tick on vector 32 when every CPU has its own timer
    }
    hal_.log(cpu, KUT_LOG_INFO, "boot: %s, %s, tick %s, period %llu ps, %u cpus",
             lapic_.x2apic() ? "x2APIC" : "xAPIC", use_ioapic ? "IOAPIC" : "8259 PIC",
             timer_.source() == KUT_TICK_PIT    ? "pit"
             : timer_.source() == KUT_TICK_HPET ? "hpet"
                                                : "lapic",
             static_cast<unsigned long long>(timer_.period_ps()), config_.cpus);

    start_aps(cpu);
    hal_.switch_to(cpu, KUT_IDLE_TASK);
    hal_.sti(cpu);
}

void Kernel::ap_start(std::uint32_t cpu, std::uint8_t vector) {
    if (!valid_cpu(cpu, "ap_start")) {
        return;
    }
    sched::CpuState& me = sched_.cpu(cpu);
    if (!booted_ || cpu == bsp_ || me.started) {
        hal_.log(cpu, KUT_LOG_WARN, "ap_start: cpu %u (SIPI vector 0x%02x) not expected; ignored", cpu,
                 vector);
        hal_.metric_add("kernel.bad_requests", 1);
        return;
    }
    hal_.cli(cpu);
    if (lapic_.x2apic()) {
        std::uint64_t base = 0;
        if (hal_.rdmsr(cpu, x86::kMsrApicBase, base) && (base & x86::kApicBaseExtd) == 0) {
            hal_.wrmsr(cpu, x86::kMsrApicBase, base | x86::kApicBaseEnable | x86::kApicBaseExtd);
        }
    }
    lapic_.init_cpu(cpu, false, false);
    me.apic_id = lapic_.id(cpu);
    me.started = true;
    timer_.setup_ap(cpu);
    hal_.switch_to(cpu, KUT_IDLE_TASK);
    hal_.sti(cpu);
}

void Kernel::task_new(std::uint32_t cpu, kut_task_id task, std::int32_t task_class, std::int32_t level) {
    if (!valid_cpu(cpu, "task_new")) {
        return;
    }
    sched::Task* t = sched_.add_task(task, task_class, level);
    if (t == nullptr) {
        hal_.log(cpu, KUT_LOG_ERROR, "task_new: task id %u is 0 or already exists; ignored", task);
        hal_.metric_add("kernel.bad_requests", 1);
        return;
    }
    sched_.enqueue_initial(cpu, *t);
}

void Kernel::idle(std::uint32_t cpu) {
    if (!valid_cpu(cpu, "idle")) {
        return;
    }
    sched_.idle(cpu);
}

std::int64_t Kernel::syscall(std::uint32_t cpu, kut_task_id task, std::uint32_t number, std::uint64_t arg0,
                             std::uint64_t arg1, std::uint64_t arg2) {
    if (!valid_cpu(cpu, "syscall")) {
        return err::kInval;
    }
    hal_.spend(cpu, costs::kSyscallEntry);
    sched::Task* t = sched_.find(task);
    if (t == nullptr || t->state != sched::TaskState::running || sched_.cpu(cpu).current != task) {
        hal_.log(cpu, KUT_LOG_WARN, "syscall %u from task %u, which is not running on cpu %u; refused",
                 number, task, cpu);
        hal_.metric_add("kernel.bad_requests", 1);
        return err::kSrch;
    }
    switch (number) {
    case KUT_SYS_YIELD:
        return sched_.sys_yield(cpu, *t);
    case KUT_SYS_SLEEP:
        return sched_.sys_sleep(cpu, *t, arg0);
    case KUT_SYS_BLOCK:
        return sched_.sys_block(cpu, *t);
    case KUT_SYS_WAKE:
        if (arg0 > UINT32_MAX) {
            return err::kSrch;
        }
        return sched_.sys_wake(cpu, static_cast<kut_task_id>(arg0));
    case KUT_SYS_EXIT:
        return sched_.sys_exit(cpu, *t);
    case KUT_SYS_THREAD_CREATE:
        return proc::thread_create(cpu, hal_, config_, sched_, arg0, arg1, arg2);
    case KUT_SYS_IRQ_WAIT:
        return irqs_.wait(cpu, *t, arg0);
    case KUT_SYS_IRQ_ACK:
        return irqs_.ack(cpu, arg0, arg1);
    default:
        hal_.log(cpu, KUT_LOG_WARN, "syscall: unknown number %u from task %u", number, task);
        hal_.metric_add("kernel.bad_requests", 1);
        return err::kNoSys;
    }
}

} // namespace kut
