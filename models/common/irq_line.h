// Wired interrupt lines: PIT OUT0 -> 8259 IRQ0 and IOAPIC pin 2, HPET timers -> IOAPIC pins, 8259 INT ->
// LAPIC LINT0, PCI INTx -> IOAPIC pins. A source owns an IrqLine and drives its level; every connected
// sink input sees each change. A sink input shared by several sources (PCI INTx) is a WiredOr.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace x86sim::models {

class IrqLineSink {
  public:
    virtual ~IrqLineSink() = default;
    // Input `input` of the sink now has level `asserted` (true = active, whatever the electrical polarity).
    virtual void set_irq_input(unsigned input, bool asserted) = 0;
};

class IrqLine {
  public:
    void connect(IrqLineSink& sink, unsigned input) { sinks_.emplace_back(&sink, input); }
    void set(bool asserted) {
        if (asserted == level_) {
            return;
        }
        level_ = asserted;
        ++(asserted ? rising_edges_ : falling_edges_);
        for (auto& [sink, input] : sinks_) {
            sink->set_irq_input(input, asserted);
        }
    }
    // A pulse: rise then fall at the same simulated time (an edge for edge-triggered inputs).
    void pulse() {
        set(true);
        set(false);
    }
    bool level() const { return level_; }
    std::uint64_t rising_edges() const { return rising_edges_; }
    std::uint64_t falling_edges() const { return falling_edges_; }

  private:
    std::vector<std::pair<IrqLineSink*, unsigned>> sinks_;
    bool level_ = false;
    std::uint64_t rising_edges_ = 0;
    std::uint64_t falling_edges_ = 0;
};

// Several sources on one input (level-triggered, shared): the input is asserted while any source is.
class WiredOr : public IrqLineSink {
  public:
    WiredOr(IrqLineSink& sink, unsigned input) : sink_(sink), input_(input) {}
    // Each source connects its IrqLine to this with a distinct `input` number (its source slot).
    void set_irq_input(unsigned source, bool asserted) override {
        if (source >= 64) {
            return;
        }
        const auto before = asserted_sources_ != 0;
        asserted_sources_ =
            asserted ? (asserted_sources_ | (1ULL << source)) : (asserted_sources_ & ~(1ULL << source));
        const auto after = asserted_sources_ != 0;
        if (before != after) {
            sink_.set_irq_input(input_, after);
        }
    }
    bool level() const { return asserted_sources_ != 0; }

  private:
    IrqLineSink& sink_;
    unsigned input_;
    std::uint64_t asserted_sources_ = 0;
};

} // namespace x86sim::models
