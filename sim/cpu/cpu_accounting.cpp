#include "sim/cpu/cpu_accounting.h"

namespace x86sim::sim::cpu {

void CpuAccounting::enter(CpuState state, std::uint64_t at_ps) {
    const auto from = clip(since_ps_);
    const auto to = clip(at_ps);
    if (to > from) {
        totals_[static_cast<std::size_t>(state_)] += to - from;
    }
    state_ = state;
    since_ps_ = at_ps > since_ps_ ? at_ps : since_ps_;
}

std::uint64_t CpuAccounting::total_ps(CpuState state) const {
    auto total = totals_[static_cast<std::size_t>(state)];
    if (state == state_ && end_ps_ != ~0ULL && end_ps_ > since_ps_) {
        total += end_ps_ - since_ps_;
    }
    return total;
}

} // namespace x86sim::sim::cpu
