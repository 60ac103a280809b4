// One simulated logical CPU with its LAPIC (ARCHITECTURE.md "cpu/", design/GUEST-MODEL.md).
//
// One SC_THREAD per CPU, with a 1 MiB stack: guest entry points are plain native calls made from it, and
// a HAL call made by guest code may wait() on it (locks, hlt, device accesses that synchronise).
//
// The CPU loop (GUEST-MODEL.md "Interrupts"), once the CPU runs (BSP from t = 0, an AP after INIT then
// SIPI, calling guest->boot / guest->ap_start, then guest->task_new for its share of the workload):
//   1. return to the selected context with IF = 1 (user mode and the idle loop run interruptible);
//   2. while IF = 1 and the LAPIC asserts INTR: synchronise, acknowledge (IRR -> ISR), charge the entry
//      cost, call guest->interrupt(cpu, vector) with IF = 0, charge the exit cost, restore IF;
//   3. a user task: run what is left of its burst, waiting in simulated time until the burst ends or
//      INTR rises, whichever is first; an interrupt cuts the burst at exactly its arrival and the
//      remainder is kept (TaskTable). At the end of a burst the task's behaviour (UserTasks) gives its
//      next step: another burst or a system call, made with IF = 0 between the syscall entry and exit
//      costs (FMASK clears IF, as in Linux and Redox);
//   4. the idle context: call guest->idle(cpu) with IF = 1. If it returns without an interrupt having
//      been taken and without selecting a task, the CPU halts until the next interrupt (so an idle body
//      that never calls hlt cannot spin in zero simulated time), then loops.
//
// Time (GUEST-MODEL.md "Time"): costs are added to the CPU's local time, an offset ahead of the SystemC
// kernel's time (temporal decoupling). After every cost, and before every device access, lock operation
// and task switch, the CPU synchronises (sync()): guest code shares kernel memory between CPUs outside
// the HAL, so it must never run at a local time that something else in the simulation is still due
// before. sync() does not always wait: when nothing at all is pending before the local time (and the
// offset is within the quantum, and the run allows it: set_run_ahead_limit_ps), no other process can run
// or observe anything in between, so the CPU carries on at once and devices see its local time
// (models::now_ps() includes the offset while it runs ahead; models schedule with models::notify_at).
// That is exact - the same accesses at the same times in the same order as waiting first - and it is
// what makes an idle tick cost no extra thread switch. Otherwise sync() waits the offset out (and, after
// refusals in a row, waits without asking for the next few times: asking is not free). So the
// quantum only bounds how far a CPU runs ahead of the kernel's time (0 = never: wait after every cost);
// functional results and metrics do not depend on it (tested with 0, 1 and 10 us).

// Interruptible points: with IF = 1 every HAL call first synchronises and takes pending interrupts (an
// instruction boundary); spend() with IF = 1 is cut by an interrupt at its exact arrival; hlt halts until
// INTR. With IF = 0 nothing is accepted (a handler nests only after it calls sti, and the LAPIC's
// priority logic decides what INTR means). hlt behaves as the `sti; hlt` pair: an interrupt already
// pending ends it at once (the STI shadow), so the idle race of checking for work then halting cannot
// lose a wake-up. hlt with IF = 0 stops the CPU for good, as on hardware (counted, logged).
//
// Not modelled: NMI and SMI delivery to the guest (counted only); INIT to a running CPU (counted and
// ignored: the native guest stack cannot be reset).
#pragma once

#include "kut/guest.h"
#include "models/common/apic_bus.h"
#include "models/common/clock_domain.h"
#include "models/common/interrupt_path.h"
#include "models/common/metric_sink.h"
#include "models/common/time.h"
#include "models/lapic/lapic.h"
#include "sim/cpu/cpu_accounting.h"
#include "sim/cpu/cpu_costs.h"
#include "sim/cpu/task_switch_observer.h"
#include "sim/cpu/task_table.h"
#include "sim/cpu/user_tasks.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <systemc>
#include <tlm>

namespace x86sim::sim::cpu {

struct CpuConfig {
    unsigned index = 0;
    bool bsp = false;
    std::uint64_t frequency_hz = 3'000'000'000;
    CpuCosts costs;
};

// What a CPU needs to run guest code; without it (no `kernel:`) the CPU never acknowledges anything.
struct CpuEnvironment {
    const kut_guest* guest = nullptr;
    UserTasks* user = nullptr; // may be null: no workload
    TaskTable* tasks = nullptr;
};

struct CpuStats {
    std::uint64_t interrupts = 0; // handler entries
    std::uint64_t syscalls = 0;
    std::uint64_t max_nesting = 0;
    std::uint64_t inits = 0;
    std::uint64_t sipis = 0;
    std::uint64_t init_sipi_ignored = 0; // INIT to a running CPU, SIPI outside wait-for-SIPI
    std::uint64_t nmis = 0;
    std::uint64_t smis = 0;
    std::uint64_t hlt_with_if_clear = 0;
    std::uint64_t exit_without_switch = 0; // the guest kept an exited task selected
};

class Cpu : public sc_core::sc_module, public models::CpuInterruptPins {
  public:
    SC_HAS_PROCESS(Cpu);
    Cpu(sc_core::sc_module_name name, const CpuConfig& config, models::Lapic& lapic);

    // Before the simulation starts.
    void attach(const CpuEnvironment& environment) { env_ = environment; }
    void set_observer(models::InterruptPathObserver* observer) { observer_.set(observer); }
    void set_task_observer(TaskSwitchObserver* observer) { task_observer_ = observer; }
    void set_end_ps(std::uint64_t end_ps) { accounting_.set_end_ps(end_ps); }

    // CpuInterruptPins (driven by the LAPIC).
    void intr_changed(bool asserted) override;
    void nmi() override { ++stats_.nmis; }
    void smi() override { ++stats_.smis; }
    void init() override;
    void startup(std::uint8_t vector) override;

    // ---- for the HAL; called on this CPU's own thread (on_own_thread()) ----
    bool on_own_thread() const { return running_ == this; }
    // The CPU whose thread is running, or nullptr when another process (or none) runs.
    static Cpu* running() { return running_; }
    unsigned index() const { return config_.index; }
    const CpuCosts& costs() const { return config_.costs; }
    const models::ClockDomain& clock() const { return clock_; }
    models::Lapic& lapic() { return lapic_; }
    // SystemC time plus the local offset.
    std::uint64_t local_time_ps() const;
    // Waits out the local offset.
    void sync() {
        if (offset_ps_ == 0) {
            models::detail::access_ahead_ps = 0;
            return;
        }
        // The common case, inline: running ahead already known to be exact up to clear_until_ps_.
        if (offset_ps_ <= quantum_ps_ &&
            models::kernel_now_ps() + offset_ps_ <
                std::min({clear_until_ps_, models::detail::earliest_notification_ps, run_ahead_limit_ps_})) {
            models::detail::access_ahead_ps = offset_ps_;
            return;
        }
        sync_slow();
    }
    // Adds a cost to the local time (synchronising when the quantum is used up).
    // Guest code reads and writes kernel memory shared between CPUs between HAL calls, so it must run at a
    // time nothing else can be earlier than: after every cost, run ahead if that is exact, else wait.
    void charge_ps(std::uint64_t picoseconds) {
        if (picoseconds != 0) {
            offset_ps_ += picoseconds;
            sync();
        }
    }
    void charge_cycles(std::uint64_t cycles) { charge_ps(clock_.duration_of(cycles)); }
    // An instruction boundary: with IF = 1, synchronise and take pending interrupts.
    void interruptible_point();
    // Declared guest work; with IF = 1 an interrupt cuts it at its arrival and it resumes after.
    void spend_cycles(std::uint64_t cycles);
    void cli();
    void sti();
    bool interrupts_enabled() const { return if_; }
    void hlt();
    // Synchronised wait until `ready()` holds, woken by `event`; with IF = 1 interrupts are taken while
    // waiting (a spin loop with interrupts enabled).
    void wait_for(const sc_core::sc_event& event, const std::function<bool()>& ready);
    // The guest put this CPU in a state it cannot leave (hlt with IF = 0, self-deadlock): stop for good.
    void stop_forever();
    kut_task_id current_task() const { return current_; }
    // Selects the context to run when the current entry returns (validated by the HAL).
    void select(kut_task_id task);

    // Running ahead (see sync()) is allowed only for local times before this limit: a run sets it to its
    // end so that nothing happens beyond the end, and it is 0 (never) by default and in the debugger,
    // whose stops and event numbers are defined at synchronised accesses.
    static void set_run_ahead_limit_ps(std::uint64_t limit_ps) { run_ahead_limit_ps_ = limit_ps; }
    static std::uint64_t run_ahead_limit_ps() { return run_ahead_limit_ps_; }

    // ---- results ----
    bool started() const { return started_; }
    const CpuStats& stats() const { return stats_; }
    const CpuAccounting& accounting() const { return accounting_; }
    // busy, user, irq_time, idle (fractions of `end_ps`), interrupts, syscalls, ... (relative names;
    // the platform prefixes "cpuN.").
    void report_metrics(models::MetricSink& sink, std::uint64_t end_ps) const;

  private:
    enum class StartState : std::uint8_t { WaitInit, WaitSipi, Started };

    void run();
    void dispatch();
    void run_user();
    void do_syscall(kut_task_id task, const UserStep& step);
    void take_interrupts();
    void deliver_interrupt();
    void halt_until_interrupt();
    // Every suspension of the CPU thread goes through these: they end any running ahead first.
    void wait_out_offset();
    void before_suspend();
    void sync_slow();
    void after_resume();
    void suspend_until(const sc_core::sc_event& event);
    // Waits until `duration_ps` after the local time `from_ps` or `event`; returns the time waited.
    std::uint64_t suspend_for(std::uint64_t from_ps, std::uint64_t duration_ps,
                              const sc_core::sc_event& event);
    void report_hop(models::HopKind kind, int vector) const;
    void set_current(kut_task_id task);

    static inline std::uint64_t run_ahead_limit_ps_ = 0;
    static inline Cpu* running_ = nullptr;

    CpuConfig config_;
    models::Lapic& lapic_;
    models::ClockDomain clock_;
    CpuEnvironment env_;
    models::HopSink observer_;
    TaskSwitchObserver* task_observer_ = nullptr;
    std::uint64_t offset_ps_ = 0;  // local time ahead of the kernel's time
    std::uint64_t quantum_ps_ = 0; // tlm_global_quantum, read when the thread starts: the most a
                                   // CPU runs ahead of the kernel's time
    std::uint32_t refused_run_ahead_streak_ = 0; // see sync_slow(): checks skipped after refusals
    std::uint32_t skipped_checks_left_ = 0;
    std::uint64_t clear_until_ps_ = 0; // nothing is pending in the simulation before this time, nor
                                       // before models::detail::earliest_notification_ps
    sc_core::sc_event intr_event_;
    sc_core::sc_event start_event_;
    sc_core::sc_event never_;
    StartState start_state_ = StartState::WaitInit;
    std::uint8_t sipi_vector_ = 0;
    bool started_ = false;
    bool if_ = false;
    unsigned irq_depth_ = 0;
    CpuState state_outside_irq_ = CpuState::Kernel;
    kut_task_id current_ = KUT_IDLE_TASK;
    std::uint64_t zero_steps_ = 0;
    CpuAccounting accounting_;
    CpuStats stats_;
};

} // namespace x86sim::sim::cpu
