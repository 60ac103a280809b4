#include "arch/x86/lapic.h"

#include "arch/x86/vectors.h"

namespace kut::x86 {

namespace {

constexpr std::uint32_t msr_for(std::uint32_t reg) {
    return 0x800 + (reg >> 4);
}
// Bounded poll of the xAPIC delivery-status bit: a model that never clears it must not hang us.
constexpr unsigned kIcrPollLimit = 1000;

} // namespace

std::uint32_t Lapic::read(std::uint32_t cpu, std::uint32_t reg) const {
    if (x2apic_) {
        std::uint64_t value = 0;
        if (!hal_->rdmsr(cpu, msr_for(reg), value)) {
            return 0;
        }
        return static_cast<std::uint32_t>(value);
    }
    return static_cast<std::uint32_t>(hal_->mmio_read(cpu, base_ + reg, 4));
}

void Lapic::write(std::uint32_t cpu, std::uint32_t reg, std::uint32_t value) const {
    if (x2apic_) {
        hal_->wrmsr(cpu, msr_for(reg), value);
        return;
    }
    hal_->mmio_write(cpu, base_ + reg, 4, value);
}

std::uint32_t Lapic::id(std::uint32_t cpu) const {
    const std::uint32_t raw = read(cpu, lapic_reg::kId);
    return x2apic_ ? raw : raw >> 24;
}

void Lapic::init_cpu(std::uint32_t cpu, bool bsp, bool pic_through_lint0) const {
    write(cpu, lapic_reg::kSvr, kSvrUpstream);
    write(cpu, lapic_reg::kLvtError, vec::kLapicError);
    if (bsp) {
        write(cpu, lapic_reg::kLvtLint0, pic_through_lint0 ? kLvtExtInt : (kLvtExtInt | kLvtMasked));
    }
}

void Lapic::send_icr(std::uint32_t cpu, std::uint32_t destination, std::uint32_t low) const {
    if (x2apic_) {
        // One 64-bit WRMSR, destination in 63:32, no delivery status (§1.3.7).
        hal_->wrmsr(cpu, msr_for(lapic_reg::kIcrLow), (std::uint64_t{destination} << 32) | low);
        return;
    }
    for (unsigned i = 0; i < kIcrPollLimit && (read(cpu, lapic_reg::kIcrLow) & kIcrBusy) != 0; ++i) {
    }
    write(cpu, lapic_reg::kIcrHigh, (destination & 0xFF) << 24);
    write(cpu, lapic_reg::kIcrLow, low);
}

} // namespace kut::x86
