// PciFunction: BAR dispatch, interrupt mechanism selection (MSI-X > MSI > INTx), INTx pin rules,
// reset, counters and the debugger views. The configuration header itself is in config_space.cpp.
#include "models/pci/pci_function.h"

#include "models/pci/msi.h"
#include "models/pci/msix.h"

#include <cstdio>
#include <stdexcept>

namespace x86sim::models {

using namespace pci;

PciFunction::PciFunction(std::string name, const PciIdentity& identity)
    : name_(std::move(name)), identity_(identity),
      // §2.2: accesses are 1/2/4 bytes, naturally aligned; reserved registers of an existing function
      // read 0 (only absent functions read all ones, which the root complex answers).
      config_(name_ + ".config",
              {.unmapped_fill = 0, .require_natural_alignment = true, .allowed_sizes = 0b0111}),
      upstream_(*this) {
    build_header();
}

PciFunction::~PciFunction() = default;

MsiCapability& PciFunction::add_msi(const MsiConfig& config) {
    if (msi_) {
        throw std::logic_error(name_ + ": MSI capability added twice");
    }
    msi_ = std::make_unique<MsiCapability>(*this, config);
    return *msi_;
}

MsixCapability& PciFunction::add_msix(const MsixConfig& config) {
    if (msix_) {
        throw std::logic_error(name_ + ": MSI-X capability added twice");
    }
    msix_ = std::make_unique<MsixCapability>(*this, config);
    return *msix_;
}

int PciFunction::decode(std::uint64_t address, bool io) const {
    if (io ? !io_enabled() : !memory_enabled()) {
        return -1; // §2.1: MEM = 0 / IO = 0 -> the function does not decode its BARs
    }
    for (const auto& bar : bars_) {
        if (bar.implemented() && bar.is_io() == io && bar.contains(address)) {
            return static_cast<int>(bar.index());
        }
    }
    return -1;
}

MmioResult PciFunction::bar_read(unsigned index, std::uint64_t offset, unsigned size, std::uint64_t& value) {
    if (msix_ && msix_->claims(index, offset)) {
        return msix_->mmio_read(index, offset, size, value);
    }
    return on_bar_read(index, offset, size, value);
}

MmioResult PciFunction::bar_write(unsigned index, std::uint64_t offset, unsigned size, std::uint64_t value) {
    if (msix_ && msix_->claims(index, offset)) {
        return msix_->mmio_write(index, offset, size, value);
    }
    return on_bar_write(index, offset, size, value);
}

MmioResult PciFunction::on_bar_read(unsigned, std::uint64_t, unsigned size, std::uint64_t& value) {
    ++counters_.bar_bad_access;
    value = size >= 8 ? ~0ULL : ((1ULL << (size * 8)) - 1);
    return {AccessStatus::Unmapped, 0};
}

MmioResult PciFunction::on_bar_write(unsigned, std::uint64_t, unsigned, std::uint64_t) {
    ++counters_.bar_bad_access;
    return {AccessStatus::Unmapped, 0};
}

bool PciFunction::msi_enabled() const {
    return msi_ && msi_->enabled();
}
bool PciFunction::msix_enabled() const {
    return msix_ && msix_->enabled();
}

InterruptOutcome PciFunction::signal_vector(unsigned vector, std::uint64_t offset_ps) {
    // §2.6: the function must not use both; MSI-X wins if software enabled both (QEMU does the same).
    if (msix_ && msix_->enabled()) {
        return msix_->fire(vector, offset_ps);
    }
    if (msi_ && msi_->enabled()) {
        return msi_->fire(vector, offset_ps);
    }
    return InterruptOutcome::UseIntx;
}

InterruptOutcome PciFunction::send_message(const MsiMessage& message, bool msix, std::uint64_t offset_ps) {
    if (!is_interrupt_address(message.address)) {
        // Software programmed a bad address: the function cannot know, it writes memory (§2.5 "an MSI
        // is a DWORD memory write"). Counted here; the root complex decides RAM or UR.
        ++counters_.msi_bad_address;
    }
    const auto result = upstream_.send_message(message, offset_ps);
    if (result.status == UpstreamStatus::BusMasterDisabled || result.status == UpstreamStatus::NotConnected) {
        ++counters_.messages_blocked;
        return InterruptOutcome::Blocked;
    }
    // A posted write has no completion: once it has left, the function counts it as sent whatever the
    // root complex made of it.
    ++(msix ? counters_.msix_sent : counters_.msi_sent);
    return InterruptOutcome::Sent;
}

void PciFunction::set_intx_condition(bool asserted) {
    intx_condition_ = asserted;
    // Status.Interrupt reflects the internal condition even when INTx is disabled (§2.1).
    set_status_bits(kStatusInterrupt, asserted);
    update_intx_pin();
}

void PciFunction::update_intx_pin() {
    const bool pin = intx_condition_ && !intx_disabled() && !msi_enabled() && !msix_enabled() &&
                     identity_.interrupt_pin != InterruptPin::None;
    if (pin && !intx_line_.level()) {
        ++counters_.intx_asserted;
    }
    intx_line_.set(pin);
}

void PciFunction::note_received_master_abort() {
    set_status_bits(kStatusReceivedMasterAbort, true);
}

void PciFunction::reset() {
    config_.reset();
    if (msi_) {
        msi_->reset();
    }
    if (msix_) {
        msix_->reset();
    }
    sync_from_registers();
    intx_condition_ = false;
    upstream_.reset_link_state();
    on_reset();
    update_intx_pin();
}

std::uint64_t PciFunction::bad_accesses() const {
    const auto& stats = config_.stats();
    return stats.bad_size + stats.misaligned + counters_.msix_bad_access + counters_.msix_pba_writes +
           counters_.bar_bad_access;
}

void PciFunction::report_metrics(MetricSink& sink) const {
    const auto& port = upstream_.stats();
    sink.counter("interrupts", interrupts());
    sink.counter("msi_sent", counters_.msi_sent);
    sink.counter("msix_sent", counters_.msix_sent);
    sink.counter("msi_pending_set", counters_.msi_pending_set);
    sink.counter("msi_pending_delivered", counters_.msi_pending_delivered);
    sink.counter("msix_pending_set", counters_.msix_pending_set);
    sink.counter("msix_pending_delivered", counters_.msix_pending_delivered);
    sink.counter("intx_asserted", counters_.intx_asserted);
    sink.counter("messages_blocked", counters_.messages_blocked);
    sink.counter("bus_master_blocked", port.bus_master_blocked);
    sink.counter("msi_bad_address", counters_.msi_bad_address);
    sink.counter("msix_bad_access", counters_.msix_bad_access);
    sink.counter("msix_unmasked_entry_writes", counters_.msix_unmasked_entry_writes);
    sink.counter("vector_out_of_range", counters_.vector_out_of_range);
    sink.counter("bad_accesses", bad_accesses());
    sink.counter("config_read_only_writes", config_.stats().read_only_writes);
    sink.counter("upstream.write_requests", port.write_requests);
    sink.counter("upstream.read_requests", port.read_requests);
    sink.counter("upstream.messages", port.messages);
    sink.counter("upstream.tlps", port.tlps);
    sink.counter("upstream.bytes_written", port.bytes_written);
    sink.counter("upstream.bytes_read", port.bytes_read);
    sink.counter("upstream.unsupported_requests", port.unsupported_requests);
    sink.counter("upstream.translation_faults", port.translation_faults);
}

std::string PciFunction::dump_interrupts() const {
    char line[160];
    std::snprintf(line, sizeof line, "%s %s: command 0x%04x status 0x%04x intx condition %d pin %d\n",
                  name_.c_str(), bdf_.to_string().c_str(), command_, config_peek(kStatus, 2),
                  intx_condition_ ? 1 : 0, intx_line_.level() ? 1 : 0);
    std::string text = line;
    if (msi_) {
        text += msi_->describe();
    }
    if (msix_) {
        text += msix_->describe();
    }
    return text;
}

} // namespace x86sim::models
