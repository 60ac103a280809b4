#include "arch/x86/pit.h"

#include <algorithm>

namespace kut::x86 {

std::uint32_t pit_divisor_for_hz(std::uint64_t hz) {
    if (hz == 0) {
        return 65536;
    }
    const std::uint64_t divisor = (kPitHz + hz / 2) / hz;
    return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(divisor, 1, 65536));
}

void Pit::start_channel0(std::uint32_t cpu, std::uint32_t divisor) {
    const std::uint32_t count = divisor >= 65536 ? 0 : divisor;
    hal_->out8(cpu, kPitCommand, kPitCh0Mode2);
    hal_->out8(cpu, kPitChannel0, static_cast<std::uint8_t>(count & 0xFF));
    hal_->out8(cpu, kPitChannel0, static_cast<std::uint8_t>(count >> 8));
}

std::uint16_t Pit::read_channel0(std::uint32_t cpu) const {
    hal_->out8(cpu, kPitCommand, kPitLatchCh0);
    const std::uint8_t low = hal_->in8(cpu, kPitChannel0);
    const std::uint8_t high = hal_->in8(cpu, kPitChannel0);
    return static_cast<std::uint16_t>(low | (high << 8));
}

void Pit::start_channel2_oneshot(std::uint32_t cpu, std::uint16_t count) const {
    const std::uint8_t port61 = hal_->in8(cpu, kPort61);
    hal_->out8(cpu, kPort61, static_cast<std::uint8_t>((port61 & ~kPort61Speaker) | kPort61Gate2));
    hal_->out8(cpu, kPitCommand, kPitCh2Mode0);
    hal_->out8(cpu, kPitChannel2, static_cast<std::uint8_t>(count & 0xFF));
    hal_->out8(cpu, kPitChannel2, static_cast<std::uint8_t>(count >> 8));
}

} // namespace kut::x86
