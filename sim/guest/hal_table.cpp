#include "sim/guest/hal_table.h"

#include "sim/guest/guest_host.h"

namespace x86sim::sim::guest {

namespace {

GuestHost& self(void* host) {
    return *static_cast<GuestHost*>(host);
}

uint64_t hal_mmio_read(void* host, uint32_t cpu, uint64_t address, uint32_t size) {
    return self(host).mmio_read(cpu, address, size);
}
void hal_mmio_write(void* host, uint32_t cpu, uint64_t address, uint32_t size, uint64_t value) {
    self(host).mmio_write(cpu, address, size, value);
}
uint32_t hal_port_in(void* host, uint32_t cpu, uint16_t port, uint32_t size) {
    return self(host).port_in(cpu, port, size);
}
void hal_port_out(void* host, uint32_t cpu, uint16_t port, uint32_t size, uint32_t value) {
    self(host).port_out(cpu, port, size, value);
}
int hal_rdmsr(void* host, uint32_t cpu, uint32_t index, uint64_t* value) {
    return self(host).rdmsr(cpu, index, value);
}
int hal_wrmsr(void* host, uint32_t cpu, uint32_t index, uint64_t value) {
    return self(host).wrmsr(cpu, index, value);
}
void hal_cpuid(void* host, uint32_t cpu, uint32_t leaf, uint32_t subleaf, uint32_t out[4]) {
    self(host).cpuid(cpu, leaf, subleaf, out);
}
uint64_t hal_rdtsc(void* host, uint32_t cpu) {
    return self(host).rdtsc(cpu);
}
void hal_cli(void* host, uint32_t cpu) {
    self(host).cli(cpu);
}
void hal_sti(void* host, uint32_t cpu) {
    self(host).sti(cpu);
}
int hal_interrupts_enabled(void* host, uint32_t cpu) {
    return self(host).interrupts_enabled(cpu);
}
void hal_hlt(void* host, uint32_t cpu) {
    self(host).hlt(cpu);
}
void hal_spend(void* host, uint32_t cpu, uint64_t cycles) {
    self(host).spend(cpu, cycles);
}
kut_lock_id hal_lock_create(void* host, const char* name) {
    return self(host).lock_create(name);
}
void hal_spin_lock(void* host, uint32_t cpu, kut_lock_id lock) {
    self(host).spin_lock(cpu, lock);
}
void hal_spin_unlock(void* host, uint32_t cpu, kut_lock_id lock) {
    self(host).spin_unlock(cpu, lock);
}
int hal_spin_trylock(void* host, uint32_t cpu, kut_lock_id lock) {
    return self(host).spin_trylock(cpu, lock);
}
uint64_t hal_phys_alloc(void* host, uint64_t size, uint64_t align) {
    return self(host).phys_alloc(size, align);
}
void* hal_host_pointer(void* host, uint64_t physical, uint64_t size) {
    return self(host).host_pointer(physical, size);
}
void hal_switch_to(void* host, uint32_t cpu, kut_task_id task) {
    self(host).switch_to(cpu, task);
}
uint64_t hal_now_ps(void* host) {
    return self(host).now_ps();
}
void hal_log(void* host, uint32_t cpu, int level, const char* message) {
    self(host).log(cpu, level, message);
}
void hal_metric_add(void* host, const char* name, uint64_t delta) {
    self(host).metric_add(name, delta);
}
void hal_metric_set(void* host, const char* name, double value) {
    self(host).metric_set(name, value);
}
void hal_metric_sample(void* host, const char* name, uint64_t picoseconds) {
    self(host).metric_sample(name, picoseconds);
}

} // namespace

kut_hal make_hal_table(GuestHost& host) {
    kut_hal hal{};
    hal.abi_version = KUT_ABI_VERSION;
    hal.size = sizeof(kut_hal);
    hal.host = &host;
    hal.mmio_read = hal_mmio_read;
    hal.mmio_write = hal_mmio_write;
    hal.port_in = hal_port_in;
    hal.port_out = hal_port_out;
    hal.rdmsr = hal_rdmsr;
    hal.wrmsr = hal_wrmsr;
    hal.cpuid = hal_cpuid;
    hal.rdtsc = hal_rdtsc;
    hal.cli = hal_cli;
    hal.sti = hal_sti;
    hal.interrupts_enabled = hal_interrupts_enabled;
    hal.hlt = hal_hlt;
    hal.spend = hal_spend;
    hal.lock_create = hal_lock_create;
    hal.spin_lock = hal_spin_lock;
    hal.spin_unlock = hal_spin_unlock;
    hal.spin_trylock = hal_spin_trylock;
    hal.phys_alloc = hal_phys_alloc;
    hal.host_pointer = hal_host_pointer;
    hal.switch_to = hal_switch_to;
    hal.now_ps = hal_now_ps;
    hal.log = hal_log;
    hal.metric_add = hal_metric_add;
    hal.metric_set = hal_metric_set;
    hal.metric_sample = hal_metric_sample;
    return hal;
}

} // namespace x86sim::sim::guest
