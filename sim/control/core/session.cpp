#include "sim/control/core/session.h"

#include "sim/control/core/line_framer.h"
#include "sim/control/core/numbers.h"

#include <array>
#include <cinttypes>
#include <cstdio>
#include <exception>
#include <utility>
#include <vector>

namespace x86sim::control {

namespace {

using Words = std::vector<std::string_view>;

Words split_words(std::string_view line) {
    Words words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
            ++i;
        }
        const auto start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            ++i;
        }
        if (i > start) {
            words.push_back(line.substr(start, i - start));
        }
    }
    return words;
}

std::string ok() {
    return "OK";
}

std::string fail(std::string_view message) {
    return "FAIL " + std::string(message);
}

std::string hex64(std::uint64_t value) {
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "OK 0x%016" PRIx64, value);
    return text.data();
}

std::string hex_port(std::uint32_t value) {
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "OK 0x%04x", value);
    return text.data();
}

std::string ok_json(const nlohmann::json& value) {
    // Invalid UTF-8 from a client (a device name, a file name) is replaced, never thrown.
    return "OK " + value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Printable, bounded echo of client text inside a FAIL message.
std::string quoted(std::string_view text) {
    std::string out = "'";
    for (const char c : text.substr(0, 64)) {
        const auto byte = static_cast<unsigned char>(c);
        out += (byte >= 0x20 && byte < 0x7f) ? c : '?';
    }
    if (text.size() > 64) {
        out += "...";
    }
    return out + "'";
}

// Argument checking for one command: the usage string goes into every FAIL.
class Args {
  public:
    Args(const Words& words, std::string usage) : words_(words), usage_(std::move(usage)) {}

    bool arity(std::size_t min_args, std::size_t max_args, std::string& error) const {
        const auto given = words_.size() - 1;
        if (given < min_args) {
            error = fail(std::string(words_[0]) + ": missing argument (usage: " + usage_ + ")");
            return false;
        }
        if (given > max_args) {
            error =
                fail(std::string(words_[0]) + ": too many arguments (usage: " + usage_ + ")");
            return false;
        }
        return true;
    }
    bool has(std::size_t index) const { return index < words_.size(); }
    std::string_view word(std::size_t index) const { return words_[index]; }

    bool number(std::size_t index, std::string_view what, std::uint64_t& value, std::string& error,
                std::uint64_t max = UINT64_MAX) const {
        const auto parsed = parse_number(words_[index]);
        if (!parsed) {
            error = fail(std::string(words_[0]) + ": invalid " + std::string(what) + " " +
                         quoted(words_[index]) + " (0x hex or decimal)");
            return false;
        }
        if (*parsed > max) {
            error = fail(std::string(words_[0]) + ": " + std::string(what) + " " + quoted(words_[index]) +
                         " out of range (max " + std::to_string(max) + ")");
            return false;
        }
        value = *parsed;
        return true;
    }
    bool duration(std::size_t index, std::string_view what, std::uint64_t& ps, std::string& error) const {
        const auto parsed = parse_duration_ps(words_[index]);
        if (!parsed) {
            error = fail(std::string(words_[0]) + ": invalid " + std::string(what) + " " +
                         quoted(words_[index]) + " (e.g. 250ns, 20us, 1.5ms; plain numbers are ns)");
            return false;
        }
        ps = *parsed;
        return true;
    }

  private:
    const Words& words_;
    std::string usage_; // owned: callers pass temporaries
};

unsigned access_size(char suffix) {
    switch (suffix) {
    case 'b':
        return 1;
    case 'w':
        return 2;
    case 'l':
        return 4;
    case 'q':
        return 8;
    default:
        return 0;
    }
}

bool parse_hex_data(std::string_view token, std::uint64_t size, std::vector<std::uint8_t>& data) {
    // QEMU's `write`: "0x" then two hex digits per byte; missing trailing bytes are zero.
    if (token.size() < 3 || token[0] != '0' || (token[1] != 'x' && token[1] != 'X')) {
        return false;
    }
    const auto digits = token.substr(2);
    if (digits.size() % 2 != 0 || digits.size() / 2 > size) {
        return false;
    }
    data.assign(size, 0);
    for (std::size_t i = 0; i < digits.size() / 2; ++i) {
        const auto byte = parse_number("0x" + std::string(digits.substr(2 * i, 2)));
        if (!byte) {
            return false;
        }
        data[i] = static_cast<std::uint8_t>(*byte);
    }
    return true;
}

} // namespace

std::string Session::oversized_reply() {
    return "FAIL line too long (more than " + std::to_string(kMaxLineBytes) + " bytes); ignored\n";
}

std::string Session::handle_line(std::string_view line) {
    std::string reply;
    try {
        reply = dispatch(line);
    } catch (const std::exception& error) {
        reply = fail(std::string("internal error: ") + error.what());
    }
    std::string out;
    for (const auto& async : machine_.take_async_lines()) {
        out += async;
        out += '\n';
    }
    out += reply;
    out += '\n';
    return out;
}

std::string Session::dispatch(std::string_view line) {
    const auto words = split_words(line);
    if (words.empty()) {
        return fail("Unknown command ''");
    }
    const auto command = words[0];
    std::string error;
    Status status;

    // qtest core: memory.
    if (command.size() == 5 && command.substr(0, 4) == "read" && access_size(command[4]) != 0) {
        Args args(words, std::string(command) + " ADDR");
        std::uint64_t address = 0;
        if (!args.arity(1, 1, error) || !args.number(1, "address", address, error)) {
            return error;
        }
        std::uint64_t value = 0;
        status = machine_.mem_read(cpu_, address, access_size(command[4]), value);
        machine_.journal(line);
        return status.ok ? hex64(value) : fail(status.message);
    }
    if (command.size() == 6 && command.substr(0, 5) == "write" && access_size(command[5]) != 0) {
        Args args(words, std::string(command) + " ADDR VALUE");
        std::uint64_t address = 0;
        std::uint64_t value = 0;
        if (!args.arity(2, 2, error) || !args.number(1, "address", address, error) ||
            !args.number(2, "value", value, error)) {
            return error;
        }
        const auto size = access_size(command[5]);
        if (size < 8) {
            value &= (1ULL << (8 * size)) - 1; // QEMU truncates to the access width
        }
        status = machine_.mem_write(cpu_, address, size, value);
        machine_.journal(line);
        return status.ok ? ok() : fail(status.message);
    }
    if (command == "read") {
        Args args(words, "read ADDR SIZE");
        std::uint64_t address = 0;
        std::uint64_t size = 0;
        if (!args.arity(2, 2, error) || !args.number(1, "address", address, error) ||
            !args.number(2, "size", size, error, kMaxReadBytes)) {
            return error;
        }
        if (size == 0) {
            return fail("read: size must be at least 1");
        }
        std::vector<std::uint8_t> data(size);
        status = machine_.mem_read_bytes(cpu_, address, data);
        machine_.journal(line);
        if (!status.ok) {
            return fail(status.message);
        }
        static constexpr char kHex[] = "0123456789abcdef";
        std::string reply = "OK 0x";
        reply.reserve(5 + 2 * data.size());
        for (const auto byte : data) {
            reply += kHex[byte >> 4];
            reply += kHex[byte & 15];
        }
        return reply;
    }
    if (command == "write") {
        Args args(words, "write ADDR SIZE 0xDATA");
        std::uint64_t address = 0;
        std::uint64_t size = 0;
        if (!args.arity(3, 3, error) || !args.number(1, "address", address, error) ||
            !args.number(2, "size", size, error, kMaxLineBytes)) {
            return error;
        }
        std::vector<std::uint8_t> data;
        if (!parse_hex_data(args.word(3), size, data)) {
            return fail(
                "write: invalid argument size or data (usage: write ADDR SIZE 0xHEXBYTES, at most SIZE "
                "bytes of data)");
        }
        status = machine_.mem_write_bytes(cpu_, address, data);
        machine_.journal(line);
        return status.ok ? ok() : fail(status.message);
    }
    if (command == "memset") {
        Args args(words, "memset ADDR SIZE BYTE");
        std::uint64_t address = 0;
        std::uint64_t size = 0;
        std::uint64_t pattern = 0;
        if (!args.arity(3, 3, error) || !args.number(1, "address", address, error) ||
            !args.number(2, "size", size, error, kMaxMemsetBytes) ||
            !args.number(3, "byte", pattern, error)) {
            return error;
        }
        if (size > 0) {
            const std::vector<std::uint8_t> data(size, static_cast<std::uint8_t>(pattern));
            status = machine_.mem_write_bytes(cpu_, address, data);
            machine_.journal(line);
        }
        return status.ok ? ok() : fail(status.message);
    }
    // qtest core: ports.
    if (command.size() == 3 && command.substr(0, 2) == "in" && access_size(command[2]) != 0 &&
        command[2] != 'q') {
        Args args(words, std::string(command) + " PORT");
        std::uint64_t port = 0;
        if (!args.arity(1, 1, error) || !args.number(1, "port", port, error, 0xFFFF)) {
            return error;
        }
        std::uint32_t value = 0;
        status = machine_.port_in(static_cast<std::uint16_t>(port), access_size(command[2]), value);
        machine_.journal(line);
        return status.ok ? hex_port(value) : fail(status.message);
    }
    if (command.size() == 4 && command.substr(0, 3) == "out" && access_size(command[3]) != 0 &&
        command[3] != 'q') {
        Args args(words, std::string(command) + " PORT VALUE");
        std::uint64_t port = 0;
        std::uint64_t value = 0;
        if (!args.arity(2, 2, error) || !args.number(1, "port", port, error, 0xFFFF) ||
            !args.number(2, "value", value, error)) {
            return error;
        }
        const auto size = access_size(command[3]);
        value &= (1ULL << (8 * size)) - 1;
        status = machine_.port_out(static_cast<std::uint16_t>(port), size, static_cast<std::uint32_t>(value));
        machine_.journal(line);
        return status.ok ? ok() : fail(status.message);
    }
    // qtest core: clock.
    if (command == "clock_step") {
        Args args(words, "clock_step [NS]");
        std::uint64_t ns = 0;
        if (!args.arity(0, 1, error) || (args.has(1) && !args.number(1, "time", ns, error, INT64_MAX))) {
            return error;
        }
        const auto now = machine_.clock_step(args.has(1) ? std::optional<std::uint64_t>(ns) : std::nullopt);
        return "OK " + std::to_string(now);
    }
    if (command == "clock_set") {
        Args args(words, "clock_set NS");
        std::uint64_t ns = 0;
        if (!args.arity(1, 1, error) || !args.number(1, "time", ns, error, INT64_MAX)) {
            return error;
        }
        return "OK " + std::to_string(machine_.clock_set(ns));
    }
    if (command == "irq_intercept_in" || command == "irq_intercept_out") {
        Args args(words, std::string(command) + " DEVICE");
        if (!args.arity(1, 1, error)) {
            return error;
        }
        status = machine_.irq_intercept(command == "irq_intercept_out", args.word(1));
        if (status.ok) {
            machine_.journal(line);
        }
        return status.ok ? ok() : fail(status.message);
    }
    if (command == "endianness") {
        Args args(words, "endianness");
        return args.arity(0, 0, error) ? "OK little" : error;
    }

    // Extensions.
    if (command == "cpu") {
        Args args(words, "cpu N");
        std::uint64_t index = 0;
        if (!args.arity(1, 1, error) || !args.number(1, "cpu", index, error, UINT32_MAX)) {
            return error;
        }
        if (index >= machine_.cpu_count()) {
            return fail("cpu: no CPU " + std::to_string(index) + " (this platform has " +
                        std::to_string(machine_.cpu_count()) + ")");
        }
        cpu_ = static_cast<unsigned>(index);
        machine_.journal(line);
        return ok_json({{"cpu", cpu_}});
    }
    if (command == "rdmsr" || command == "wrmsr") {
        const bool write = command == "wrmsr";
        Args args(words, write ? "wrmsr INDEX VALUE" : "rdmsr INDEX");
        std::uint64_t index = 0;
        std::uint64_t value = 0;
        if (!args.arity(write ? 2 : 1, write ? 2 : 1, error) ||
            !args.number(1, "index", index, error, UINT32_MAX) ||
            (write && !args.number(2, "value", value, error))) {
            return error;
        }
        status = write ? machine_.wrmsr(cpu_, static_cast<std::uint32_t>(index), value)
                       : machine_.rdmsr(cpu_, static_cast<std::uint32_t>(index), value);
        machine_.journal(line);
        if (!status.ok) {
            return fail(status.message);
        }
        return write ? ok() : hex64(value);
    }

    DebugRequest request;
    std::size_t cpu_qualifier = 0; // index of an optional "cpu N" pair
    if (command == "break") {
        if (words.size() < 2) {
            return fail("break: missing kind (usage: break irq|msi|coalesce|storm|fault|time ...)");
        }
        const auto kind = words[1];
        if (kind == "irq") {
            Args args(words, "break irq VECTOR [cpu N]");
            std::uint64_t vector = 0;
            if (!args.arity(2, 4, error) || !args.number(2, "vector", vector, error, 255)) {
                return error;
            }
            request.op = DebugOp::BreakIrq;
            request.number = vector;
            cpu_qualifier = 3;
        } else if (kind == "msi") {
            Args args(words, "break msi [DEVICE]");
            if (!args.arity(1, 2, error)) {
                return error;
            }
            request.op = DebugOp::BreakMsi;
            request.text = args.has(2) ? std::string(args.word(2)) : "";
        } else if (kind == "coalesce") {
            Args args(words, "break coalesce [cpu N]");
            if (!args.arity(1, 3, error)) {
                return error;
            }
            request.op = DebugOp::BreakCoalesce;
            cpu_qualifier = 2;
        } else if (kind == "storm") {
            Args args(words, "break storm RATE [WINDOW]");
            std::uint64_t rate = 0;
            request.time_ps = 1'000'000'000; // 1 ms
            if (!args.arity(2, 3, error) || !args.number(2, "rate", rate, error) ||
                (args.has(3) && !args.duration(3, "window", request.time_ps, error))) {
                return error;
            }
            if (request.time_ps == 0) {
                return fail("break storm: the window must be longer than 0");
            }
            request.op = DebugOp::BreakStorm;
            request.number = rate;
        } else if (kind == "fault") {
            Args args(words, "break fault");
            if (!args.arity(1, 1, error)) {
                return error;
            }
            request.op = DebugOp::BreakFault;
        } else if (kind == "time") {
            Args args(words, "break time T");
            if (!args.arity(2, 2, error) || !args.duration(2, "time", request.time_ps, error)) {
                return error;
            }
            request.op = DebugOp::BreakTime;
        } else {
            return fail("break: unknown kind " + quoted(kind) + " (irq, msi, coalesce, storm, fault, time)");
        }
        if (cpu_qualifier != 0 && words.size() > cpu_qualifier) {
            Args args(words, "... cpu N");
            std::uint64_t cpu = 0;
            if (words[cpu_qualifier] != "cpu" || words.size() != cpu_qualifier + 2) {
                return fail("break " + std::string(kind) + ": expected 'cpu N' after the arguments");
            }
            if (!args.number(cpu_qualifier + 1, "cpu", cpu, error, UINT32_MAX)) {
                return error;
            }
            if (cpu >= machine_.cpu_count()) {
                return fail("break: no CPU " + std::to_string(cpu));
            }
            request.cpu = static_cast<std::uint32_t>(cpu);
        }
    } else if (command == "watch") {
        Args args(words, "watch DEVICE.REGISTER");
        if (!args.arity(1, 1, error)) {
            return error;
        }
        request.op = DebugOp::Watch;
        request.text = std::string(args.word(1));
    } else if (command == "delete") {
        Args args(words, "delete N");
        if (!args.arity(1, 1, error) || !args.number(1, "breakpoint number", request.number, error)) {
            return error;
        }
        request.op = DebugOp::Delete;
    } else if (command == "breakpoints" || command == "continue" || command == "pause" ||
               command == "where") {
        Args args(words, std::string(command));
        if (!args.arity(0, 0, error)) {
            return error;
        }
        request.op = command == "breakpoints" ? DebugOp::Breakpoints
                     : command == "continue"  ? DebugOp::Continue
                     : command == "pause"     ? DebugOp::Pause
                                              : DebugOp::Where;
    } else if (command == "step" || command == "stepi" || command == "events" || command == "back") {
        Args args(words, std::string(command) + " [N]");
        request.number = command == "events" ? 20 : 1;
        if (!args.arity(0, 1, error) || (args.has(1) && !args.number(1, "count", request.number, error))) {
            return error;
        }
        if (request.number == 0 && command != "events") {
            return fail(std::string(command) + ": the count must be at least 1");
        }
        request.op = command == "step"     ? DebugOp::Step
                     : command == "stepi"  ? DebugOp::Stepi
                     : command == "events" ? DebugOp::Events
                                           : DebugOp::Back;
    } else if (command == "info") {
        Args args(words, "info cpu|lapic|ioapic|pit|pic|pci|iommu|nvme|sched [NAME|N]");
        if (!args.arity(1, 2, error)) {
            return error;
        }
        request.op = DebugOp::Info;
        request.text = std::string(args.word(1));
        request.name = args.has(2) ? std::string(args.word(2)) : "";
    } else if (command == "save" || command == "load") {
        Args args(words, std::string(command) + " FILE");
        if (!args.arity(1, 1, error)) {
            return error;
        }
        request.op = command == "save" ? DebugOp::Save : DebugOp::Load;
        request.text = std::string(args.word(1));
    } else {
        return fail("Unknown command " + quoted(command));
    }

    nlohmann::json result;
    status = machine_.debug(request, cpu_, result);
    return status.ok ? ok_json(result) : fail(status.message);
}

} // namespace x86sim::control
