// `x86sim run --trace perfetto,vcd`: records a run's interrupt path and wires while it runs.
//
// Perfetto (DIR/trace.json, Chrome trace-event JSON; chrome_trace_writer.h):
//   process "CPUs", per CPU i two tracks:
//     "cpuI"        interrupt handler spans "irq_handler vec=0xVV" (HandlerEntry -> HandlerExit, the
//                   ftrace irq_handler_entry/irq_handler_exit pair) and instants for the LAPIC hops on
//                   that CPU: irr-set, coalesced, acknowledge, spurious, eoi, rejected, nmi, init, startup
//     "cpuI tasks"  task spans named as the workload names its tasks ("hog.0", "pp.a0", a threads
//                   entry's spawner by its name, threads it creates "thread N"), from the CPU model's
//                   task-switch hook at the exact simulated time of each switch; the idle context is a
//                   gap, as the swapper is in ftrace-based views, so a busy CPU reads as a solid bar.
//                   Every switch is also one instant "sched_switch" with ftrace's fields in args
//                   (prev_comm, prev_pid, next_comm, next_pid; idle is "idle", pid 0), so the number
//                   of sched_switch instants equals guest.switches of the same run (plus one per task
//                   that exited without switching away).
//   process "devices": one track per source: "timers" (timer-expiry: pit, hpet, cpuN LAPIC timers),
//     "ioapic" (ioapic-delivery), "msi" (device-message, remap), "ipi" (ipi).
//   Every hop is exactly one event, so counts match the metrics of the same run (irr-set instants =
//   irq.delivered, coalesced = irq.coalesced, pit timer-expiry = pit.fires).
// VCD (DIR/trace.vcd; vcd_writer.h): cpuI.intr (the LAPIC's INTR output, sampled after every hop -
//   INTR changes only on IRR/ISR/TPR changes, which hops accompany except TPR writes), pit.out0,
//   pic.int (8259 INT -> LINT0), hpet.irq0/irq8 and ioapic.pinN inputs driven by the HPET when it is
//   enabled. No PCI INTx lines exist in this build's platform.
#pragma once

#include "models/common/interrupt_path.h"
#include "models/common/irq_line.h"
#include "sim/cpu/task_switch_observer.h"
#include "sim/trace/chrome_trace_writer.h"
#include "sim/trace/trace_error.h"
#include "sim/trace/vcd_writer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace x86sim::scenario {
struct Config;
}

namespace x86sim::sim {
class Platform;
}

namespace x86sim::trace {

struct TraceOptions {
    bool perfetto = false;
    bool vcd = false;
    std::string directory = "."; // trace.json / trace.vcd go here
};

// Parses "--trace" values ("perfetto", "vcd"); returns "" or the error message.
std::string parse_trace_formats(const std::vector<std::string>& formats, TraceOptions& options);

class TraceRecorder : public models::InterruptPathObserver, public sim::cpu::TaskSwitchObserver {
  public:
    // Opens the files and attaches to the platform (observer + wire taps). Throws std::runtime_error
    // when a file cannot be written.
    TraceRecorder(sim::Platform& platform, const TraceOptions& options);
    ~TraceRecorder() override;

    void on_hop(const models::InterruptHop& hop) override;
    void on_task_switch(unsigned cpu, kut_task_id from, const std::string& from_name, kut_task_id to,
                        const std::string& to_name, std::uint64_t time_ps) override;
    // Closes open spans at `end_ps` and completes the files. Does not touch the platform (it may be gone).
    void finish(std::uint64_t end_ps);

    std::uint64_t trace_events() const { return json_ ? json_->events() : 0; }
    std::uint64_t vcd_changes() const { return vcd_ ? vcd_->changes() : 0; }
    std::uint64_t task_switches() const { return task_switches_; }

  private:
    class WireTap;
    void wire_changed(std::size_t signal, bool level);
    void sample_cpu(unsigned cpu, std::uint64_t time_ps);

    sim::Platform& platform_;
    std::unique_ptr<ChromeTraceWriter> json_;
    std::unique_ptr<VcdWriter> vcd_;
    std::vector<std::unique_ptr<WireTap>> taps_;
    std::vector<std::size_t> intr_signal_;
    std::vector<bool> intr_level_;
    std::vector<int> open_handlers_;  // per CPU: nesting depth of irq handler spans
    std::vector<std::uint32_t> task_; // per CPU: task of the open task span (0: idle, no span)
    std::uint64_t task_switches_ = 0;
    std::uint64_t last_time_ps_ = 0;
    bool finished_ = false;
};

} // namespace x86sim::trace
