#include "sim/platform/platform.h"

#include "models/common/time.h"
#include "sim/platform/prefixed_sink.h"

#include <string>
#include <tlm_utils/simple_initiator_socket.h>

namespace x86sim::sim {

// System RAM as seen by CPU-side accesses through the address map: each access is a TLM transaction
// to the memory's target socket (DMA engines use SystemMemory's direct interface).
class Platform::MemoryWindow : public sc_core::sc_module, public models::MmioDevice {
  public:
    tlm_utils::simple_initiator_socket<MemoryWindow> socket{"socket"};

    MemoryWindow(sc_core::sc_module_name name, models::SystemMemory& memory) : sc_module(name) {
        socket.bind(memory.socket);
    }
    models::MmioResult mmio_read(std::uint64_t offset, unsigned size, std::uint64_t& value) override {
        value = 0;
        return transport(tlm::TLM_READ_COMMAND, offset, size, value);
    }
    models::MmioResult mmio_write(std::uint64_t offset, unsigned size, std::uint64_t value) override {
        return transport(tlm::TLM_WRITE_COMMAND, offset, size, value);
    }

  private:
    models::MmioResult transport(tlm::tlm_command command, std::uint64_t address, unsigned size,
                                 std::uint64_t& value) {
        tlm::tlm_generic_payload payload;
        payload.set_command(command);
        payload.set_address(address);
        payload.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
        payload.set_data_length(size);
        payload.set_streaming_width(size);
        sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
        socket->b_transport(payload, delay);
        const auto status =
            payload.is_response_ok() ? models::AccessStatus::Ok : models::AccessStatus::Unmapped;
        return {status, models::to_ps(delay)};
    }
};

// Hands each interrupt-path hop to every observer added with add_interrupt_observer().
class Platform::HopFanout : public models::InterruptPathObserver {
  public:
    void add(models::InterruptPathObserver& observer) {
        sinks_.emplace_back().set(&observer);
        kinds_ |= observer.hop_kinds();
    }
    void on_hop(const models::InterruptHop& hop) override {
        for (const auto& sink : sinks_) {
            if (sink.wants(hop.kind)) {
                sink.send(hop);
            }
        }
    }
    std::uint32_t hop_kinds() const override { return kinds_; }

  private:
    std::vector<models::HopSink> sinks_; // each observer with the kinds it declared when added
    std::uint32_t kinds_ = 0;            // their union
};

Platform::Platform(const scenario::Config& config, const sim::cpu::CpuCosts& cpu_costs)
    : config_(config), fabric_(models::InterruptFabricConfig{}) {
    const auto& platform = config.platform;

    memory_ = std::make_unique<models::SystemMemory>(
        "memory", models::SystemMemoryConfig{.size_bytes = platform.memory_bytes});
    memory_window_ = std::make_unique<MemoryWindow>("memory_port", *memory_);
    address_map_.add_mmio({"memory", 0, platform.memory_bytes, memory_window_.get()});

    for (unsigned cpu = 0; cpu < platform.cpus; ++cpu) {
        models::TscConfig tsc_config;
        tsc_config.frequency_hz = platform.tsc_freq_hz;
        tscs_.push_back(std::make_unique<models::Tsc>(tsc_config));

        models::LapicConfig lapic_config;
        lapic_config.apic_id = cpu;
        lapic_config.cpu_index = static_cast<int>(cpu);
        lapic_config.bsp = cpu == 0;
        lapic_config.timer_clock_hz = platform.lapic.timer_clock_hz;
        auto lapic =
            std::make_unique<models::Lapic>(("cpu" + std::to_string(cpu) + "_lapic").c_str(), lapic_config);
        lapic->bind_tsc(tscs_.back().get());
        lapic->bind_bus(&fabric_);
        fabric_.attach(*lapic);
        if (platform.lapic.mode == scenario::LapicMode::x2apic) {
            // Firmware hands over in x2APIC mode: EN and EXTD set (§1.1 xAPIC -> x2APIC transition).
            const auto base = lapic->apic_base_msr();
            lapic->wrmsr(models::Lapic::kMsrApicBase, base | models::Lapic::kApicBaseExtd);
        }
        lapics_.push_back(std::move(lapic));

        sim::cpu::CpuConfig cpu_config;
        cpu_config.index = cpu;
        cpu_config.bsp = cpu == 0;
        cpu_config.frequency_hz = platform.cpu_freq_hz;
        cpu_config.costs = cpu_costs;
        cpus_.push_back(std::make_unique<sim::cpu::Cpu>(("cpu" + std::to_string(cpu)).c_str(), cpu_config,
                                                        *lapics_.back()));
        lapics_.back()->bind_cpu(cpus_.back().get());
    }
    // Each CPU decodes its own LAPIC's window wherever IA32_APIC_BASE puts it (§1.1).
    address_map_.set_per_cpu_resolver(
        [this](unsigned cpu, std::uint64_t address, std::uint64_t& offset) -> models::MmioDevice* {
            if (cpu >= lapics_.size()) {
                return nullptr;
            }
            auto& lapic = *lapics_[cpu];
            if (!lapic.mmio_decoded() || address < lapic.mmio_base() ||
                address >= lapic.mmio_base() + kLapicWindow) {
                return nullptr;
            }
            offset = address - lapic.mmio_base();
            return &lapic;
        });

    if (platform.ioapic.enabled) {
        models::IoapicConfig ioapic_config;
        ioapic_config.id = static_cast<std::uint8_t>(platform.cpus);
        ioapic_ = std::make_unique<models::Ioapic>("ioapic", ioapic_config);
        ioapic_->bind_bus(&fabric_);
        fabric_.attach_eoi_listener(*ioapic_);
        address_map_.add_mmio({"ioapic", kIoapicBase, kIoapicWindow, ioapic_.get()});
    }

    pic_ = std::make_unique<models::Pic8259Pair>("pic");
    address_map_.add_ports("pic-master", 0x20, 2, *pic_);
    address_map_.add_ports("pic-slave", 0xA0, 2, *pic_);
    address_map_.add_ports("elcr", 0x4D0, 2, *pic_);
    pic_->int_output().connect(*lapics_.front(), 0); // 8259 INT -> BSP LINT0 (virtual wire mode)
    lapics_.front()->set_extint_source(pic_.get());

    if (platform.hpet.enabled) {
        models::HpetConfig hpet_config;
        hpet_config.frequency_hz = platform.hpet.freq_hz;
        try {
            hpet_ = std::make_unique<models::Hpet>("hpet", hpet_config);
        } catch (const std::exception& error) {
            throw PlatformError(std::string("hpet: ") + error.what());
        }
        address_map_.add_mmio({"hpet", kHpetBase, kHpetWindow, hpet_.get()});
        // Legacy replacement (HPETSPEC 2.3.9): timer 0 -> 8259 IRQ0 + IOAPIC pin 2, timer 1 -> IRQ8 + pin 8;
        // the HPET model drives those outputs and ORs them with the PIT/RTC pass-through.
        hpet_->pic_output(models::Hpet::kPicIrq0).connect(*pic_, 0);
        hpet_->pic_output(models::Hpet::kPicIrq8).connect(*pic_, 8);
        if (ioapic_) {
            // INT_ROUTE n drives IOAPIC pin n (the model's route capability says which are allowed).
            for (unsigned pin = 0; pin < ioapic_->pins() && pin < models::hpet::kMaxIoapicPins; ++pin) {
                hpet_->ioapic_output(pin).connect(*ioapic_, pin);
            }
        }
        hpet_->set_msi_bus(&fabric_);
    }

    if (platform.pit.enabled) {
        pit_ = std::make_unique<models::Pit8254>("pit");
        address_map_.add_ports("pit", 0x40, 4, *pit_);
        address_map_.add_ports("port61", 0x61, 1, *pit_);
        if (hpet_) {
            // Through the chipset mux that legacy replacement switches off.
            pit_->connect_out(0, hpet_->legacy_inputs(), 0);
        } else {
            pit_->connect_out(0, *pic_, 0);
            if (ioapic_) {
                pit_->connect_out(0, *ioapic_, kPitIoapicPin);
            }
        }
    }

    // PCI: root complex, ECAM, BAR window, 0xCF8/0xCFC, the test devices; INTx to IOAPIC pins 16-19.
    pci_ = std::make_unique<PciSubsystem>(config, fabric_, *memory_, ioapic_.get(), address_map_);

    // irq.latency follows every hop of the interrupt path (sim/cpu/irq_latency.h); it is the first
    // observer of the fan-out, before any debugger or trace.
    irq_latency_ = std::make_unique<sim::cpu::IrqLatencyTracker>(platform.cpus);
    add_interrupt_observer(*irq_latency_);
}

Platform::~Platform() = default;

void Platform::add_interrupt_observer(models::InterruptPathObserver& observer) {
    // Every hop is a virtual call on the interrupt hot path: a single observer (irq.latency in a plain
    // run) is wired to the components directly, and the fan-out steps in from the second one on.
    if (hop_observers_.empty()) {
        wire_interrupt_observer(&observer);
    } else {
        if (!hop_fanout_) {
            hop_fanout_ = std::make_unique<HopFanout>();
            for (auto* earlier : hop_observers_) {
                hop_fanout_->add(*earlier);
            }
        }
        hop_fanout_->add(observer);
        wire_interrupt_observer(hop_fanout_.get()); // the components read the union of the kinds
    }
    hop_observers_.push_back(&observer);
}

void Platform::wire_interrupt_observer(models::InterruptPathObserver* observer) {
    for (auto& lapic : lapics_) {
        lapic->set_observer(observer);
    }
    fabric_.set_observer(observer);
    if (ioapic_) {
        ioapic_->set_observer(observer);
    }
    if (pit_) {
        pit_->set_interrupt_path_observer(observer);
    }
    if (hpet_) {
        hpet_->set_interrupt_path_observer(observer);
    }
    pci_->set_observer(observer); // DeviceMessage hops of the test devices
    for (auto& cpu : cpus_) {
        cpu->set_observer(observer); // HandlerEntry / HandlerExit
    }
}

bool Platform::rdmsr(unsigned cpu, std::uint32_t index, std::uint64_t& value) {
    if (cpu >= lapics_.size()) {
        return false;
    }
    if (models::Lapic::handles_msr(index)) {
        return lapics_[cpu]->rdmsr(index, value);
    }
    return tscs_[cpu]->rdmsr(index, value);
}

bool Platform::wrmsr(unsigned cpu, std::uint32_t index, std::uint64_t value) {
    if (cpu >= lapics_.size()) {
        return false;
    }
    if (models::Lapic::handles_msr(index)) {
        return lapics_[cpu]->wrmsr(index, value);
    }
    return tscs_[cpu]->wrmsr(index, value);
}

void Platform::report_metrics(models::MetricSink& sink) const {
    std::uint64_t delivered = 0;
    std::uint64_t coalesced = 0;
    std::uint64_t spurious = 0;
    std::uint64_t blocked = fabric_.stats().dropped_total();
    for (std::size_t cpu = 0; cpu < lapics_.size(); ++cpu) {
        const auto& lapic = *lapics_[cpu];
        PrefixedSink prefixed(sink, "cpu" + std::to_string(cpu) + ".lapic.");
        lapic.report_metrics(prefixed);
        const auto& stats = lapic.stats();
        delivered += stats.accepted - stats.irr_coalesced;
        coalesced += stats.irr_coalesced;
        spurious += stats.spurious;
        blocked += stats.rejected;
    }
    // Whole-system interrupt figures: a message either set an IRR bit (delivered), merged into one
    // already set (coalesced), or was refused on the way (blocked: fabric drops, LAPIC rejections).
    sink.counter("irq.delivered", delivered);
    sink.counter("irq.coalesced", coalesced);
    sink.counter("irq.spurious", spurious);
    sink.counter("irq.blocked", blocked);
    {
        PrefixedSink prefixed(sink, "fabric.");
        fabric_.report_metrics(prefixed);
    }
    if (ioapic_) {
        PrefixedSink prefixed(sink, "ioapic.");
        ioapic_->report_metrics(prefixed);
    }
    if (pic_) {
        PrefixedSink prefixed(sink, "pic.");
        pic_->report_metrics(prefixed);
    }
    if (pit_) {
        PrefixedSink prefixed(sink, "pit.");
        pit_->report_metrics(prefixed);
    }
    if (hpet_) {
        PrefixedSink prefixed(sink, "hpet.");
        hpet_->report_metrics(prefixed);
    }
    pci_->report_metrics(sink);
}

} // namespace x86sim::sim
