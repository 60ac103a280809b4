// Test device DMA engine: one transfer in flight. The data moves through the upstream port when the
// transfer starts (annotated time); the completion — record write, DONE, interrupt — happens at the
// modelled end of the transfer, in that order (vtd-pci-nvme.md §2.7: data and completion before the
// interrupt).
#include "models/common/time.h"
#include "models/testdev/test_device.h"

#include <algorithm>
#include <cstring>

namespace x86sim::models {

bool TestDevice::dma_write(std::uint64_t bus_address, std::uint32_t bytes, std::uint32_t pattern,
                           const DmaOptions& options) {
    return start_dma(true, bus_address, bytes, pattern, options);
}

bool TestDevice::dma_read(std::uint64_t bus_address, std::uint32_t bytes, const DmaOptions& options) {
    return start_dma(false, bus_address, bytes, 0, options);
}

bool TestDevice::start_dma(bool to_memory, std::uint64_t bus_address, std::uint32_t bytes,
                           std::uint32_t pattern, const DmaOptions& options) {
    if (dma_busy_ || bytes > buffer_.size()) {
        ++counters_.dma_rejected;
        if (!dma_busy_) {
            dma_status_ |= kDmaError | kDmaDone;
        }
        return false;
    }
    dma_busy_ = true;
    dma_status_ = kDmaBusy;
    dma_options_ = options;
    const std::span<std::uint8_t> data(buffer_.data(), bytes);
    UpstreamResult result;
    if (to_memory) {
        for (std::uint32_t i = 0; i < bytes; ++i) {
            data[i] = static_cast<std::uint8_t>(pattern >> (8 * (i % 4)));
        }
        result = upstream().write(bus_address, data);
    } else {
        result = upstream().read(bus_address, data);
        dma_sum_ = 0;
        for (auto byte : data) {
            dma_sum_ += byte;
        }
    }
    dma_failed_ = result.status != UpstreamStatus::Ok;
    if (!dma_failed_) {
        counters_.dma_bytes += bytes;
    }
    dma_completion_ps_ = now_ps() + result.delay_ps;
    notify_at(dma_event_, dma_completion_ps_);
    return true;
}

void TestDevice::dma_complete() {
    if (!dma_busy_) {
        return;
    }
    ++dma_sequence_;
    if (dma_options_.completion_address != 0 && !dma_failed_) {
        const std::uint32_t record = 0x8000'0000u | (dma_sequence_ & 0x7FFF'FFFFu);
        std::uint8_t bytes[4];
        std::memcpy(bytes, &record, sizeof bytes);
        if (upstream().write(dma_options_.completion_address, bytes).status != UpstreamStatus::Ok) {
            dma_failed_ = true;
        }
    }
    dma_busy_ = false;
    dma_status_ = kDmaDone | (dma_failed_ ? kDmaError : 0u);
    ++counters_.dma_transfers;
    if (dma_failed_) {
        ++counters_.dma_errors;
    }
    if (dma_options_.interrupt) {
        ++counters_.fired;
        if (signal_vector(dma_options_.vector) == InterruptOutcome::UseIntx) {
            int_status_ |= 1u << 31;
            update_intx();
        }
    }
}

} // namespace x86sim::models
