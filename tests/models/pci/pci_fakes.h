// Fakes for PCI tests: a vector-backed DmaMemory and a recording ApicBus that log into one shared
// sequence (so ordering between DMA writes and interrupt messages can be asserted), a recording IOAPIC
// input, a metric recorder, and a configurable generic PCI function.
#pragma once

#include "models/common/apic_bus.h"
#include "models/common/irq_line.h"
#include "models/common/metric_sink.h"
#include "models/common/time.h"
#include "models/pci/dma_memory.h"
#include "models/pci/msi.h"
#include "models/pci/msix.h"
#include "models/pci/pci_function.h"

#include <cstdint>
#include <cstring>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace x86sim::test {

struct LoggedEvent {
    enum class Kind { MemoryWrite, MemoryRead, Interrupt };
    Kind kind = Kind::MemoryWrite;
    std::uint64_t time_ps = 0; // sc_time_stamp() when it reached the fake
    std::uint64_t address = 0;
    std::uint32_t length = 0;
    std::uint32_t data = 0; // interrupt data, or the first dword of a write
    std::uint16_t requester_id = 0;
};

using EventLog = std::vector<LoggedEvent>;

class VectorMemory : public models::DmaMemory {
  public:
    VectorMemory(EventLog& log, std::uint64_t base, std::size_t size)
        : log_(log), base_(base), bytes_(size, 0) {}
    bool read(std::uint64_t address, std::span<std::uint8_t> data) override {
        if (!inside(address, data.size())) {
            return false;
        }
        std::memcpy(data.data(), &bytes_[address - base_], data.size());
        log_.push_back({LoggedEvent::Kind::MemoryRead, models::now_ps(), address,
                        static_cast<std::uint32_t>(data.size()), 0, 0});
        return true;
    }
    bool write(std::uint64_t address, std::span<const std::uint8_t> data) override {
        if (!inside(address, data.size())) {
            return false;
        }
        std::memcpy(&bytes_[address - base_], data.data(), data.size());
        std::uint32_t first = 0;
        std::memcpy(&first, data.data(), std::min<std::size_t>(4, data.size()));
        log_.push_back({LoggedEvent::Kind::MemoryWrite, models::now_ps(), address,
                        static_cast<std::uint32_t>(data.size()), first, 0});
        return true;
    }
    std::uint8_t byte(std::uint64_t address) const { return bytes_.at(address - base_); }
    std::uint32_t dword(std::uint64_t address) const {
        std::uint32_t value = 0;
        std::memcpy(&value, &bytes_.at(address - base_), 4);
        return value;
    }
    void fill(std::uint64_t address, std::span<const std::uint8_t> data) {
        std::memcpy(&bytes_.at(address - base_), data.data(), data.size());
    }

  private:
    bool inside(std::uint64_t address, std::size_t length) const {
        return address >= base_ && address - base_ + length <= bytes_.size();
    }
    EventLog& log_;
    std::uint64_t base_;
    std::vector<std::uint8_t> bytes_;
};

class RecordingApicBus : public models::ApicBus {
  public:
    explicit RecordingApicBus(EventLog& log) : log_(log) {}
    unsigned deliver(const models::InterruptRequest&) override { return 0; }
    unsigned deliver_message(const models::MsiMessage& message) override {
        ++count;
        if (count == 1) {
            first_time_ps = models::now_ps();
        }
        last_time_ps = models::now_ps();
        if (record) {
            messages.push_back(message);
            log_.push_back({LoggedEvent::Kind::Interrupt, models::now_ps(), message.address, 4, message.data,
                            message.requester_id});
        }
        return 1;
    }
    void broadcast_eoi(std::uint8_t) override {}

    bool record = true; // off for storms of a million messages: count and times only
    std::uint64_t count = 0;
    std::uint64_t first_time_ps = 0;
    std::uint64_t last_time_ps = 0;
    std::vector<models::MsiMessage> messages;

  private:
    EventLog& log_;
};

// IOAPIC inputs as a test sees them: the current level and the change history of each input.
class RecordingIrqSink : public models::IrqLineSink {
  public:
    void set_irq_input(unsigned input, bool asserted) override {
        level[input] = asserted;
        changes.emplace_back(input, asserted);
    }
    bool at(unsigned input) const {
        auto it = level.find(input);
        return it != level.end() && it->second;
    }
    std::map<unsigned, bool> level;
    std::vector<std::pair<unsigned, bool>> changes;
};

class MetricRecorder : public models::MetricSink {
  public:
    void counter(std::string_view name, std::uint64_t value) override { counters[std::string(name)] = value; }
    void gauge(std::string_view name, double value) override { gauges[std::string(name)] = value; }
    void latency_sample(std::string_view name, std::uint64_t ps) override {
        samples[std::string(name)].push_back(ps);
    }
    std::map<std::string, std::uint64_t> counters;
    std::map<std::string, double> gauges;
    std::map<std::string, std::vector<std::uint64_t>> samples;
};

// A PCI function whose BARs and capabilities a test chooses. BAR accesses outside MSI-X land in a
// scratch array per BAR.
class GenericFunction : public models::PciFunction {
  public:
    explicit GenericFunction(std::string name, std::uint16_t vendor = 0x1234, std::uint16_t device = 0x5678,
                             models::pci::InterruptPin pin = models::pci::InterruptPin::IntA)
        : PciFunction(std::move(name), {.vendor_id = vendor,
                                        .device_id = device,
                                        .revision = 2,
                                        .class_code = 0x010802,
                                        .subsystem_vendor_id = vendor,
                                        .subsystem_id = 1,
                                        .interrupt_pin = pin}) {}
    using PciFunction::add_bar;
    using PciFunction::add_capability;
    using PciFunction::add_msi;
    using PciFunction::add_msix;

    std::map<std::uint64_t, std::uint64_t> scratch; // (bar << 32 | offset) -> value

  protected:
    models::MmioResult on_bar_read(unsigned index, std::uint64_t offset, unsigned,
                                   std::uint64_t& value) override {
        value = scratch[static_cast<std::uint64_t>(index) << 32 | offset];
        return {};
    }
    models::MmioResult on_bar_write(unsigned index, std::uint64_t offset, unsigned,
                                    std::uint64_t value) override {
        scratch[static_cast<std::uint64_t>(index) << 32 | offset] = value;
        return {};
    }
};

} // namespace x86sim::test
