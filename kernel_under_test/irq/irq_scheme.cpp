#include "irq/irq_scheme.h"

#include "costs.h"
#include "kerrno.h"

namespace kut::irq {

void IrqScheme::deliver(std::uint32_t cpu, unsigned irq) {
    if (irq >= vec::kIrqCount) {
        return;
    }
    hal_->spend(cpu, costs::kIrqTrigger);
    if (irq < 16 && masks_at_delivery(irq) && controller_ != nullptr) {
        controller_->mask(cpu, irq);
    }
    ++counts_[irq];
    std::vector<kut_task_id> waiters;
    waiters.swap(waiters_[irq]);
    for (const kut_task_id id : waiters) {
        if (sched::Task* task = scheduler_->find(id);
            task != nullptr && task->state == sched::TaskState::irq_wait) {
            scheduler_->make_ready(cpu, *task);
        }
    }
}

std::int64_t IrqScheme::wait(std::uint32_t cpu, sched::Task& task, std::uint64_t irq) {
    if (irq >= vec::kIrqCount) {
        return err::kInval;
    }
    hal_->spend(cpu, costs::kIrqSchemeOp);
    if (counts_[irq] != acks_[irq]) {
        return static_cast<std::int64_t>(counts_[irq]);
    }
    waiters_[irq].push_back(task.id);
    scheduler_->block_current(cpu, task, sched::TaskState::irq_wait);
    return 0;
}

std::int64_t IrqScheme::ack(std::uint32_t cpu, std::uint64_t irq, std::uint64_t count) {
    if (irq >= vec::kIrqCount) {
        return err::kInval;
    }
    hal_->spend(cpu, costs::kIrqSchemeOp);
    if (count != counts_[irq]) {
        return 0; // stale: stays masked
    }
    acks_[irq] = count;
    if (irq < 16 && masks_at_delivery(static_cast<unsigned>(irq)) && controller_ != nullptr &&
        controller_->masked(static_cast<unsigned>(irq))) {
        controller_->unmask(cpu, static_cast<unsigned>(irq));
    }
    return 8;
}

} // namespace kut::irq
