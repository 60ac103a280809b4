// A Machine without SystemC for the protocol's unit tests and the libFuzzer target: sparse byte memory,
// 64 Ki ports, MSRs in a map (0x1B, 0x10 and 0x800-0x8FF exist; others #GP), a clock in ns, and every
// debugger request answered with its decoded form. Records each journalled line.
#pragma once

#include "sim/control/core/machine.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace x86sim::control {

class FakeMachine : public Machine {
  public:
    unsigned cpu_count() const override { return 2; }
    Status mem_read(unsigned, std::uint64_t address, unsigned size, std::uint64_t& value) override {
        value = 0;
        for (unsigned i = 0; i < size; ++i) {
            value |= static_cast<std::uint64_t>(byte(address + i)) << (8 * i);
        }
        return {};
    }
    Status mem_write(unsigned, std::uint64_t address, unsigned size, std::uint64_t value) override {
        for (unsigned i = 0; i < size; ++i) {
            memory[address + i] = static_cast<std::uint8_t>(value >> (8 * i));
        }
        return {};
    }
    Status mem_read_bytes(unsigned, std::uint64_t address, std::span<std::uint8_t> out) override {
        for (std::size_t i = 0; i < out.size(); ++i) {
            out[i] = byte(address + i);
        }
        return {};
    }
    Status mem_write_bytes(unsigned, std::uint64_t address, std::span<const std::uint8_t> data) override {
        // Sparse: only the first 4 KiB of a large write are kept (enough for tests, bounded for the fuzzer).
        for (std::size_t i = 0; i < data.size() && i < 4096; ++i) {
            memory[address + i] = data[i];
        }
        return {};
    }
    Status port_in(std::uint16_t port, unsigned, std::uint32_t& value) override {
        const auto it = ports.find(port);
        value = it == ports.end() ? 0xFFFFFFFFU : it->second;
        return {};
    }
    Status port_out(std::uint16_t port, unsigned, std::uint32_t value) override {
        ports[port] = value;
        return {};
    }
    std::uint64_t clock_step(std::optional<std::uint64_t> ns) override {
        now_ns += ns ? *ns : 1000;
        return now_ns;
    }
    std::uint64_t clock_set(std::uint64_t ns) override {
        now_ns = std::max(now_ns, ns);
        return now_ns;
    }
    Status irq_intercept(bool, std::string_view device) override {
        if (device != "ioapic" && device != "pic") {
            return Status::failure("Unknown device");
        }
        async.push_back("IRQ raise 2");
        return {};
    }
    Status rdmsr(unsigned, std::uint32_t index, std::uint64_t& value) override {
        if (!msr_exists(index)) {
            return Status::failure("gp");
        }
        value = msrs[index];
        return {};
    }
    Status wrmsr(unsigned, std::uint32_t index, std::uint64_t value) override {
        if (!msr_exists(index)) {
            return Status::failure("gp");
        }
        msrs[index] = value;
        return {};
    }
    Status debug(const DebugRequest& request, unsigned cpu, nlohmann::json& result) override {
        result = {{"op", static_cast<int>(request.op)},
                  {"number", request.number},
                  {"time_ps", request.time_ps},
                  {"text", request.text},
                  {"name", request.name},
                  {"cpu", cpu}};
        if (request.cpu) {
            result["break_cpu"] = *request.cpu;
        }
        return {};
    }
    std::vector<std::string> take_async_lines() override {
        std::vector<std::string> lines;
        lines.swap(async);
        return lines;
    }
    void journal(std::string_view line) override {
        if (journal_lines.size() < 1024) {
            journal_lines.emplace_back(line);
        }
    }

    std::map<std::uint64_t, std::uint8_t> memory;
    std::map<std::uint16_t, std::uint32_t> ports;
    std::map<std::uint32_t, std::uint64_t> msrs;
    std::uint64_t now_ns = 0;
    std::vector<std::string> async;
    std::vector<std::string> journal_lines;

  private:
    std::uint8_t byte(std::uint64_t address) const {
        const auto it = memory.find(address);
        return it == memory.end() ? 0xFF : it->second;
    }
    static bool msr_exists(std::uint32_t index) {
        return index == 0x1B || index == 0x10 || (index >= 0x800 && index < 0x900);
    }
};

} // namespace x86sim::control
