// libFuzzer target: the control protocol's line framing, parsing and dispatch (sim/control/core) on a
// SystemC-free fake machine, plus checkpoint parsing. Properties: no crash, no sanitizer report, every
// complete line gets exactly one reply line (plus async lines), and no reply line exceeds what the
// protocol allows (read is capped at 1 MiB of data).
#include "sim/control/core/checkpoint.h"
#include "sim/control/core/fake_machine.h"
#include "sim/control/core/line_framer.h"
#include "sim/control/core/session.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    x86sim::control::FakeMachine machine;
    x86sim::control::Session session(machine);
    x86sim::control::LineFramer framer;
    for (const auto& line : framer.feed(input)) {
        const auto reply =
            line.oversized ? x86sim::control::Session::oversized_reply() : session.handle_line(line.text);
        if (reply.empty() || reply.back() != '\n') {
            std::abort();
        }
        const auto last = reply.rfind('\n', reply.size() - 2);
        const auto final_line = reply.substr(last == std::string::npos ? 0 : last + 1);
        if (final_line.rfind("OK", 0) != 0 && final_line.rfind("FAIL ", 0) != 0) {
            std::abort(); // every command is answered OK... or FAIL <reason>
        }
    }
    if (framer.pending() > x86sim::control::kMaxLineBytes) {
        std::abort();
    }
    try {
        (void)x86sim::control::checkpoint_from_json(nlohmann::json::parse(input));
    } catch (const std::exception&) {
    }
    return 0;
}
