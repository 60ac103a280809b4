// Where a CPU's simulated time goes (cpuN.busy, cpuN.user, cpuN.irq_time, cpuN.idle).
//
// Transitions are recorded at the CPU's local time (SystemC time plus its quantum-keeper offset), which
// is exact whatever the quantum, and intervals are clipped to the end of the run, so the fractions do
// not depend on the quantum either.
#pragma once

#include <array>
#include <cstdint>

namespace x86sim::sim::cpu {

enum class CpuState : std::uint8_t {
    Off,    // an AP waiting for INIT/SIPI, or a CPU without a guest
    Kernel, // guest entry points other than interrupt handlers (boot, syscalls, idle loop code)
    User,   // a user task's CPU burst
    Irq,    // inside an interrupt handler (outermost entry cost to exit cost)
    Halted, // in HLT
    Count_,
};

class CpuAccounting {
  public:
    void set_end_ps(std::uint64_t end_ps) { end_ps_ = end_ps; }
    // From `at_ps` on, the CPU is in `state`.
    void enter(CpuState state, std::uint64_t at_ps);
    CpuState state() const { return state_; }
    // Total time in `state` up to the end of the run (the current interval included).
    std::uint64_t total_ps(CpuState state) const;

  private:
    std::uint64_t clip(std::uint64_t time) const { return time < end_ps_ ? time : end_ps_; }

    std::uint64_t end_ps_ = ~0ULL;
    CpuState state_ = CpuState::Off;
    std::uint64_t since_ps_ = 0;
    std::array<std::uint64_t, static_cast<std::size_t>(CpuState::Count_)> totals_{};
};

} // namespace x86sim::sim::cpu
