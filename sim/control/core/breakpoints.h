// The debugger's breakpoints (design/CONTROL-PROTOCOL.md), evaluated on interrupt-path hops:
//   irq V [cpu N]      an Acknowledge hop of vector V (IRR -> ISR) [on CPU N]
//   msi [DEVICE]       a DeviceMessage hop [whose source is DEVICE]
//   coalesce [cpu N]   a Coalesced hop (the vector's IRR bit was already set: a lost edge) [on CPU N]
//   storm RATE WINDOW  a CPU received (IrrSet or Coalesced) more than RATE interrupts within the last
//                      WINDOW of simulated time; the CPU's window restarts after a hit
//   fault              a Rejected hop (a LAPIC or the fabric refused a message: illegal vector,
//                      disabled APIC, no destination); IOMMU faults join when VT-d is modelled
//   time T             simulated time T is reached (the run loop stops there; see time_stops())
//   watch DEV.REG      the register's value changed; the machine reads the value at every event
//                      boundary through the reader it passes to check_watches()
// Breakpoints are numbered from 1 in creation order; numbers are never reused within a session.
#pragma once

#include "sim/control/core/hop_text.h"
#include "sim/control/core/machine.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace x86sim::control {

struct Breakpoint {
    std::uint32_t id = 0;
    DebugOp kind = DebugOp::BreakIrq;
    std::optional<std::uint32_t> cpu;
    std::uint64_t number = 0;  // vector, storm rate
    std::uint64_t time_ps = 0; // break time, storm window
    std::string text;          // msi device, watch DEV.REG
    std::uint64_t hits = 0;
    std::optional<std::string> watch_value; // last value seen (as the reader formats it)

    // The command that creates it, e.g. "break irq 48 cpu 0" (checkpoints re-create breakpoints so).
    std::string command() const;
    nlohmann::json to_json() const;
};

struct BreakHit {
    std::uint32_t id = 0;
    std::string description; // e.g. "breakpoint 2: coalesce cpu 0"
    nlohmann::json detail;   // extra facts (storm count, watch old/new value)
};

class BreakpointSet {
  public:
    using RegisterReader = std::function<std::optional<std::string>(const std::string& device_register)>;

    // Adds a breakpoint from a validated request; returns it.
    const Breakpoint& add(const DebugRequest& request);
    // Re-creates a breakpoint with a given id (checkpoint restore); later ids continue after it.
    const Breakpoint& add_with_id(std::uint32_t id, const DebugRequest& request);
    bool remove(std::uint32_t id);
    nlohmann::json list() const;
    const std::map<std::uint32_t, Breakpoint>& all() const { return breakpoints_; }
    bool empty() const { return breakpoints_.empty(); }
    bool has_watches() const;

    // The first breakpoint this hop triggers (all are evaluated, so storm windows stay current).
    std::optional<BreakHit> on_hop(const HopRecord& hop);
    // Pending `break time` stops after `now_ps`, earliest first.
    std::optional<std::uint64_t> next_time_stop(std::uint64_t now_ps) const;
    std::optional<BreakHit> on_time(std::uint64_t now_ps);
    // Reads every watched register; the first changed one is a hit (values are updated either way).
    std::optional<BreakHit> check_watches(const RegisterReader& read);
    // Takes the current value of each watch as its baseline (after a replay or a new watch).
    void rebase_watches(const RegisterReader& read);

  private:
    std::map<std::uint32_t, Breakpoint> breakpoints_;
    std::map<std::int32_t, std::deque<std::uint64_t>> arrivals_; // per CPU, for storm breakpoints
    std::uint32_t next_id_ = 1;
};

} // namespace x86sim::control
