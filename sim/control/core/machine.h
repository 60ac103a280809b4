// What the protocol session drives (design/CONTROL-PROTOCOL.md): the simulated machine behind one
// control connection. The session (session.h) parses and validates a line and formats the reply; a
// Machine does the work. SimMachine (sim/control/sim_machine.h) is the SystemC platform; tests and the
// fuzzer use small fakes, so everything in sim/control/core/ stays free of SystemC.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace x86sim::control {

struct Status {
    bool ok = true;
    std::string message; // for !ok: the text after "FAIL "
    static Status success() { return {}; }
    static Status failure(std::string text) { return {false, std::move(text)}; }
};

// Debugger extensions, validated by the session (numbers parsed, arity checked).
enum class DebugOp {
    BreakIrq,      // number = vector, cpu
    BreakMsi,      // text = device ("" = any)
    BreakCoalesce, // cpu
    BreakStorm,    // number = rate, time_ps = window
    BreakFault,
    BreakTime, // time_ps
    Watch,     // text = DEVICE.REGISTER
    Delete,    // number = breakpoint id
    Breakpoints,
    Step,     // number = events
    Stepi,    // number = hops
    Continue, //
    Pause,
    Where,
    Events, // number = how many
    Info,   // text = topic, name = NAME|N ("" = default)
    Back,   // number = events
    Save,   // text = file
    Load,   // text = file
};

struct DebugRequest {
    DebugOp op = DebugOp::Where;
    std::uint64_t number = 0;
    std::optional<std::uint32_t> cpu;
    std::uint64_t time_ps = 0;
    std::string text;
    std::string name;
};

class Machine {
  public:
    virtual ~Machine() = default;

    virtual unsigned cpu_count() const = 0;

    // qtest core, as CPU `cpu`. size: 1, 2, 4, 8. Values little-endian.
    virtual Status mem_read(unsigned cpu, std::uint64_t address, unsigned size, std::uint64_t& value) = 0;
    virtual Status mem_write(unsigned cpu, std::uint64_t address, unsigned size, std::uint64_t value) = 0;
    virtual Status mem_read_bytes(unsigned cpu, std::uint64_t address, std::span<std::uint8_t> out) = 0;
    virtual Status mem_write_bytes(unsigned cpu, std::uint64_t address,
                                   std::span<const std::uint8_t> data) = 0;
    virtual Status port_in(std::uint16_t port, unsigned size, std::uint32_t& value) = 0;
    virtual Status port_out(std::uint16_t port, unsigned size, std::uint32_t value) = 0;
    // Advance simulated time by `ns` (nullopt: to the next pending event) / to `ns`; returns the new
    // simulated time in ns. Never goes backwards.
    virtual std::uint64_t clock_step(std::optional<std::uint64_t> ns) = 0;
    virtual std::uint64_t clock_set(std::uint64_t ns) = 0;
    virtual Status irq_intercept(bool outputs, std::string_view device) = 0;

    // Extensions.
    virtual Status rdmsr(unsigned cpu, std::uint32_t index, std::uint64_t& value) = 0;
    virtual Status wrmsr(unsigned cpu, std::uint32_t index, std::uint64_t value) = 0;
    virtual Status debug(const DebugRequest& request, unsigned cpu, nlohmann::json& result) = 0;

    // Asynchronous lines ("IRQ raise N") produced since the last call, sent before the reply.
    virtual std::vector<std::string> take_async_lines() = 0;
    // A command line that may have changed machine state (accesses, MSRs, CPU selection), applied at
    // the machine's current position: the replay journal of `back` and `save`.
    virtual void journal(std::string_view line) = 0;
};

} // namespace x86sim::control
