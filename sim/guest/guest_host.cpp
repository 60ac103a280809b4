#include "sim/guest/guest_host.h"

#include "models/common/time.h"
#include "sim/guest/cpuid_leaves.h"
#include "sim/guest/hal_table.h"
#include "sim/platform/platform.h"

#include <cstring>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace x86sim::sim::guest {

namespace {
std::shared_ptr<spdlog::logger> guest_logger() {
    // X86SIM_LOG=guest=debug creates it with its own level (sim/cli/logging.cpp).
    if (auto logger = spdlog::get("guest")) {
        return logger;
    }
    return spdlog::stderr_color_mt("guest");
}

spdlog::level::level_enum to_spdlog(int level) {
    switch (level) {
    case KUT_LOG_TRACE:
        return spdlog::level::trace;
    case KUT_LOG_DEBUG:
        return spdlog::level::debug;
    case KUT_LOG_INFO:
        return spdlog::level::info;
    case KUT_LOG_WARN:
        return spdlog::level::warn;
    default:
        return spdlog::level::err;
    }
}
} // namespace

GuestHost::GuestHost(Platform& platform, cpu::TaskTable& tasks, metrics::Registry& registry)
    : platform_(platform), tasks_(tasks), registry_(registry), memory_(platform.memory().size()),
      logger_(guest_logger()) {
    hal_ = make_hal_table(*this);
}

cpu::Cpu* GuestHost::calling_cpu(std::uint32_t cpu) {
    auto* running = cpu::Cpu::running();
    if (running != nullptr) {
        if (running->index() != cpu) {
            ++stats_.bad_cpu; // the guest named another CPU than the one running it
        }
        return running;
    }
    if (cpu >= platform_.cpu_count()) {
        ++stats_.bad_cpu;
    }
    return nullptr;
}

cpu::Cpu* GuestHost::enter_access(std::uint32_t cpu) {
    auto* caller = calling_cpu(cpu);
    if (caller != nullptr) {
        caller->interruptible_point();
        caller->sync();
    }
    return caller;
}

unsigned GuestHost::target_index(const cpu::Cpu* caller, std::uint32_t cpu) const {
    if (caller != nullptr) {
        return caller->index();
    }
    return cpu < platform_.cpu_count() ? cpu : 0;
}

std::uint64_t GuestHost::mmio_read(std::uint32_t cpu, std::uint64_t address, std::uint32_t size) {
    auto* caller = enter_access(cpu);
    std::uint64_t value = 0;
    const auto outcome = platform_.address_map().read(target_index(caller, cpu), address, size, value);
    if (outcome.status == models::AccessStatus::Unmapped && outcome.target[0] == '\0') {
        ++stats_.unclaimed;
    }
    if (caller != nullptr) {
        caller->charge_ps(outcome.delay_ps);
    }
    return value;
}

void GuestHost::mmio_write(std::uint32_t cpu, std::uint64_t address, std::uint32_t size,
                           std::uint64_t value) {
    auto* caller = enter_access(cpu);
    const auto outcome = platform_.address_map().write(target_index(caller, cpu), address, size, value);
    if (outcome.status == models::AccessStatus::Unmapped && outcome.target[0] == '\0') {
        ++stats_.unclaimed;
    }
    if (caller != nullptr) {
        caller->charge_ps(outcome.delay_ps);
    }
}

std::uint32_t GuestHost::port_in(std::uint32_t cpu, std::uint16_t port, std::uint32_t size) {
    auto* caller = enter_access(cpu);
    std::uint32_t value = 0;
    const auto outcome = platform_.address_map().in(port, size, value);
    if (outcome.status == models::AccessStatus::Unmapped && outcome.target[0] == '\0') {
        ++stats_.unclaimed;
    }
    if (caller != nullptr) {
        caller->charge_ps(outcome.delay_ps);
    }
    return value;
}

void GuestHost::port_out(std::uint32_t cpu, std::uint16_t port, std::uint32_t size, std::uint32_t value) {
    auto* caller = enter_access(cpu);
    const auto outcome = platform_.address_map().out(port, size, value);
    if (outcome.status == models::AccessStatus::Unmapped && outcome.target[0] == '\0') {
        ++stats_.unclaimed;
    }
    if (caller != nullptr) {
        caller->charge_ps(outcome.delay_ps);
    }
}

int GuestHost::finish_msr(cpu::Cpu* caller, unsigned target, std::uint32_t index, bool ok) {
    // An x2APIC register costs what the LAPIC's register path annotates; any other MSR the CPU's cost.
    if (caller != nullptr) {
        caller->charge_ps(models::Lapic::handles_msr(index)
                              ? platform_.lapic(target).last_access_cost_ps()
                              : caller->clock().duration_of(caller->costs().msr_cycles));
    }
    if (!ok) {
        ++stats_.msr_gp;
        return KUT_GP;
    }
    return KUT_OK;
}

int GuestHost::rdmsr(std::uint32_t cpu, std::uint32_t index, std::uint64_t* value) {
    auto* caller = enter_access(cpu);
    const auto target = target_index(caller, cpu);
    std::uint64_t result = 0;
    const bool ok = platform_.rdmsr(target, index, result);
    if (value != nullptr) {
        *value = ok ? result : 0;
    }
    return finish_msr(caller, target, index, ok);
}

int GuestHost::wrmsr(std::uint32_t cpu, std::uint32_t index, std::uint64_t value) {
    auto* caller = enter_access(cpu);
    const auto target = target_index(caller, cpu);
    const bool ok = platform_.wrmsr(target, index, value);
    return finish_msr(caller, target, index, ok);
}

void GuestHost::cpuid(std::uint32_t cpu, std::uint32_t leaf, std::uint32_t subleaf, std::uint32_t out[4]) {
    auto* caller = calling_cpu(cpu);
    if (caller != nullptr) {
        caller->interruptible_point();
    }
    const auto target = target_index(caller, cpu);
    const auto regs =
        cpuid_leaf(platform_.lapic(target), platform_.tsc(target), platform_.cpu_count(), leaf, subleaf);
    if (out != nullptr) {
        for (unsigned i = 0; i < 4; ++i) {
            out[i] = regs[i];
        }
    }
    if (caller != nullptr) {
        caller->charge_cycles(caller->costs().cpuid_cycles);
    }
}

std::uint64_t GuestHost::rdtsc(std::uint32_t cpu) {
    auto* caller = calling_cpu(cpu);
    if (caller == nullptr) {
        return platform_.tsc(target_index(nullptr, cpu)).read();
    }
    caller->interruptible_point();
    // The counter at the CPU's local time: what the guest would read after synchronising.
    const auto value = platform_.tsc(caller->index()).value_at_ps(caller->local_time_ps());
    caller->charge_cycles(caller->costs().rdtsc_cycles);
    return value;
}

void GuestHost::cli(std::uint32_t cpu) {
    if (auto* caller = calling_cpu(cpu)) {
        caller->cli();
    }
}

void GuestHost::sti(std::uint32_t cpu) {
    if (auto* caller = calling_cpu(cpu)) {
        caller->sti();
    }
}

int GuestHost::interrupts_enabled(std::uint32_t cpu) {
    auto* caller = calling_cpu(cpu);
    return caller != nullptr && caller->interrupts_enabled() ? 1 : 0;
}

void GuestHost::hlt(std::uint32_t cpu) {
    if (auto* caller = calling_cpu(cpu)) {
        caller->hlt();
    } else {
        ++stats_.bad_cpu; // nothing to halt outside a CPU thread
    }
}

void GuestHost::spend(std::uint32_t cpu, std::uint64_t cycles) {
    if (auto* caller = calling_cpu(cpu)) {
        caller->spend_cycles(cycles);
    }
}

cpu::Cpu* GuestHost::enter_cpu_only(std::uint32_t cpu) {
    auto* caller = enter_access(cpu);
    if (caller == nullptr) {
        ++stats_.bad_cpu; // locks and switches exist only on a CPU's own thread
    }
    return caller;
}

void GuestHost::spin_lock(std::uint32_t cpu, kut_lock_id lock) {
    if (auto* caller = enter_cpu_only(cpu)) {
        locks_.lock(*caller, lock);
    }
}

void GuestHost::spin_unlock(std::uint32_t cpu, kut_lock_id lock) {
    if (auto* caller = enter_cpu_only(cpu)) {
        locks_.unlock(*caller, lock);
    }
}

int GuestHost::spin_trylock(std::uint32_t cpu, kut_lock_id lock) {
    auto* caller = enter_cpu_only(cpu);
    return caller != nullptr && locks_.trylock(*caller, lock) ? 1 : 0;
}

std::uint64_t GuestHost::phys_alloc(std::uint64_t size, std::uint64_t align) {
    // Shared between CPUs: allocate at the caller's exact time so the order is quantum-independent.
    if (auto* running = cpu::Cpu::running()) {
        running->interruptible_point();
        running->sync();
    }
    return memory_.allocate(size, align);
}

void* GuestHost::host_pointer(std::uint64_t physical, std::uint64_t size) {
    return platform_.memory().host_pointer(physical, size);
}

void GuestHost::switch_to(std::uint32_t cpu, kut_task_id task) {
    auto* caller = enter_cpu_only(cpu);
    if (caller == nullptr) {
        return;
    }
    if (task != KUT_IDLE_TASK) {
        const auto running_on = tasks_.running_on(task);
        if (!tasks_.exists(task) ||
            (running_on != cpu::TaskTable::kNotRunning && running_on != static_cast<int>(caller->index()))) {
            ++stats_.switch_refused;
            logger_->warn("cpu{}: switch_to({}) refused: {}", caller->index(), task,
                          !tasks_.exists(task) ? "no such task (or it exited)"
                                               : "it runs on cpu" + std::to_string(running_on));
            return;
        }
    }
    if (task != caller->current_task()) {
        ++stats_.switches;
    }
    caller->select(task);
}

std::uint64_t GuestHost::now_ps() {
    if (auto* running = cpu::Cpu::running()) {
        return running->local_time_ps();
    }
    return models::now_ps();
}

void GuestHost::log(std::uint32_t cpu, int level, const char* message) {
    const auto spd_level = to_spdlog(level);
    if (!logger_->should_log(spd_level)) {
        return;
    }
    logger_->log(spd_level, "cpu{} @{}ps: {}", cpu, now_ps(), message != nullptr ? message : "");
}

metrics::Registry::Slot GuestHost::metric_slot(const char* name) {
    // Guests pass string literals, so the pointer finds the entry without comparing every name; the
    // name is still compared (a guest may reuse a buffer for another name).
    for (auto& cached : slots_) {
        if (cached.last_pointer == name && std::strcmp(cached.name.c_str(), name) == 0) {
            return cached.slot;
        }
    }
    for (auto& cached : slots_) {
        if (std::strcmp(cached.name.c_str(), name) == 0) {
            cached.last_pointer = name;
            return cached.slot;
        }
    }
    auto slot = registry_.slot(name);
    constexpr std::size_t kMaxCached = 64; // beyond that, a linear scan is no faster than the lookup
    if (slots_.size() < kMaxCached) {
        slots_.push_back({name, name, slot});
    }
    return slot;
}

void GuestHost::metric_add(const char* name, std::uint64_t delta) {
    if (name != nullptr && *name != '\0') {
        metric_slot(name).add(delta);
    }
}

void GuestHost::metric_set(const char* name, double value) {
    if (name != nullptr && *name != '\0') {
        registry_.gauge(name, value);
    }
}

void GuestHost::metric_sample(const char* name, std::uint64_t picoseconds) {
    if (name != nullptr && *name != '\0') {
        metric_slot(name).sample(picoseconds);
    }
}

void GuestHost::report_metrics(models::MetricSink& sink) const {
    sink.counter("guest.bad_cpu", stats_.bad_cpu);
    sink.counter("guest.msr_gp", stats_.msr_gp);
    sink.counter("guest.unclaimed", stats_.unclaimed);
    sink.counter("guest.switches", stats_.switches);
    sink.counter("guest.switch_refused", stats_.switch_refused);
    sink.counter("guest.lock_errors", locks_.errors());
    sink.counter("guest.phys_alloc_failures", memory_.failures());
    sink.counter("guest.phys_bytes", memory_.used());
    locks_.report_metrics(sink);
}

} // namespace x86sim::sim::guest
