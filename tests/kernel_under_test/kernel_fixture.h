// kernel_fixture.h - boots the reference kernel on a FakeHal and drives it like the host would.
#pragma once

#include "kernel.h"
#include "kut/guest.h"
#include "tests/kernel_under_test/fake_hal.h"

#include <gtest/gtest.h>

namespace kut_test {

class KernelTest : public ::testing::Test {
  protected:
    FakeHal hal{4};
    kut_config cfg = upstream_config(4);
    const kut_guest* guest = kut_guest_entry();
    kut::Kernel* kernel = nullptr;
    unsigned bsp_ticks = 0;

    void set_cpus(std::uint32_t cpus) {
        cfg.cpus = cpus;
        hal.cpus = cpus;
    }
    void init() {
        ASSERT_EQ(guest->init(&hal.table, &cfg), 0);
        kernel = kut::current_kernel();
        ASSERT_NE(kernel, nullptr);
    }
    // A task that exists before user space (initialises the kernel first if needed).
    void add(std::uint32_t cpu, kut_task_id id, kut_task_class cls, std::int32_t level) {
        if (kernel == nullptr) {
            init();
        }
        guest->task_new(cpu, id, cls, level);
    }
    // init (unless done) + boot on CPU 0 + every AP started (as the host does on SIPI).
    void boot() {
        if (kernel == nullptr) {
            init();
        }
        guest->boot(0);
        for (std::uint32_t cpu = 1; cpu < cfg.cpus; ++cpu) {
            guest->ap_start(cpu, kut::kSipiVector);
        }
    }
    kut::sched::Task* task(kut_task_id id) { return kernel->scheduler().find(id); }
    kut_task_id running(std::uint32_t cpu) { return hal.switched_to[cpu]; }
    std::int64_t sys(std::uint32_t cpu, std::uint32_t number, std::uint64_t a0 = 0, std::uint64_t a1 = 0,
                     std::uint64_t a2 = 0) {
        return guest->syscall(cpu, running(cpu), number, a0, a1, a2);
    }
    // The PIT/HPET tick n arrives at its exact time; vector 32 on the BSP.
    void bsp_tick() {
        ++bsp_ticks;
        hal.advance_to_ps(boot_ps_ + bsp_ticks * kernel->timer().period_ps());
        guest->interrupt(0, 32);
    }
    void mark_boot_time() { boot_ps_ = hal.now_ps(); }

  private:
    std::uint64_t boot_ps_ = 0;
};

} // namespace kut_test
