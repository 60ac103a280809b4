// entry.cpp - the C entry table (include/kut/guest.h). One kernel instance per init().
#include "kernel.h"
#include "kut/guest.h"

#include <memory>

namespace {

std::unique_ptr<kut::Kernel> g_kernel;

int kut_init(const kut_hal* hal, const kut_config* config) {
    g_kernel.reset();
    if (hal == nullptr) {
        return 1;
    }
    const kut::Hal probe(hal);
    if (const char* missing = probe.missing_entry()) {
        if (hal->log != nullptr) {
            probe.log(0, KUT_LOG_ERROR, "init: the HAL table has no %s", missing);
        }
        return 1;
    }
    if (hal->abi_version != KUT_ABI_VERSION) {
        probe.log(0, KUT_LOG_ERROR, "init: host ABI version %u, guest built against %u", hal->abi_version,
                  KUT_ABI_VERSION);
        return 1;
    }
    kut::KernelConfig parsed;
    if (!kut::KernelConfig::from_abi(config, parsed)) {
        probe.log(0, KUT_LOG_ERROR, "init: no kernel configuration");
        return 1;
    }
    g_kernel = std::make_unique<kut::Kernel>(hal, parsed);
    return 0;
}

void kut_boot(uint32_t cpu) {
    if (g_kernel) {
        g_kernel->boot(cpu);
    }
}

void kut_ap_start(uint32_t cpu, uint8_t vector) {
    if (g_kernel) {
        g_kernel->ap_start(cpu, vector);
    }
}

void kut_interrupt(uint32_t cpu, uint8_t vector) {
    if (g_kernel) {
        g_kernel->interrupt(cpu, vector);
    }
}

int64_t kut_syscall(uint32_t cpu, kut_task_id task, uint32_t number, uint64_t arg0, uint64_t arg1,
                    uint64_t arg2) {
    return g_kernel ? g_kernel->syscall(cpu, task, number, arg0, arg1, arg2) : -38;
}

void kut_task_new(uint32_t cpu, kut_task_id task, int32_t task_class, int32_t level) {
    if (g_kernel) {
        g_kernel->task_new(cpu, task, task_class, level);
    }
}

void kut_idle(uint32_t cpu) {
    if (g_kernel) {
        g_kernel->idle(cpu);
    }
}

const kut_guest kGuest = {
    KUT_ABI_VERSION, sizeof(kut_guest), "x86sim reference kernel (Redox / Red Bear)",
    kut_init,        kut_boot,          kut_ap_start,
    kut_interrupt,   kut_syscall,       kut_task_new,
    kut_idle,
};

} // namespace

namespace kut {
// For the unit tests: the kernel behind the entry table (null before init).
Kernel* current_kernel() {
    return g_kernel.get();
}
} // namespace kut

extern "C" const kut_guest* kut_guest_entry(void) {
    return &kGuest;
}
