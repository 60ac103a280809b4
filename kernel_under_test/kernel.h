// kernel.h - the reference kernel: one object holding the drivers, the scheduler and the irq: scheme,
// behind the C entry table of entry.cpp (include/kut/guest.h).
#pragma once

#include "arch/x86/calibration.h"
#include "arch/x86/hpet.h"
#include "arch/x86/ioapic.h"
#include "arch/x86/lapic.h"
#include "arch/x86/pic.h"
#include "arch/x86/pit.h"
#include "arch/x86/tick_timer.h"
#include "config.h"
#include "hal_access.h"
#include "irq/irq_scheme.h"
#include "sched/scheduler.h"

#include <cstdint>

namespace kut {

// The SIPI vector: the AP trampoline page at 0x8000 (vector << 12).
inline constexpr std::uint8_t kSipiVector = 0x08;

class Kernel {
  public:
    Kernel(const kut_hal* hal, const KernelConfig& config);
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    void boot(std::uint32_t cpu);
    void ap_start(std::uint32_t cpu, std::uint8_t vector);
    void interrupt(std::uint32_t cpu, std::uint8_t vector);
    std::int64_t syscall(std::uint32_t cpu, kut_task_id task, std::uint32_t number, std::uint64_t arg0,
                         std::uint64_t arg1, std::uint64_t arg2);
    void task_new(std::uint32_t cpu, kut_task_id task, std::int32_t task_class, std::int32_t level);
    void idle(std::uint32_t cpu);

    const KernelConfig& config() const { return config_; }
    const x86::TickTimer& timer() const { return timer_; }
    const x86::Calibration& calibration() const { return calibration_; }
    sched::Scheduler& scheduler() { return sched_; }
    irq::IrqScheme& irq_scheme() { return irqs_; }
    const x86::Lapic& lapic() const { return lapic_; }
    std::uint32_t bsp() const { return bsp_; }

  private:
    void select_apic_mode(std::uint32_t cpu);
    void start_aps(std::uint32_t cpu);                // arch/x86/smp.cpp
    void legacy_irq(std::uint32_t cpu, unsigned irq); // arch/x86/idt.cpp
    void timer_irq0(std::uint32_t cpu);               // arch/x86/idt.cpp
    void lapic_timer(std::uint32_t cpu);              // arch/x86/idt.cpp
    void unexpected(std::uint32_t cpu, std::uint8_t vector, const char* why, bool eoi);
    bool valid_cpu(std::uint32_t cpu, const char* entry) const;

    Hal hal_;
    KernelConfig config_;
    x86::Lapic lapic_;
    x86::Pic pic_;
    x86::Ioapic ioapic_;
    x86::Pit pit_;
    x86::Hpet hpet_;
    x86::TickTimer timer_;
    x86::Calibration calibration_;
    sched::Scheduler sched_;
    irq::IrqScheme irqs_;
    x86::IrqController* controller_ = nullptr;
    bool booted_ = false;
    bool tsc_deadline_ok_ = false;
    std::uint32_t bsp_ = 0;
};

} // namespace kut

namespace kut {
// The kernel behind the entry table (null before a successful init); for the unit tests.
Kernel* current_kernel();
} // namespace kut
