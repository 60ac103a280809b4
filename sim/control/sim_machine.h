// The simulated machine behind the control protocol: one scenario's platform (plus the guest kernel
// and the timeline when the scenario has them), driven by protocol commands, with the debugger's run
// control, event numbering, interrupt-path ring buffer, breakpoints and replay journal.
//
// Event numbers (what `step`, `back`, `save` and stop reports count): event N is the N-th SystemC delta
// cycle, from time zero, in which at least one interrupt-path hop happened (models/common/
// interrupt_path.h: timer expiries, IOAPIC messages, MSIs, IRR set/coalesced, acknowledge, handler
// entry/exit, EOI, ...). Hops are grouped by (simulated time, sc_delta_count()), so the numbering does
// not depend on how the run is sliced into sc_start calls, and is identical for every run of the same
// scenario, seed, binary and journal of protocol commands. Hops caused by a protocol command itself
// (e.g. a self-IPI written to the ICR) are recorded and counted as hops, but are not simulation events.
// Stopping "at event N" means: at the end of that delta cycle (sc_pause from the observer), so the
// state is the one every process of that delta has produced.
//
// Run control: `continue`/`step`/`stepi` run in sc_start slices of simulated time (the slice adapts to
// wall time so that `pause` is noticed within ~20 ms) and stop with sc_pause() when a breakpoint or the
// step target hits. qtest's clock_step/clock_set ignore breakpoints (exact QEMU semantics) and, like
// QEMU's clock warp, run everything due at the new time before they return.
#pragma once

#include "sim/control/core/breakpoints.h"
#include "sim/control/core/checkpoint.h"
#include "sim/control/core/hop_text.h"
#include "sim/control/core/machine.h"
#include "sim/metrics/registry.h"
#include "sim/scenario/config.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace x86sim::sim {
class Platform;
class GuestSession;
class TimelineDriver;
} // namespace x86sim::sim

namespace x86sim::control {

class Session;
class IrqTap;

class SimMachine final : public Machine, public models::InterruptPathObserver {
  public:
    // Builds the platform; throws scenario::ScenarioError / sim::PlatformError as run_scenario does.
    SimMachine(const scenario::Config& config, ScenarioSource source);
    ~SimMachine() override;
    SimMachine(const SimMachine&) = delete;
    SimMachine& operator=(const SimMachine&) = delete;

    // Asked between run slices: true stops a running continue/step/stepi with reason "pause".
    void set_pause_poll(std::function<bool()> poll) { pause_poll_ = std::move(poll); }

    // Machine
    unsigned cpu_count() const override;
    Status mem_read(unsigned cpu, std::uint64_t address, unsigned size, std::uint64_t& value) override;
    Status mem_write(unsigned cpu, std::uint64_t address, unsigned size, std::uint64_t value) override;
    Status mem_read_bytes(unsigned cpu, std::uint64_t address, std::span<std::uint8_t> out) override;
    Status mem_write_bytes(unsigned cpu, std::uint64_t address, std::span<const std::uint8_t> data) override;
    Status port_in(std::uint16_t port, unsigned size, std::uint32_t& value) override;
    Status port_out(std::uint16_t port, unsigned size, std::uint32_t value) override;
    std::uint64_t clock_step(std::optional<std::uint64_t> ns) override;
    std::uint64_t clock_set(std::uint64_t ns) override;
    Status irq_intercept(bool outputs, std::string_view device) override;
    Status rdmsr(unsigned cpu, std::uint32_t index, std::uint64_t& value) override;
    Status wrmsr(unsigned cpu, std::uint32_t index, std::uint64_t value) override;
    Status debug(const DebugRequest& request, unsigned cpu, nlohmann::json& result) override;
    std::vector<std::string> take_async_lines() override;
    void journal(std::string_view line) override;

    // InterruptPathObserver
    void on_hop(const models::InterruptHop& hop) override;

    // Replay support (`back`, `load`): where this run is, and how to get there again.
    Checkpoint checkpoint() const;
    // Re-applies `checkpoint`'s journal through `session` at the recorded positions, re-creates its
    // breakpoints, and stops at its event number; returns the stop report (as `step` does).
    nlohmann::json replay(const Checkpoint& checkpoint, Session& session);

    std::uint64_t event_number() const { return event_count_; }
    std::uint64_t hop_number() const { return hop_count_; }
    sim::Platform& platform() { return *platform_; }

    // Full register state (LAPICs, IOAPIC, PIT, PIC) + position, for tests comparing two runs.
    nlohmann::json state_dump();

  private:
    friend class IrqTap;
    struct Limits {
        std::optional<std::uint64_t> event{};    // stop when the event count reaches this
        std::optional<std::uint64_t> hop{};      // stop when the hop count reaches this
        std::optional<std::uint64_t> until_ps{}; // stop at this simulated time (after what is due then)
        bool breakpoints = false;

        static Limits to_event(std::uint64_t event, bool breakpoints = false) {
            Limits limits;
            limits.event = event;
            limits.breakpoints = breakpoints;
            return limits;
        }
        static Limits to_hop(std::uint64_t hop) {
            Limits limits;
            limits.hop = hop;
            limits.breakpoints = true;
            return limits;
        }
        static Limits until(std::uint64_t time_ps) {
            Limits limits;
            limits.until_ps = time_ps;
            return limits;
        }
    };

    void run(const Limits& limits);
    void request_stop(std::string reason, const std::optional<HopRecord>& record,
                      std::optional<BreakHit> hit = std::nullopt);
    void settle();
    nlohmann::json stop_report(std::uint64_t start_hop, bool list_events) const;
    nlohmann::json where() const;
    Status info(const DebugRequest& request, unsigned cpu, nlohmann::json& result);
    Status pci_info(const DebugRequest& request, nlohmann::json& result);
    std::optional<std::string> read_register(const std::string& device_register);
    void sample_intr();
    void irq_line_changed(unsigned line, bool level);

    scenario::Config config_;
    ScenarioSource source_;
    metrics::Registry registry_; // the guest's counters (not reported by the control server)
    std::unique_ptr<sim::Platform> platform_;
    std::unique_ptr<sim::GuestSession> guest_;
    std::unique_ptr<sim::TimelineDriver> timeline_;
    std::unique_ptr<IrqTap> tap_;

    // Event numbering.
    std::uint64_t event_count_ = 0;
    std::uint64_t hop_count_ = 0;
    std::pair<std::uint64_t, std::uint64_t> last_key_{~0ULL, ~0ULL}; // (time ps, delta count)
    std::uint64_t last_event_time_ps_ = 0;
    std::deque<HopRecord> ring_;

    // Run control.
    bool running_ = false;
    bool started_ = false; // sc_start has run at least once (SystemC initialised its processes)
    bool in_command_ = false;
    Limits limits_;
    std::string stop_reason_;
    std::optional<HopRecord> stop_record_;
    std::optional<BreakHit> stop_hit_;
    std::uint64_t slice_ps_ = 10'000'000; // 10 us, adapted to wall time
    std::function<bool()> pause_poll_;
    bool end_reported_ = false;

    BreakpointSet breakpoints_;
    std::vector<JournalEntry> journal_;
    bool replaying_ = false;
    std::uint32_t forced_breakpoint_id_ = 0; // re-creating a checkpoint's breakpoint with its number

    // irq_intercept_in/out: the device, and the last level of each reported line.
    std::string intercept_device_;
    bool intercept_outputs_ = false;
    std::vector<bool> intr_levels_;
    std::vector<std::string> async_lines_;
};

} // namespace x86sim::control
