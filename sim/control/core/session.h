// One control connection's protocol state (design/CONTROL-PROTOCOL.md): a pure function from a command
// line to its reply text, on top of a Machine. No sockets and no SystemC here, so the unit tests and the
// libFuzzer target (fuzz/control_protocol_fuzz.cpp) drive it directly.
//
// Replies: the qtest core answers exactly as QEMU's qtest.c does (`OK`, `OK 0x%016x` for readX, `OK
// 0x%04x` for inX, `OK 0x<hex bytes>` for read, `OK <ns>` for the clock); debugger extensions answer `OK`
// followed by one line of JSON. Anything malformed gets `FAIL <reason>` and changes nothing: an unknown
// command is QEMU's `FAIL Unknown command 'NAME'`; a missing or bad argument names the command, the
// argument and the expected form. Words are separated by runs of spaces or tabs.
#pragma once

#include "sim/control/core/machine.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace x86sim::control {

// Limits of one command (bad input gets FAIL, never an allocation the size of the request).
inline constexpr std::uint64_t kMaxReadBytes = 1ULL << 20;    // read: the reply holds 2 hex digits each
inline constexpr std::uint64_t kMaxMemsetBytes = 64ULL << 20; // memset

class Session {
  public:
    explicit Session(Machine& machine) : machine_(machine) {}

    // The full text to send for `line`: any asynchronous lines first, then the reply; each line ends
    // with '\n'. Never throws for any input.
    std::string handle_line(std::string_view line);
    // The reply for a line the framer found oversized (> 64 KiB).
    static std::string oversized_reply();

    unsigned selected_cpu() const { return cpu_; }

  private:
    std::string dispatch(std::string_view line);

    Machine& machine_;
    unsigned cpu_ = 0;
};

} // namespace x86sim::control
