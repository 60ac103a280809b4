// irq_scheme.h - the irq: scheme's semantics (redox-kernel.md §3 "irq: scheme", "Legacy device IRQs",
// "MSI/extended vectors").
//
//   delivery  legacy device line (5-11, 13-15): mask the line (PIC IMR or IOAPIC RTE), COUNTS[irq]++,
//             wake the waiters, EOI. Lines the kernel handles itself (1, 3, 4, 12) are counted without
//             masking. MSI/MSI-X vectors (irq >= 16): count, wake, EOI, never masked.
//   IRQ_WAIT  the non-blocking read: returns COUNTS[irq] when it differs from the last ack, else the
//             task blocks (waiting = subscribing through the event queue) and the call returns 0; the
//             task calls again when it runs, and then gets the count.
//   IRQ_ACK   the write of the count just read: stores it as the ack and unmasks a legacy line
//             (returns 8, the bytes written); a stale count returns 0 and leaves the line masked.
#pragma once

#include "arch/x86/irq_controller.h"
#include "arch/x86/vectors.h"
#include "hal_access.h"
#include "sched/scheduler.h"

#include <array>
#include <cstdint>
#include <vector>

namespace kut::irq {

// Legacy lines whose handler masks them until user space acks (redox-kernel.md §3).
inline constexpr bool masks_at_delivery(unsigned irq) {
    switch (irq) {
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
    case 13:
    case 14:
    case 15:
        return true;
    default:
        return false;
    }
}

class IrqScheme {
  public:
    IrqScheme(const Hal* hal, sched::Scheduler* scheduler) : hal_(hal), scheduler_(scheduler) {}
    void set_controller(x86::IrqController* controller) { controller_ = controller; }

    // An interrupt for irq (vector - 32) taken on `cpu`; does the masking and counting, not the EOI.
    void deliver(std::uint32_t cpu, unsigned irq);

    std::int64_t wait(std::uint32_t cpu, sched::Task& task, std::uint64_t irq);
    std::int64_t ack(std::uint32_t cpu, std::uint64_t irq, std::uint64_t count);

    std::uint64_t count(unsigned irq) const { return irq < vec::kIrqCount ? counts_[irq] : 0; }

  private:
    const Hal* hal_;
    sched::Scheduler* scheduler_;
    x86::IrqController* controller_ = nullptr;
    std::array<std::uint64_t, vec::kIrqCount> counts_{};
    std::array<std::uint64_t, vec::kIrqCount> acks_{};
    std::array<std::vector<kut_task_id>, vec::kIrqCount> waiters_{};
};

} // namespace kut::irq
