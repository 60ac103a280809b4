// Host bridge / root complex: configuration access (§2.2), BAR decoding (§2.1, §2.3), upstream
// routing (§2.7) and INTx swizzling.
#include "models/pci/root_complex.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace x86sim::models {

using namespace pci;

namespace {
std::uint64_t all_ones(unsigned size) {
    return size >= 8 ? ~0ULL : ((1ULL << (size * 8)) - 1);
}

bool config_size_ok(std::uint16_t offset, unsigned size) {
    return (size == 1 || size == 2 || size == 4) && offset % size == 0 && offset + size <= kConfigSpaceSize;
}

constexpr std::uint16_t kConfigAddressPort = 0xCF8;
constexpr std::uint16_t kConfigDataPort = 0xCFC;
constexpr std::uint32_t kConfigAddressEnable = 0x8000'0000u;
} // namespace

// ECAM (§2.2): address = base + bus << 20 | device << 15 | function << 12 | register.
class RootComplex::EcamWindow : public MmioDevice {
  public:
    explicit EcamWindow(RootComplex& rc) : rc_(rc) {}
    MmioResult mmio_read(std::uint64_t offset, unsigned size, std::uint64_t& value) override {
        const auto delay = rc_.config_.mmio_read_latency_ps;
        if (!in_range(offset, size)) {
            value = all_ones(size);
            return {AccessStatus::BadSize, delay};
        }
        value = rc_.config_read(bdf_of(offset), static_cast<std::uint16_t>(offset & 0xFFF), size);
        return {AccessStatus::Ok, delay};
    }
    MmioResult mmio_write(std::uint64_t offset, unsigned size, std::uint64_t value) override {
        const auto delay = rc_.config_.mmio_write_latency_ps;
        if (!in_range(offset, size)) {
            return {AccessStatus::BadSize, delay};
        }
        rc_.config_write(bdf_of(offset), static_cast<std::uint16_t>(offset & 0xFFF), size,
                         static_cast<std::uint32_t>(value));
        return {AccessStatus::Ok, delay};
    }

  private:
    bool in_range(std::uint64_t offset, unsigned size) {
        // ECAM takes 1/2/4-byte naturally aligned accesses inside the configured buses only.
        if (offset >= (static_cast<std::uint64_t>(rc_.config_.ecam_buses) << 20) ||
            !config_size_ok(static_cast<std::uint16_t>(offset & 0xFFF), size)) {
            ++rc_.counters_.config_bad_access;
            return false;
        }
        return true;
    }
    static PciBdf bdf_of(std::uint64_t offset) {
        return {.bus = static_cast<std::uint8_t>(offset >> 20),
                .device = static_cast<std::uint8_t>(offset >> 15 & 0x1F),
                .function = static_cast<std::uint8_t>(offset >> 12 & 0x7)};
    }
    RootComplex& rc_;
};

class RootComplex::MemoryWindow : public MmioDevice {
  public:
    explicit MemoryWindow(RootComplex& rc) : rc_(rc) {}
    MmioResult mmio_read(std::uint64_t offset, unsigned size, std::uint64_t& value) override {
        return rc_.memory_read(rc_.config_.mmio_window_base + offset, size, value);
    }
    MmioResult mmio_write(std::uint64_t offset, unsigned size, std::uint64_t value) override {
        return rc_.memory_write(rc_.config_.mmio_window_base + offset, size, value);
    }

  private:
    RootComplex& rc_;
};

RootComplex::RootComplex(std::string name, ApicBus& apic_bus, DmaMemory& memory, RootComplexConfig config)
    : name_(std::move(name)), apic_bus_(apic_bus), memory_(memory), config_(config),
      ecam_(std::make_unique<EcamWindow>(*this)), window_(std::make_unique<MemoryWindow>(*this)) {
    if (config_.ecam_buses < 1 || config_.ecam_buses > 256) {
        throw std::invalid_argument(name_ + ": ECAM covers 1..256 buses");
    }
}

RootComplex::~RootComplex() = default;

MmioDevice& RootComplex::ecam() {
    return *ecam_;
}
MmioDevice& RootComplex::memory_window() {
    return *window_;
}

unsigned RootComplex::swizzle(unsigned device, InterruptPin pin) {
    return (device + static_cast<unsigned>(pin) - 1) % 4;
}

void RootComplex::attach(PciFunction& function, PciBdf bdf) {
    if (bdf.device > 31 || bdf.function > 7 || bdf.bus >= config_.ecam_buses) {
        throw std::logic_error(name_ + ": BDF " + bdf.to_string() + " out of range");
    }
    if (function_at(bdf) != nullptr) {
        throw std::logic_error(name_ + ": " + bdf.to_string() + " is already taken");
    }
    function.set_bdf(bdf);
    function.upstream().connect(*this);
    Slot slot{bdf, &function, false};
    auto position = std::lower_bound(slots_.begin(), slots_.end(), bdf.requester_id(),
                                     [](const Slot& s, unsigned rid) { return s.bdf.requester_id() < rid; });
    auto inserted = slots_.insert(position, slot);
    wire_intx(*inserted);
}

PciFunction* RootComplex::function_at(PciBdf bdf) const {
    const auto rid = bdf.requester_id();
    auto position = std::lower_bound(slots_.begin(), slots_.end(), rid,
                                     [](const Slot& s, unsigned r) { return s.bdf.requester_id() < r; });
    return position != slots_.end() && position->bdf.requester_id() == rid ? position->function : nullptr;
}

void RootComplex::connect_intx(IrqLineSink& ioapic) {
    ioapic_ = &ioapic;
    for (unsigned pirq = 0; pirq < pirq_.size(); ++pirq) {
        pirq_[pirq] = std::make_unique<WiredOr>(ioapic, config_.pirq_to_ioapic_input[pirq]);
    }
    for (auto& slot : slots_) {
        wire_intx(slot);
    }
}

void RootComplex::wire_intx(Slot& slot) {
    const auto pin = slot.function->identity().interrupt_pin;
    if (ioapic_ == nullptr || slot.intx_wired || pin == InterruptPin::None) {
        return;
    }
    const unsigned pirq = swizzle(slot.bdf.device, pin);
    if (pirq_sources_[pirq] >= 64) {
        throw std::logic_error(name_ + ": more than 64 functions share PIRQ " + std::to_string(pirq));
    }
    slot.function->intx_line().connect(*pirq_[pirq], pirq_sources_[pirq]++);
    slot.intx_wired = true;
    // A line already asserted before wiring must reach the IOAPIC.
    if (slot.function->intx_line().level()) {
        pirq_[pirq]->set_irq_input(pirq_sources_[pirq] - 1, true);
    }
}

std::uint32_t RootComplex::config_read(PciBdf bdf, std::uint16_t offset, unsigned size) {
    ++counters_.config_reads;
    if (!config_size_ok(offset, size)) {
        ++counters_.config_bad_access;
        return static_cast<std::uint32_t>(all_ones(size));
    }
    PciFunction* function = function_at(bdf);
    if (function == nullptr) {
        ++counters_.config_absent;
        return static_cast<std::uint32_t>(all_ones(size)); // §2.2: absent function reads all ones
    }
    std::uint32_t value = 0;
    function->config_read(offset, size, value);
    return value;
}

void RootComplex::config_write(PciBdf bdf, std::uint16_t offset, unsigned size, std::uint32_t value) {
    ++counters_.config_writes;
    if (!config_size_ok(offset, size)) {
        ++counters_.config_bad_access;
        return;
    }
    PciFunction* function = function_at(bdf);
    if (function == nullptr) {
        ++counters_.config_absent;
        return;
    }
    function->config_write(offset, size, value);
}

RootComplex::ConfigPort RootComplex::decode_config_port(std::uint16_t port, unsigned size,
                                                        ConfigCycle& cycle) {
    if (port >= kConfigAddressPort && port < kConfigAddressPort + 4) {
        // CONFIG_ADDRESS is a dword register; byte/word accesses there are not config cycles.
        if (port != kConfigAddressPort || size != 4) {
            ++counters_.config_bad_access;
            return ConfigPort::BadSize;
        }
        return ConfigPort::Address;
    }
    if (port >= kConfigDataPort && port < kConfigDataPort + 4) {
        const unsigned lane = port - kConfigDataPort;
        if ((size != 1 && size != 2 && size != 4) || lane % size != 0) {
            ++counters_.config_bad_access;
            return ConfigPort::Misaligned;
        }
        if ((config_address_ & kConfigAddressEnable) == 0) {
            return ConfigPort::Floating;
        }
        cycle.bdf = PciBdf{.bus = static_cast<std::uint8_t>(config_address_ >> 16),
                           .device = static_cast<std::uint8_t>(config_address_ >> 11 & 0x1F),
                           .function = static_cast<std::uint8_t>(config_address_ >> 8 & 0x7)};
        cycle.offset = static_cast<std::uint16_t>((config_address_ & 0xFC) + lane);
        return ConfigPort::Data;
    }
    return ConfigPort::None;
}

AccessStatus RootComplex::config_port_status(ConfigPort kind) {
    switch (kind) {
    case ConfigPort::BadSize:
        return AccessStatus::BadSize;
    case ConfigPort::Misaligned:
        return AccessStatus::Misaligned;
    default:
        return AccessStatus::Ok;
    }
}

MmioResult RootComplex::io_read(std::uint16_t port, unsigned size, std::uint32_t& value) {
    const auto delay = config_.port_io_latency_ps;
    value = static_cast<std::uint32_t>(all_ones(size));
    ConfigCycle cycle;
    if (const auto port_kind = decode_config_port(port, size, cycle); port_kind == ConfigPort::Address) {
        value = config_address_;
        return {AccessStatus::Ok, delay};
    } else if (port_kind == ConfigPort::Data) {
        value = config_read(cycle.bdf, cycle.offset, size);
        return {AccessStatus::Ok, delay};
    } else if (port_kind != ConfigPort::None) {
        return {config_port_status(port_kind), delay}; // refused, or the data port floats
    }
    unsigned bar = 0;
    if (PciFunction* function = decode(port, true, bar)) {
        std::uint64_t wide = 0;
        auto result = function->bar_read(bar, port - function->bar(bar).address(), size, wide);
        value = static_cast<std::uint32_t>(wide);
        result.delay_ps += delay;
        return result;
    }
    ++counters_.io_unclaimed;
    return {AccessStatus::Unmapped, delay};
}

MmioResult RootComplex::io_write(std::uint16_t port, unsigned size, std::uint32_t value) {
    const auto delay = config_.port_io_latency_ps;
    ConfigCycle cycle;
    if (const auto port_kind = decode_config_port(port, size, cycle); port_kind == ConfigPort::Address) {
        // Bits 30:24 reserved (read 0), 1:0 always 0: dword register numbers (§2.2).
        config_address_ = value & 0x80FF'FFFCu;
        return {AccessStatus::Ok, delay};
    } else if (port_kind == ConfigPort::Data) {
        config_write(cycle.bdf, cycle.offset, size, value);
        return {AccessStatus::Ok, delay};
    } else if (port_kind != ConfigPort::None) {
        return {config_port_status(port_kind), delay}; // refused, or a write to a floating data port
    }
    unsigned bar = 0;
    if (PciFunction* function = decode(port, true, bar)) {
        auto result = function->bar_write(bar, port - function->bar(bar).address(), size, value);
        result.delay_ps += delay;
        return result;
    }
    ++counters_.io_unclaimed;
    return {AccessStatus::Unmapped, delay};
}

PciFunction* RootComplex::decode(std::uint64_t address, bool io, unsigned& bar) {
    PciFunction* found = nullptr;
    unsigned matches = 0;
    for (const auto& slot : slots_) {
        PciFunction& function = *slot.function;
        if (io ? !function.io_enabled() : !function.memory_enabled()) {
            continue; // §2.1: decoding follows Command.IO / Command.MEM
        }
        for (unsigned index = 0; index < kBarCount; ++index) {
            const Bar& candidate = function.bar(index);
            if (candidate.implemented() && candidate.is_io() == io && candidate.contains(address)) {
                if (matches++ == 0) {
                    found = &function;
                    bar = index;
                }
            }
        }
    }
    if (matches > 1) {
        // Software programmed overlapping BARs. Real hardware would see two completers; the model lets
        // the lowest BDF / BAR answer and counts the conflict.
        ++counters_.bar_overlaps;
    }
    return found;
}

MmioResult RootComplex::memory_read(std::uint64_t address, unsigned size, std::uint64_t& value) {
    unsigned bar = 0;
    if (PciFunction* function = decode(address, false, bar)) {
        auto result = function->bar_read(bar, address - function->bar(bar).address(), size, value);
        result.delay_ps += config_.mmio_read_latency_ps;
        return result;
    }
    ++counters_.mmio_unclaimed;
    value = all_ones(size); // master abort: reads return all ones (§2.1)
    return {AccessStatus::Unmapped, config_.mmio_read_latency_ps};
}

MmioResult RootComplex::memory_write(std::uint64_t address, unsigned size, std::uint64_t value) {
    unsigned bar = 0;
    if (PciFunction* function = decode(address, false, bar)) {
        auto result = function->bar_write(bar, address - function->bar(bar).address(), size, value);
        result.delay_ps += config_.mmio_write_latency_ps;
        return result;
    }
    ++counters_.mmio_unclaimed;
    return {AccessStatus::Unmapped, config_.mmio_write_latency_ps};
}

// The translator's answer for one upstream request (identity without one): fills the address and
// delay, or returns the refusal to hand back to the device (counted as a translation fault).
std::optional<UpstreamResponse> RootComplex::translate(const UpstreamRequest& request, std::uint64_t& address,
                                                       std::uint64_t& delay) {
    if (translator_ == nullptr) {
        return std::nullopt;
    }
    const auto translation = translator_->translate(request);
    if (translation.status != UpstreamStatus::Ok) {
        ++counters_.translation_faults;
        return UpstreamResponse{translation.status, translation.delay_ps};
    }
    address = translation.address;
    delay = translation.delay_ps;
    return std::nullopt;
}

UpstreamResponse RootComplex::upstream_write(const UpstreamRequest& request,
                                             std::span<const std::uint8_t> data) {
    if (is_interrupt_address(request.address)) {
        // A write into 0xFEEx_xxxx is an interrupt request whoever issued it (§2.7, lapic-pit-msi.md §5.1).
        if (!request.message) {
            ++counters_.dma_writes_to_interrupt_range;
        }
        if (data.size() != 4 || (request.address & 3) != 0) {
            ++counters_.malformed_interrupt_writes;
            ++counters_.unsupported_requests;
            return {UpstreamStatus::UnsupportedRequest, 0};
        }
        MsiMessage message{.address = request.address, .data = 0, .requester_id = request.requester_id};
        std::memcpy(&message.data, data.data(), 4);
        ++counters_.interrupt_messages;
        apic_bus_.deliver_message(message);
        return {};
    }
    return dma(
        request, [&](std::uint64_t address) { return memory_.write(address, data); }, counters_.dma_writes,
        counters_.dma_write_bytes, data.size());
}

UpstreamResponse RootComplex::upstream_read(const UpstreamRequest& request, std::span<std::uint8_t> data) {
    if (is_interrupt_address(request.address)) {
        // A read of the interrupt range has no completer [unverified, §4]: UR.
        ++counters_.unsupported_requests;
        return {UpstreamStatus::UnsupportedRequest, 0};
    }
    return dma(
        request, [&](std::uint64_t address) { return memory_.read(address, data); }, counters_.dma_reads,
        counters_.dma_read_bytes, data.size());
}

template <typename Access>
UpstreamResponse RootComplex::dma(const UpstreamRequest& request, Access access, std::uint64_t& count,
                                  std::uint64_t& bytes, std::size_t size) {
    // Translated (or refused) first; memory nobody backs completes with UR after the translation delay.
    std::uint64_t address = request.address;
    std::uint64_t delay = 0;
    if (auto refused = translate(request, address, delay)) {
        return *refused;
    }
    if (!access(address)) {
        ++counters_.unsupported_requests;
        return {UpstreamStatus::UnsupportedRequest, delay};
    }
    ++count;
    bytes += size;
    return {UpstreamStatus::Ok, delay};
}

void RootComplex::report_metrics(MetricSink& sink) const {
    sink.counter("config_reads", counters_.config_reads);
    sink.counter("config_writes", counters_.config_writes);
    sink.counter("config_absent", counters_.config_absent);
    sink.counter("mmio_unclaimed", counters_.mmio_unclaimed);
    sink.counter("io_unclaimed", counters_.io_unclaimed);
    sink.counter("bar_overlaps", counters_.bar_overlaps);
    sink.counter("interrupt_messages", counters_.interrupt_messages);
    sink.counter("dma_writes_to_interrupt_range", counters_.dma_writes_to_interrupt_range);
    sink.counter("dma_reads", counters_.dma_reads);
    sink.counter("dma_writes", counters_.dma_writes);
    sink.counter("dma_read_bytes", counters_.dma_read_bytes);
    sink.counter("dma_write_bytes", counters_.dma_write_bytes);
    sink.counter("unsupported_requests", counters_.unsupported_requests);
    sink.counter("translation_faults", counters_.translation_faults);
    sink.counter("bad_accesses", counters_.config_bad_access + counters_.malformed_interrupt_writes);
}

std::string RootComplex::dump() const {
    std::string text;
    char line[160];
    for (const auto& slot : slots_) {
        const auto& function = *slot.function;
        std::snprintf(line, sizeof line, "%s %s [%04x:%04x] class %06x command 0x%04x\n",
                      slot.bdf.to_string().c_str(), function.name().c_str(), function.identity().vendor_id,
                      function.identity().device_id, function.identity().class_code, function.command());
        text += line;
        for (unsigned index = 0; index < kBarCount; ++index) {
            if (function.bar(index).implemented()) {
                text += "    " + function.bar(index).describe() + '\n';
            }
        }
    }
    return text;
}

} // namespace x86sim::models
