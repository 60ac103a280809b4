/* guest.h - host -> guest entry points (design/GUEST-MODEL.md).
 *
 * A guest library exports one symbol, `kut_guest_entry`, returning its table. The host checks the
 * ABI version and that every entry point is present before the simulation starts, and names what is
 * missing. Every entry runs on the simulated CPU's own thread and runs to completion: to "block", the
 * guest picks the next context and calls hal->switch_to, then returns. */
#ifndef KUT_GUEST_H
#define KUT_GUEST_H

#include <stdint.h>

#include "kut/abi.h"
#include "kut/hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The kernel's configuration switches (SCENARIOS.md `kernel:`): every "before" and "after" of the plan. */
enum kut_tick_source { KUT_TICK_PIT = 0, KUT_TICK_HPET = 1, KUT_TICK_LAPIC = 2 };
enum kut_tick_mode { KUT_TICK_PERIODIC = 0, KUT_TICK_ONESHOT = 1, KUT_TICK_TSC_DEADLINE = 2 };
enum kut_sched_lock { KUT_LOCK_GLOBAL = 0, KUT_LOCK_PER_CPU = 1 };
enum kut_sched_balance { KUT_BALANCE_NONE = 0, KUT_BALANCE_WORK_STEALING = 1 };
enum kut_sched_wakeup { KUT_WAKEUP_LAZY_IPI = 0, KUT_WAKEUP_TARGETED = 1 };
enum kut_irq_delivery { KUT_IRQ_INTX = 0, KUT_IRQ_MSI = 1, KUT_IRQ_MSIX = 2 };
enum kut_thread_create { KUT_THREAD_CREATE_UPSTREAM = 0, KUT_THREAD_CREATE_IPC3 = 1, KUT_THREAD_CREATE_IPC2 = 2 };

typedef struct kut_config {
    uint32_t size; /* sizeof(kut_config) */
    uint32_t cpus;
    uint64_t cpu_hz;        /* core clock (for converting declared costs) */
    int32_t tick_source;    /* enum kut_tick_source */
    int32_t tick_mode;      /* enum kut_tick_mode (lapic only) */
    uint64_t tick_hz;       /* 0 = the kernel's default for the source */
    uint32_t pit_divisor;   /* 0 = derive from tick_hz (or the upstream 4847) */
    int32_t sched_lock;     /* enum kut_sched_lock */
    int32_t sched_balance;  /* enum kut_sched_balance */
    uint32_t switch_ticks;  /* ticks per time slice */
    int32_t sched_wakeup;   /* enum kut_sched_wakeup */
    int32_t irq_delivery;   /* enum kut_irq_delivery */
    int32_t thread_create;  /* enum kut_thread_create */
    int32_t use_x2apic;     /* 1: firmware left the LAPICs in x2APIC mode */
    int32_t have_hpet;      /* 1: ACPI describes an HPET at 0xFED00000 */
    int32_t have_ioapic;    /* 1: an IOAPIC at 0xFEC00000 */
} kut_config;

/* Scheduling class of a task: normal (nice -20..19) or real time (priority 0..9, FIFO or RR). */
enum kut_task_class { KUT_CLASS_NORMAL = 0, KUT_CLASS_RT_FIFO = 1, KUT_CLASS_RT_RR = 2 };

/* System calls a simulated user task makes (sim/workload). */
enum kut_syscall {
    KUT_SYS_YIELD = 0,         /* give up the CPU, stay runnable */
    KUT_SYS_SLEEP = 1,         /* arg0 = picoseconds; runnable again at the first tick after that time */
    KUT_SYS_BLOCK = 2,         /* not runnable until another task wakes it */
    KUT_SYS_WAKE = 3,          /* arg0 = task to make runnable (no effect if it already is) */
    KUT_SYS_EXIT = 4,          /* the task ends */
    KUT_SYS_THREAD_CREATE = 5, /* arg0 = new task id (allocated by the host), arg1 = class, arg2 = level */
    KUT_SYS_IRQ_WAIT = 6,      /* arg0 = irq number: block until its count changes */
    KUT_SYS_IRQ_ACK = 7,       /* arg0 = irq number, arg1 = count read: unmask (upstream irq: semantics) */
};

typedef struct kut_guest {
    uint32_t abi_version; /* KUT_ABI_VERSION the guest was built against */
    uint32_t size;        /* sizeof(kut_guest) */
    const char* name;

    /* Called once before any CPU runs. Returns 0, or nonzero with a message through hal->log. */
    int (*init)(const kut_hal* hal, const kut_config* config);
    /* The BSP's boot: LAPIC, PIC/IOAPIC, tick source, calibration, then INIT-SIPI-SIPI to the APs. */
    void (*boot)(uint32_t cpu);
    /* An AP was started by SIPI (vector = the SIPI vector). */
    void (*ap_start)(uint32_t cpu, uint8_t vector);
    /* Interrupt entry: the CPU acknowledged `vector`. Runs with IF = 0 unless the handler calls sti. */
    void (*interrupt)(uint32_t cpu, uint8_t vector);
    /* A task running on `cpu` made a system call. Returns the call's result (0 = ok). */
    int64_t (*syscall)(uint32_t cpu, kut_task_id task, uint32_t number, uint64_t arg0, uint64_t arg1,
                       uint64_t arg2);
    /* A task that exists before user space starts (the scenario's workload), made runnable on `cpu`. */
    void (*task_new)(uint32_t cpu, kut_task_id task, int32_t task_class, int32_t level);
    /* The CPU has nothing to run (the idle context was selected): the idle loop body; usually ends in
     * hal->hlt. Returning lets the host call it again after the next interrupt. */
    void (*idle)(uint32_t cpu);
} kut_guest;

/* Exported by every guest library. */
const kut_guest* kut_guest_entry(void);

#ifdef __cplusplus
}
#endif

#endif
