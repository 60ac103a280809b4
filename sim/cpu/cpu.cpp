#include "sim/cpu/cpu.h"

#include "models/common/time.h"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <string>

namespace x86sim::sim::cpu {

namespace {
// A behaviour that keeps asking for zero-length bursts would spin without simulated time passing.
constexpr std::uint64_t kMaxZeroSteps = 1'000'000;
constexpr std::size_t kStackBytes = 1U << 20; // GUEST-MODEL.md: a generous stack for native guest code
// The most running-ahead checks skipped after refused ones (sync_slow). Measured on the 4-CPU ping-pong
// (after-4cpu, 100 ms): 3.66 G instructions checking every time, 3.38 / 3.35 / 3.34 G with 8 / 32 / 128,
// 3.33 G never running ahead (quantum 0); the idle 4-CPU benchmark is the same for all of them.
constexpr std::uint32_t kMaxSkippedRunAheadChecks = 32;
} // namespace

Cpu::Cpu(sc_core::sc_module_name name, const CpuConfig& config, models::Lapic& lapic)
    : sc_module(name), config_(config), lapic_(lapic),
      clock_(std::string(sc_core::sc_module::name()) + ".core", config.frequency_hz) {
    if (config_.bsp) {
        start_state_ = StartState::Started;
    }
    SC_THREAD(run);
    set_stack_size(kStackBytes);
}

// ---- pins ----------------------------------------------------------------------------------------

void Cpu::intr_changed(bool asserted) {
    if (!asserted) {
        return;
    }
    // The CPU wakes at the same simulated time and reads the level itself. From a device's method at
    // the kernel's time (a timer expiry, an IOAPIC or MSI delivery) that is an immediate notification:
    // the CPU runs in the same evaluation phase, after the methods already triggered at this instant
    // (SystemC runs every runnable method before the threads), without a delta cycle of its own. From
    // a thread - another CPU, possibly running ahead - or from outside the simulation (tests), it is a
    // notification at the caller's time (models::notify_now).
    const auto* process = sc_core::sc_get_current_process_b();
    if (models::detail::access_ahead_ps == 0 && process != nullptr &&
        process->proc_kind() == sc_core::SC_METHOD_PROC_) {
        models::detail::earliest_notification_ps =
            std::min(models::detail::earliest_notification_ps, models::kernel_now_ps());
        intr_event_.notify();
    } else {
        models::notify_now(intr_event_);
    }
}

void Cpu::init() {
    ++stats_.inits;
    if (start_state_ == StartState::WaitInit) {
        start_state_ = StartState::WaitSipi;
    } else if (start_state_ == StartState::Started) {
        ++stats_.init_sipi_ignored;
    }
}

void Cpu::startup(std::uint8_t vector) {
    ++stats_.sipis;
    if (start_state_ != StartState::WaitSipi) {
        ++stats_.init_sipi_ignored; // SIPI without INIT, or the second SIPI of INIT-SIPI-SIPI
        return;
    }
    start_state_ = StartState::Started;
    sipi_vector_ = vector;
    models::notify_now(start_event_);
}

// ---- time ----------------------------------------------------------------------------------------

std::uint64_t Cpu::local_time_ps() const {
    return models::kernel_now_ps() + offset_ps_;
}

void Cpu::sync_slow() {
    // Running ahead (GUEST-MODEL.md "Time"): when nothing at all is pending in the simulation before this
    // CPU's local time, no other process can run or observe anything in between, so acting at the local
    // time without waiting is exactly what waiting would do. Devices read that time through
    // models::now_ps() and schedule through models::notify_at. A tie (activity exactly at the local time)
    // synchronises, so same-time ordering stays the kernel's.
    // The kernel's answer is cached (clear_until_ps_) until this CPU suspends: only this thread runs
    // meanwhile, and it adds activity only through models::notify_at, which lowers
    // models::detail::earliest_notification_ps to the time it notifies. sync() checks both inline.
    // Asking the kernel is not free, and where CPUs interact closely (a wakeup-heavy ping-pong) the
    // answer is nearly always "wait": after a refusal the next checks are skipped, more of them the
    // more refusals in a row (up to kMaxSkippedRunAheadChecks), and one success resets that. Whether a
    // CPU runs ahead never changes a result - only how many SystemC waits it takes - so this only
    // trades speed, deterministically.
    const auto kernel = models::kernel_now_ps();
    const auto local = kernel + offset_ps_;
    if (offset_ps_ <= quantum_ps_ && local < run_ahead_limit_ps_) {
        if (skipped_checks_left_ > 0) {
            --skipped_checks_left_;
        } else {
            const auto until =
                models::to_ps(sc_core::sc_time_to_pending_activity(sc_core::sc_get_curr_simcontext()));
            clear_until_ps_ = until > ~std::uint64_t{0} - kernel ? ~std::uint64_t{0} : kernel + until;
            models::detail::earliest_notification_ps = ~std::uint64_t{0}; // all included in `until`
            if (local < clear_until_ps_) {
                refused_run_ahead_streak_ = 0;
                models::detail::access_ahead_ps = offset_ps_;
                return;
            }
            refused_run_ahead_streak_ =
                std::min(refused_run_ahead_streak_ * 2 + 1, kMaxSkippedRunAheadChecks);
            skipped_checks_left_ = refused_run_ahead_streak_;
        }
    }
    wait_out_offset();
}

void Cpu::before_suspend() {
    models::detail::access_ahead_ps = 0;
    running_ = nullptr;
    clear_until_ps_ = 0; // others run now and schedule without notify_at (their own waits)
}

void Cpu::after_resume() {
    running_ = this;
    offset_ps_ = 0;
}

void Cpu::wait_out_offset() {
    before_suspend();
    wait(models::from_ps(offset_ps_));
    after_resume();
}

void Cpu::suspend_until(const sc_core::sc_event& event) {
    before_suspend();
    wait(event);
    after_resume();
}

std::uint64_t Cpu::suspend_for(std::uint64_t from_ps, std::uint64_t duration_ps,
                               const sc_core::sc_event& event) {
    // `from_ps` is the local time the wait starts at (at or after the kernel's time when running ahead).
    before_suspend();
    wait(models::from_ps(from_ps + duration_ps - models::kernel_now_ps()), event);
    after_resume();
    return models::kernel_now_ps() - from_ps;
}

void Cpu::interruptible_point() {
    if (if_) {
        take_interrupts();
    }
}

void Cpu::spend_cycles(std::uint64_t cycles) {
    const auto duration = clock_.duration_of(cycles);
    if (!if_) {
        charge_ps(duration);
        return;
    }
    // Interruptible work: cut by an interrupt at its arrival, resumed after the handler.
    auto remaining = duration;
    for (;;) {
        take_interrupts(); // synchronises (or runs ahead)
        if (remaining == 0 || !if_) {
            break;
        }
        remaining -= suspend_for(local_time_ps(), remaining, intr_event_);
    }
    if (remaining > 0) {
        charge_ps(remaining); // a handler returned with IF = 0 (guest bug): finish uninterruptibly
    }
}

void Cpu::cli() {
    interruptible_point();
    if_ = false;
    charge_cycles(config_.costs.cli_sti_cycles);
}

void Cpu::sti() {
    // Pending interrupts are taken at the next interruptible point (the next HAL call, or the return to
    // the CPU loop), which is the same simulated instant: guest code between HAL calls takes no time.
    if_ = true;
    charge_cycles(config_.costs.cli_sti_cycles);
}

void Cpu::hlt() {
    if (!if_) {
        ++stats_.hlt_with_if_clear;
        spdlog::error("cpu{}: hlt with interrupts disabled: the CPU stops for good", config_.index);
        stop_forever();
        return;
    }
    sync();
    if (!lapic_.intr_pending()) {
        halt_until_interrupt();
    }
    take_interrupts();
}

void Cpu::wait_for(const sc_core::sc_event& event, const std::function<bool()>& ready) {
    sync();
    while (!ready()) {
        if (if_) {
            take_interrupts();
            if (ready()) {
                break;
            }
        }
        // Another CPU's progress is awaited: it needs the kernel's time to move.
        if (offset_ps_ > 0) {
            wait_out_offset();
            continue;
        }
        before_suspend();
        if (if_) {
            wait(event | intr_event_);
        } else {
            wait(event);
        }
        after_resume();
    }
}

void Cpu::stop_forever() {
    sync();
    accounting_.enter(CpuState::Halted, local_time_ps());
    for (;;) {
        suspend_until(never_);
    }
}

void Cpu::select(kut_task_id task) {
    if (env_.tasks != nullptr && current_ != KUT_IDLE_TASK &&
        env_.tasks->running_on(current_) == static_cast<int>(config_.index)) {
        env_.tasks->set_running_on(current_, TaskTable::kNotRunning);
    }
    set_current(task);
    if (env_.tasks != nullptr && task != KUT_IDLE_TASK) {
        env_.tasks->set_running_on(task, static_cast<int>(config_.index));
    }
}

// ---- the CPU loop --------------------------------------------------------------------------------

void Cpu::run() {
    quantum_ps_ = models::to_ps(tlm::tlm_global_quantum::instance().get());
    after_resume();
    if (env_.guest == nullptr) {
        before_suspend();
        return; // no guest: IF stays 0 and nothing is ever acknowledged
    }
    while (start_state_ != StartState::Started) {
        suspend_until(start_event_); // APs: INIT, then SIPI (CpuInterruptPins::init / startup)
    }
    started_ = true;
    accounting_.enter(CpuState::Kernel, local_time_ps());
    if_ = false;
    if (config_.bsp) {
        env_.guest->boot(config_.index);
    } else {
        env_.guest->ap_start(config_.index, sipi_vector_);
    }
    if (env_.user != nullptr) {
        // This CPU's share of the workload (sim/workload: round-robin over CPUs in scenario order).
        for (const auto& task : env_.user->initial_tasks(config_.index)) {
            if_ = false;
            accounting_.enter(CpuState::Kernel, local_time_ps());
            env_.guest->task_new(config_.index, task.id, task.task_class, task.level);
        }
    }
    dispatch();
}

void Cpu::dispatch() {
    for (;;) {
        if_ = true; // back in user mode or the idle loop
        take_interrupts();
        if (current_ != KUT_IDLE_TASK) {
            run_user();
            continue;
        }
        const auto taken_before = stats_.interrupts;
        accounting_.enter(CpuState::Kernel, local_time_ps());
        env_.guest->idle(config_.index);
        if (current_ == KUT_IDLE_TASK && stats_.interrupts == taken_before) {
            if_ = true;
            halt_until_interrupt();
        }
    }
}

void Cpu::run_user() {
    const auto task = current_;
    auto& tasks = *env_.tasks;
    if (tasks.exited(task) || env_.user == nullptr) {
        ++stats_.exit_without_switch;
        select(KUT_IDLE_TASK);
        return;
    }
    const auto remaining = tasks.remaining_ps(task);
    if (remaining == 0) {
        const auto step = env_.user->next_step(task, config_.index, local_time_ps());
        if (step.kind == UserStep::Kind::Syscall) {
            zero_steps_ = 0;
            do_syscall(task, step);
        } else if (step.run_ps == 0) {
            if (++zero_steps_ > kMaxZeroSteps) {
                throw std::logic_error("task " + std::to_string(task) +
                                       " keeps asking for empty CPU bursts (no simulated time passes)");
            }
        } else {
            zero_steps_ = 0;
            tasks.set_remaining_ps(task, step.run_ps);
        }
        return;
    }
    // take_interrupts() has just synchronised (or run ahead) and found INTR low.
    sync();
    if (lapic_.intr_pending()) {
        return;
    }
    const auto start = local_time_ps();
    accounting_.enter(CpuState::User, start);
    const auto ran = suspend_for(start, remaining, intr_event_);
    tasks.set_remaining_ps(task, remaining - ran);
    env_.user->ran(task, ran);
    accounting_.enter(CpuState::Kernel, start + ran);
}

void Cpu::do_syscall(kut_task_id task, const UserStep& step) {
    accounting_.enter(CpuState::Kernel, local_time_ps());
    if_ = false;
    ++stats_.syscalls;
    charge_cycles(config_.costs.syscall_entry_cycles);
    const auto result =
        env_.guest->syscall(config_.index, task, step.number, step.arg0, step.arg1, step.arg2);
    charge_cycles(config_.costs.syscall_exit_cycles);
    if (step.number == KUT_SYS_EXIT) {
        env_.tasks->mark_exited(task);
        if (current_ == task) {
            ++stats_.exit_without_switch;
            set_current(KUT_IDLE_TASK);
        }
    }
    env_.user->syscall_returned(task, step.number, result, local_time_ps());
}

void Cpu::take_interrupts() {
    while (if_) {
        sync();
        if (!lapic_.intr_pending()) {
            return;
        }
        deliver_interrupt();
    }
}

void Cpu::deliver_interrupt() {
    // Accepted now (synchronised): the INTA cycle moves the vector from IRR to ISR (§1.4 step 7).
    const auto vector = lapic_.acknowledge();
    const bool saved_if = if_;
    if_ = false;
    if (irq_depth_++ == 0) {
        state_outside_irq_ = accounting_.state();
        accounting_.enter(CpuState::Irq, local_time_ps());
    }
    stats_.max_nesting = std::max<std::uint64_t>(stats_.max_nesting, irq_depth_);
    ++stats_.interrupts;
    charge_cycles(config_.costs.interrupt_entry_cycles);
    report_hop(models::HopKind::HandlerEntry, vector);
    env_.guest->interrupt(config_.index, vector);
    report_hop(models::HopKind::HandlerExit, vector);
    charge_cycles(config_.costs.interrupt_exit_cycles);
    if (--irq_depth_ == 0) {
        accounting_.enter(state_outside_irq_, local_time_ps());
    }
    if_ = saved_if; // IRET restores RFLAGS
}

void Cpu::halt_until_interrupt() {
    sync();
    if (lapic_.intr_pending()) {
        return;
    }
    const auto previous = accounting_.state();
    accounting_.enter(CpuState::Halted, local_time_ps());
    // Running ahead, nothing is pending before the local time, so the wake-up comes after it.
    while (!lapic_.intr_pending()) {
        suspend_until(intr_event_);
    }
    charge_ps(config_.costs.hlt_wakeup_ps);
    accounting_.enter(previous, local_time_ps());
}

void Cpu::set_current(kut_task_id task) {
    if (task != current_ && task_observer_ != nullptr) {
        const auto name = [this](kut_task_id id) {
            return env_.tasks != nullptr ? env_.tasks->name(id)
                                         : (id == KUT_IDLE_TASK ? "idle" : "task " + std::to_string(id));
        };
        task_observer_->on_task_switch(config_.index, current_, name(current_), task, name(task),
                                       local_time_ps());
    }
    current_ = task;
}

void Cpu::report_hop(models::HopKind kind, int vector) const {
    if (observer_.wants(kind)) {
        observer_.send({.time_ps = local_time_ps(),
                        .kind = kind,
                        .cpu = static_cast<std::int32_t>(config_.index),
                        .vector = vector,
                        .source = "cpu",
                        .detail = 0});
    }
}

void Cpu::report_metrics(models::MetricSink& sink, std::uint64_t end_ps) const {
    const double total = end_ps > 0 ? static_cast<double>(end_ps) : 1.0;
    auto fraction = [&](std::uint64_t picoseconds) { return static_cast<double>(picoseconds) / total; };
    const auto kernel = accounting_.total_ps(CpuState::Kernel);
    const auto user = accounting_.total_ps(CpuState::User);
    sink.gauge("busy", fraction(kernel + user));
    sink.gauge("user", fraction(user));
    sink.gauge("irq_time", fraction(accounting_.total_ps(CpuState::Irq)));
    sink.gauge("idle",
               fraction(accounting_.total_ps(CpuState::Halted) + accounting_.total_ps(CpuState::Off)));
    sink.counter("started", started_ ? 1 : 0);
    sink.counter("interrupts", stats_.interrupts);
    sink.counter("syscalls", stats_.syscalls);
    sink.counter("max_nesting", stats_.max_nesting);
    sink.counter("init_sipi_ignored", stats_.init_sipi_ignored);
    sink.counter("hlt_with_if_clear", stats_.hlt_with_if_clear);
}

} // namespace x86sim::sim::cpu
