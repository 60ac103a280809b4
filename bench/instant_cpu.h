// A CPU stand-in for benchmarks: takes every interrupt the moment INTR rises (acknowledge, then EOI),
// as a CPU with IF = 1 and an empty handler would, so that every message sets IRR afresh.
#pragma once

#include "models/common/apic_bus.h"
#include "models/lapic/lapic.h"

#include <cstdint>

namespace x86sim::bench {

class InstantCpu : public models::CpuInterruptPins {
  public:
    explicit InstantCpu(models::Lapic& lapic) : lapic_(lapic) {}
    void intr_changed(bool asserted) override {
        if (asserted && !inside_) {
            inside_ = true;
            lapic_.acknowledge();
            lapic_.mmio_write(0xB0, 4, 0); // EOI
            ++taken;
            inside_ = false;
        }
    }
    void nmi() override {}
    void smi() override {}
    void init() override {}
    void startup(std::uint8_t) override {}
    std::uint64_t taken = 0;

  private:
    models::Lapic& lapic_;
    bool inside_ = false;
};

// LAPIC `id` with a 100 MHz timer clock, CPU `id`, BSP when id == 0.
models::LapicConfig bench_lapic_config(std::uint32_t id);

} // namespace x86sim::bench
