// Test device: identity, BARs, capabilities and the register file. Storm and DMA engines are in
// storm.cpp and dma.cpp.
#include "models/testdev/test_device.h"

#include <bit>
#include <stdexcept>

namespace x86sim::models {

namespace {
PciIdentity test_device_identity() {
    return {.vendor_id = TestDevice::kVendorId,
            .device_id = TestDevice::kDeviceId,
            .revision = 1,
            .class_code = 0xFF0000,
            .subsystem_vendor_id = TestDevice::kVendorId,
            .subsystem_id = 0x0001,
            .interrupt_pin = pci::InterruptPin::IntA,
            .multifunction = false};
}

std::uint64_t round_up(std::uint64_t value, std::uint64_t granule) {
    return (value + granule - 1) / granule * granule;
}
} // namespace

TestDevice::TestDevice(sc_core::sc_module_name name, const TestDeviceConfig& config)
    : sc_module(name), PciFunction(static_cast<const char*>(name), test_device_identity()), config_(config),
      regs_(std::string(static_cast<const char*>(name)) + ".regs",
            {.unmapped_fill = 0, .require_natural_alignment = true, .allowed_sizes = 0b1111}),
      buffer_(config.dma_buffer_bytes, 0) {
    if (config_.msix_vectors < 1 || config_.msix_vectors > 2048) {
        throw std::invalid_argument(PciFunction::name() + ": MSI-X vectors must be 1..2048");
    }
    add_bar(kRegisterBar, {.kind = BarKind::Memory32, .size = 4096});
    add_bar(kIoBar, {.kind = BarKind::Io, .size = 32});
    const std::uint64_t table_bytes = 16ULL * config_.msix_vectors;
    const std::uint64_t pba_offset = round_up(table_bytes, 4096);
    const std::uint64_t pba_bytes = 8ULL * ((config_.msix_vectors + 63) / 64);
    const std::uint64_t msix_bar_size =
        std::max<std::uint64_t>(16 * 1024, std::bit_ceil(pba_offset + pba_bytes));
    add_bar(kMsixBar, {.kind = BarKind::Memory64, .size = msix_bar_size});
    add_msi({.vectors_log2 = config_.msi_vectors_log2,
             .address_64bit = config_.msi_64bit,
             .per_vector_masking = config_.msi_per_vector_masking});
    add_msix({.vectors = config_.msix_vectors,
              .table_bar = kMsixBar,
              .table_offset = 0,
              .pba_bar = kMsixBar,
              .pba_offset = static_cast<std::uint32_t>(pba_offset)});
    build_registers();

    SC_METHOD(storm_tick);
    sensitive << storm_event_;
    dont_initialize();
    SC_METHOD(dma_complete);
    sensitive << dma_event_;
    dont_initialize();
}

std::uint64_t TestDevice::reg(std::uint16_t offset) {
    return regs_.find(offset)->value;
}

void TestDevice::build_registers() {
    const auto ro = RegisterAccess::ReadOnly;
    regs_.add({.name = "id", .offset = kRegId, .width = 4, .reset = kIdRegister, .access = ro});
    regs_.add({.name = "caps",
               .offset = kRegCaps,
               .width = 4,
               .reset = config_.msix_vectors | (1u << config_.msi_vectors_log2) << 16,
               .access = ro});
    regs_.add({.name = "vector", .offset = kRegVector, .width = 4});
    regs_.add({.name = "count", .offset = kRegCount, .width = 4});
    regs_.add({.name = "command",
               .offset = kRegCommand,
               .width = 4,
               .access = RegisterAccess::WriteOnly,
               .on_write = [this](Register&, std::uint64_t value, std::uint64_t) {
                   command(static_cast<std::uint32_t>(value));
               }});
    regs_.add({.name = "storm_rate_hz", .offset = kRegStormRate, .width = 4});
    regs_.add({.name = "storm_duration_ps", .offset = kRegStormDuration, .width = 8});
    regs_.add({.name = "fired", .offset = kRegFired, .width = 8, .access = ro, .on_read = [this](Register&) {
                   return counters_.fired;
               }});
    regs_.add({.name = "status",
               .offset = kRegStatus,
               .width = 4,
               .access = ro,
               .on_read = [this](Register&) -> std::uint64_t {
                   return (storm_running() ? 1u : 0u) | (dma_busy_ ? 2u : 0u);
               }});
    regs_.add({.name = "intx",
               .offset = kRegIntx,
               .width = 4,
               .write_mask = 1,
               .on_write = [this](Register& r, std::uint64_t value, std::uint64_t mask) {
                   r.apply(value, mask);
                   intx_forced_ = (r.value & 1) != 0;
                   update_intx();
               }});
    regs_.add({.name = "int_status",
               .offset = kRegIntStatus,
               .width = 4,
               .access = RegisterAccess::WriteOneToClear,
               .on_read = [this](Register&) -> std::uint64_t { return int_status_; },
               .on_write =
                   [this](Register&, std::uint64_t value, std::uint64_t mask) {
                       int_status_ &= ~static_cast<std::uint32_t>(value & mask);
                       update_intx();
                   }});
    regs_.add({.name = "dma_address", .offset = kRegDmaAddress, .width = 8});
    regs_.add({.name = "dma_length", .offset = kRegDmaLength, .width = 4});
    regs_.add({.name = "dma_pattern", .offset = kRegDmaPattern, .width = 4});
    regs_.add({.name = "dma_control",
               .offset = kRegDmaControl,
               .width = 4,
               .access = RegisterAccess::WriteOnly,
               .on_write = [this](Register&, std::uint64_t value, std::uint64_t) {
                   if ((value & kDmaStart) == 0) {
                       return;
                   }
                   const DmaOptions options{.interrupt = (value & kDmaInterrupt) != 0,
                                            .vector = static_cast<unsigned>(reg(kRegDmaVector)),
                                            .completion_address = reg(kRegCompletionAddress)};
                   start_dma((value & kDmaToMemory) != 0, reg(kRegDmaAddress),
                             static_cast<std::uint32_t>(reg(kRegDmaLength)),
                             static_cast<std::uint32_t>(reg(kRegDmaPattern)), options);
               }});
    regs_.add({.name = "dma_status",
               .offset = kRegDmaStatus,
               .width = 4,
               .access = RegisterAccess::WriteOneToClear,
               .on_read = [this](Register&) -> std::uint64_t { return dma_status_; },
               .on_write =
                   [this](Register&, std::uint64_t value, std::uint64_t mask) {
                       dma_status_ &= ~static_cast<std::uint32_t>(value & mask & (kDmaDone | kDmaError));
                   }});
    regs_.add({.name = "dma_vector", .offset = kRegDmaVector, .width = 4});
    regs_.add({.name = "dma_sum",
               .offset = kRegDmaSum,
               .width = 4,
               .access = ro,
               .on_read = [this](Register&) -> std::uint64_t { return dma_sum_; }});
    regs_.add({.name = "completion_address", .offset = kRegCompletionAddress, .width = 8});
    regs_.add({.name = "dma_sequence",
               .offset = kRegDmaSequence,
               .width = 4,
               .access = ro,
               .on_read = [this](Register&) -> std::uint64_t { return dma_sequence_; }});
}

void TestDevice::command(std::uint32_t value) {
    const auto vector = static_cast<unsigned>(reg(kRegVector));
    switch (value) {
    case kCmdFire:
        fire(vector, 1);
        break;
    case kCmdFireN:
        fire(vector, reg(kRegCount));
        break;
    case kCmdStormStart:
        storm(vector, reg(kRegStormRate), reg(kRegStormDuration));
        break;
    case kCmdStormStop:
        stop_storm();
        break;
    default:
        ++counters_.bad_commands;
        break;
    }
}

MmioResult TestDevice::on_bar_read(unsigned index, std::uint64_t offset, unsigned size,
                                   std::uint64_t& value) {
    if (index == kRegisterBar || (index == kIoBar && offset < 32)) {
        return {regs_.read(offset, size, value), 0};
    }
    return PciFunction::on_bar_read(index, offset, size, value);
}

MmioResult TestDevice::on_bar_write(unsigned index, std::uint64_t offset, unsigned size,
                                    std::uint64_t value) {
    if (index == kRegisterBar || (index == kIoBar && offset < 32)) {
        return {regs_.write(offset, size, value), 0};
    }
    return PciFunction::on_bar_write(index, offset, size, value);
}

void TestDevice::fire(unsigned vector, std::uint64_t count) {
    for (std::uint64_t i = 0; i < count; ++i) {
        fire_one(vector);
    }
}

void TestDevice::fire_one(unsigned vector) {
    ++counters_.fired;
    if (signal_vector(vector) == InterruptOutcome::UseIntx) {
        // Neither MSI nor MSI-X enabled: latch the event in INT_STATUS and hold INTx until software
        // clears it (level-triggered, §2.1).
        int_status_ |= 1u << (vector < 31 ? vector : 30);
        update_intx();
    }
}

void TestDevice::set_intx(bool asserted) {
    Register* intx = regs_.find(kRegIntx);
    intx->value = asserted ? 1 : 0;
    intx_forced_ = asserted;
    update_intx();
}

void TestDevice::update_intx() {
    set_intx_condition(intx_forced_ || int_status_ != 0);
}

void TestDevice::on_reset() {
    regs_.reset();
    stop_storm();
    dma_event_.cancel();
    dma_busy_ = false;
    dma_status_ = 0;
    dma_sum_ = 0;
    dma_sequence_ = 0;
    intx_forced_ = false;
    int_status_ = 0;
    std::fill(buffer_.begin(), buffer_.end(), 0);
}

void TestDevice::report_metrics(MetricSink& sink) const {
    PciFunction::report_metrics(sink);
    sink.counter("fired", counters_.fired);
    sink.counter("storms", counters_.storms);
    sink.counter("dma_transfers", counters_.dma_transfers);
    sink.counter("dma_bytes", counters_.dma_bytes);
    sink.counter("dma_errors", counters_.dma_errors);
    sink.counter("dma_rejected", counters_.dma_rejected);
    sink.counter("bad_commands", counters_.bad_commands);
}

} // namespace x86sim::models
