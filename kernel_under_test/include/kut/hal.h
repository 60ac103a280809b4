/* hal.h - guest -> host calls (design/GUEST-MODEL.md, ARCHITECTURE.md "The guest boundary").
 *
 * Plain C so that a guest written in C, C++ or Rust can use it. The host passes a filled kut_hal table
 * to the guest's init entry; the guest calls through it. Every call that reaches hardware is a
 * simulated access whose cost is charged to the calling CPU in simulated time; calls marked
 * "instrumentation" cost nothing and exist so the kernel can report what it measures.
 *
 * `cpu` arguments are the logical CPU index the guest is running on (the host checks it: a guest may
 * only act as the CPU whose entry point it is executing). */
#ifndef KUT_HAL_H
#define KUT_HAL_H

#include <stddef.h>
#include <stdint.h>

#include "kut/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A context the host can run: a simulated user task (its host-side id, >= 1) or the CPU's idle loop. */
typedef uint32_t kut_task_id;
#define KUT_IDLE_TASK 0u

typedef uint32_t kut_lock_id;

enum kut_log_level { KUT_LOG_TRACE = 0, KUT_LOG_DEBUG = 1, KUT_LOG_INFO = 2, KUT_LOG_WARN = 3, KUT_LOG_ERROR = 4 };

/* Result of a rdmsr/wrmsr: 0 ok, KUT_GP when the hardware would raise #GP. */
#define KUT_OK 0
#define KUT_GP (-1)

typedef struct kut_hal {
    uint32_t abi_version; /* KUT_ABI_VERSION of the host */
    uint32_t size;        /* sizeof(kut_hal) of the host */
    void* host;           /* opaque, passed back as the first argument of every call */

    /* Memory-mapped I/O, CPU-side (LAPIC window, IOAPIC, HPET, ECAM, RAM). size = 1, 2, 4 or 8. */
    uint64_t (*mmio_read)(void* host, uint32_t cpu, uint64_t address, uint32_t size);
    void (*mmio_write)(void* host, uint32_t cpu, uint64_t address, uint32_t size, uint64_t value);
    /* Port I/O. size = 1, 2 or 4. */
    uint32_t (*port_in)(void* host, uint32_t cpu, uint16_t port, uint32_t size);
    void (*port_out)(void* host, uint32_t cpu, uint16_t port, uint32_t size, uint32_t value);
    /* MSRs of the calling CPU: IA32_APIC_BASE, x2APIC 0x800-0x8FF, IA32_TSC_DEADLINE, IA32_TSC. */
    int (*rdmsr)(void* host, uint32_t cpu, uint32_t index, uint64_t* value);
    int (*wrmsr)(void* host, uint32_t cpu, uint32_t index, uint64_t value);
    /* CPUID leaf/subleaf of the calling CPU: out[0..3] = EAX, EBX, ECX, EDX. */
    void (*cpuid)(void* host, uint32_t cpu, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
    /* The calling CPU's TSC, including the time the guest has spent so far. */
    uint64_t (*rdtsc)(void* host, uint32_t cpu);

    /* Interrupt flag and halt. hlt returns after an interrupt has been taken (IF must be 1). */
    void (*cli)(void* host, uint32_t cpu);
    void (*sti)(void* host, uint32_t cpu);
    int (*interrupts_enabled)(void* host, uint32_t cpu);
    void (*hlt)(void* host, uint32_t cpu);

    /* Declared cost of guest code: `cycles` core cycles of the calling CPU. */
    void (*spend)(void* host, uint32_t cpu, uint64_t cycles);

    /* Spin locks contended in simulated time (FIFO by arrival, ties by CPU index). create once at boot;
     * `name` is used for metrics ("sched" locks are counted in sched.lock_wait). */
    kut_lock_id (*lock_create)(void* host, const char* name);
    void (*spin_lock)(void* host, uint32_t cpu, kut_lock_id lock);
    void (*spin_unlock)(void* host, uint32_t cpu, kut_lock_id lock);
    int (*spin_trylock)(void* host, uint32_t cpu, kut_lock_id lock); /* 1 acquired, 0 held by another */

    /* Physical memory: allocate `size` bytes aligned to `align` (power of two) from simulated RAM;
     * returns the physical address, 0 when out of memory. host_pointer gives direct access. */
    uint64_t (*phys_alloc)(void* host, uint64_t size, uint64_t align);
    void* (*host_pointer)(void* host, uint64_t physical, uint64_t size);

    /* Ask the host to run `task` on this CPU when the current entry point returns (the last request
     * of an entry wins). A task may run on one CPU at a time; the host refuses (and counts) a task
     * that is running elsewhere. */
    void (*switch_to)(void* host, uint32_t cpu, kut_task_id task);

    /* Instrumentation (no simulated cost). */
    uint64_t (*now_ps)(void* host);                                /* simulated time */
    void (*log)(void* host, uint32_t cpu, int level, const char* message);
    void (*metric_add)(void* host, const char* name, uint64_t delta); /* counter */
    void (*metric_set)(void* host, const char* name, double value);   /* gauge */
    void (*metric_sample)(void* host, const char* name, uint64_t picoseconds); /* latency histogram */
} kut_hal;

#ifdef __cplusplus
}
#endif

#endif
