#include "tests/sim/cpu/script_guest.h"

#include "models/common/time.h"

#include <algorithm>
#include <cstdio>
#include <sys/wait.h>
#include <tlm>
#include <unistd.h>

namespace x86sim::test {

namespace {
ScriptGuest* g_guest = nullptr;

int entry_init(const kut_hal* hal, const kut_config*) {
    g_guest->hal = hal;
    return 0;
}
void entry_boot(uint32_t cpu) {
    g_guest->boot(cpu);
}
void entry_ap_start(uint32_t cpu, uint8_t vector) {
    g_guest->ap_start(cpu, vector);
}
void entry_interrupt(uint32_t cpu, uint8_t vector) {
    g_guest->interrupt(cpu, vector);
}
int64_t entry_syscall(uint32_t cpu, kut_task_id task, uint32_t number, uint64_t arg0, uint64_t, uint64_t) {
    return g_guest->syscall(cpu, task, number, arg0);
}
void entry_task_new(uint32_t cpu, kut_task_id task, int32_t task_class, int32_t level) {
    g_guest->task_new(cpu, task, task_class, level);
}
void entry_idle(uint32_t cpu) {
    g_guest->idle(cpu);
}
} // namespace

ScriptGuest::ScriptGuest() {
    g_guest = this;
    table_ = {KUT_ABI_VERSION, sizeof(kut_guest), "script guest", entry_init,     entry_boot,
              entry_ap_start,  entry_interrupt,   entry_syscall,  entry_task_new, entry_idle};
    boot = [this](std::uint32_t cpu) { enable_lapic(cpu); };
    ap_start = [this](std::uint32_t cpu, std::uint8_t vector) {
        record("ap_start", cpu, vector);
        enable_lapic(cpu);
    };
    interrupt = [this](std::uint32_t cpu, std::uint8_t vector) {
        record("irq", cpu, vector);
        eoi(cpu);
    };
    syscall = [this](std::uint32_t cpu, kut_task_id, std::uint32_t number, std::uint64_t) -> std::int64_t {
        record("syscall", cpu, number);
        return 0;
    };
    task_new = [this](std::uint32_t cpu, kut_task_id task, std::int32_t, std::int32_t) {
        hal->switch_to(hal->host, cpu, task);
    };
    idle = [this](std::uint32_t cpu) { hal->hlt(hal->host, cpu); };
}

ScriptGuest::~ScriptGuest() {
    g_guest = nullptr;
}

void ScriptGuest::lapic_write(std::uint32_t cpu, std::uint64_t offset, std::uint32_t value) const {
    hal->mmio_write(hal->host, cpu, kLapic + offset, 4, value);
}

std::uint32_t ScriptGuest::lapic_read(std::uint32_t cpu, std::uint64_t offset) const {
    return static_cast<std::uint32_t>(hal->mmio_read(hal->host, cpu, kLapic + offset, 4));
}

void ScriptGuest::record(std::string what, std::uint32_t cpu, std::uint64_t value) {
    events.push_back({std::move(what), now(), cpu, value});
}

std::vector<GuestEvent> ScriptGuest::of(const std::string& what) const {
    std::vector<GuestEvent> out;
    std::copy_if(events.begin(), events.end(), std::back_inserter(out),
                 [&](const GuestEvent& e) { return e.what == what; });
    return out;
}

scenario::Config test_config(unsigned cpus, std::uint64_t quantum_ps, std::uint64_t duration_ps) {
    scenario::Config config;
    config.name = "test";
    config.duration_ps = duration_ps;
    config.platform.cpus = cpus;
    config.platform.memory_bytes = 64ULL << 20;
    config.platform.lapic.timer_clock_hz = 100'000'000;
    config.platform.quantum_ps = quantum_ps;
    config.kernel = scenario::KernelConfig{};
    return config;
}

Machine::Machine(scenario::Config config, ScriptGuest& guest) : config_(std::move(config)) {
    models::ensure_time_resolution();
    tlm::tlm_global_quantum::instance().set(models::from_ps(config_.platform.quantum_ps));
    if (!config_.kernel) {
        config_.kernel = scenario::KernelConfig{};
    }
    platform_ = std::make_unique<sim::Platform>(config_);
    session_ =
        std::make_unique<sim::GuestSession>(config_, *platform_, registry_, guest.table(), "script guest");
}

void Machine::run_to(std::uint64_t end_ps) {
    const auto now = models::now_ps();
    if (end_ps > now) {
        sc_core::sc_start(models::from_ps(end_ps - now));
    }
    platform_->report_metrics(registry_);
    session_->report_metrics(registry_, end_ps);
}

Injector::Injector(sc_core::sc_module_name name, sim::Platform& platform)
    : sc_module(name), platform_(platform) {
    SC_THREAD(run);
}

void Injector::at(std::uint64_t at_ps, std::uint32_t apic_id, std::uint8_t vector) {
    shots_.push_back({at_ps, apic_id, vector});
    std::stable_sort(shots_.begin(), shots_.end(),
                     [](const Shot& a, const Shot& b) { return a.at_ps < b.at_ps; });
}

void Injector::run() {
    for (const auto& shot : shots_) {
        if (shot.at_ps > models::now_ps()) {
            wait(models::from_ps(shot.at_ps - models::now_ps()));
        }
        models::InterruptRequest request;
        request.vector = shot.vector;
        request.destination = shot.apic_id;
        request.source_kind = models::InterruptSourceKind::Msi;
        platform_.fabric().deliver(request);
    }
}

std::vector<models::InterruptHop> HopRecorder::of(models::HopKind kind) const {
    std::vector<models::InterruptHop> out;
    std::copy_if(hops.begin(), hops.end(), std::back_inserter(out),
                 [&](const models::InterruptHop& h) { return h.kind == kind; });
    return out;
}

std::string run_in_child(const std::function<std::string()>& body) {
    int fds[2];
    if (::pipe(fds) != 0) {
        return "pipe failed";
    }
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        const auto text = body();
        std::size_t written = 0;
        while (written < text.size()) {
            const auto n = ::write(fds[1], text.data() + written, text.size() - written);
            if (n <= 0) {
                break;
            }
            written += static_cast<std::size_t>(n);
        }
        ::close(fds[1]);
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buffer[4096];
    for (;;) {
        const auto n = ::read(fds[0], buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        out += "\n(child failed)";
    }
    return out;
}

} // namespace x86sim::test
