// The guest side of one run (scenarios with `kernel:`): the HAL (sim/guest), the workload's tasks
// (sim/workload) and the CPUs that run them (sim/cpu), wired to the platform.
//
// Before the simulation starts: the guest table is checked (guest_library.h), the workload is built,
// every CPU is attached, and guest->init runs with the kut_config made from the scenario. Then the BSP's
// thread calls guest->boot at t = 0; APs start when the guest sends them INIT and SIPI.
//
// Metrics it adds at the end: cpuN.{busy,user,irq_time,idle,...}, irq.latency, guest.*, lock.*,
// sched.lock_wait, workload.*, and two derived from what the guest reports:
//   sched.tick_hz                 = guest counter "sched.ticks" / cpus / simulated seconds
//   kernel.calibration.error_ppm  = |guest gauge "kernel.calibration.lapic_timer_hz" - the LAPIC timer's
//                                   true input clock (platform.lapic.timer_clock)| / true * 1e6
#pragma once

#include "kut/guest.h"
#include "sim/cpu/task_table.h"
#include "sim/guest/guest_host.h"
#include "sim/metrics/registry.h"
#include "sim/platform/platform.h"
#include "sim/scenario/config.h"
#include "sim/workload/workload.h"

#include <memory>
#include <string>

namespace x86sim::sim {

class GuestSession {
  public:
    // `guest` nullptr: the reference kernel linked into this binary. Throws scenario::ScenarioError (at
    // `kernel:`) when there is no usable guest or its init refuses the configuration, and for workloads
    // this build cannot run.
    GuestSession(const scenario::Config& config, Platform& platform, metrics::Registry& registry,
                 const kut_guest* guest, const std::string& guest_name);

    const kut_guest& guest() const { return *guest_; }
    void report_metrics(metrics::Registry& registry, std::uint64_t end_ps) const;

  private:
    const scenario::Config& config_;
    Platform& platform_;
    const kut_guest* guest_ = nullptr;
    cpu::TaskTable tasks_;
    std::unique_ptr<workload::Workload> workload_;
    std::unique_ptr<guest::GuestHost> host_;
    kut_config kernel_config_{};
};

} // namespace x86sim::sim
