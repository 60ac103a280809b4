// The PC's cascaded 8259A pair (lapic-pit-msi.md §2.2): master at 0x20/0x21, slave at 0xA0/0xA1 on
// master IR2, and the chipset ELCR at 0x4D0/0x4D1. Inputs 0-15 are IRQ0-IRQ15; input 2 is the cascade
// and is driven by the slave only. The master's INT output is an IrqLine the platform connects to LINT0 of
// the BSP's LAPIC (ExtINT mode, level-sensitive); the LAPIC's INTA is acknowledge_extint().
//
// Modelling choices: INT follows the state at once (the 8259's own delays are nanoseconds, far below
// the 1 µs port access); a request that vanished before INTA gives the default IR7 vector (spurious
// IRQ7, or IRQ15 when the slave had nothing, with the master's ISR bit 2 set, as on hardware). The
// slave's INT falls during INTA, so a slave request still pending afterwards is a new edge on IR2.
// ELCR bits for IRQ 0, 1, 2, 8 and 13 are hard-wired to edge (PIIX/ICH ELCR masks 0xF8 / 0xDE).
#pragma once

#include "models/common/apic_bus.h"
#include "models/common/irq_line.h"
#include "models/common/metric_sink.h"
#include "models/common/mmio.h"
#include "models/common/register_bank.h"
#include "models/pic8259/pic8259_chip.h"

#include <array>
#include <cstdint>
#include <systemc>

namespace x86sim::models {

struct Pic8259Config {
    // Cost charged to the initiator of each IN/OUT: §6 item 5, ≈ 1 µs per legacy port access.
    std::uint64_t port_access_ps = 1'000'000;
    bool decode_elcr = true; // answer 0x4D0/0x4D1 (a PIIX/ICH chipset register, not the 8259 itself)
};

struct Pic8259Stats {
    std::array<std::uint64_t, 16> acknowledged_per_irq{};
    std::uint64_t spurious_irq7 = 0;
    std::uint64_t spurious_irq15 = 0;
    std::uint64_t int_assertions = 0; // rising edges of INT
    std::uint64_t port_accesses = 0;
    std::uint64_t bad_accesses = 0;   // unmapped ports, bad sizes
    std::uint64_t invalid_inputs = 0; // set_irq_input on the cascade input or beyond 15 (wiring bugs)
};

struct Pic8259Dump {
    Pic8259ChipState master;
    Pic8259ChipState slave;
    bool int_output = false;
};

class Pic8259Pair : public sc_core::sc_module, public PortIoDevice, public IrqLineSink, public ExtIntSource {
  public:
    static constexpr std::uint16_t kMasterCommand = 0x20;
    static constexpr std::uint16_t kMasterData = 0x21;
    static constexpr std::uint16_t kSlaveCommand = 0xA0;
    static constexpr std::uint16_t kSlaveData = 0xA1;
    static constexpr std::uint16_t kElcr = 0x4D0; // 0x4D0 master, 0x4D1 slave
    static constexpr unsigned kCascadeInput = 2;

    Pic8259Pair(sc_core::sc_module_name name, Pic8259Config config = {});

    MmioResult io_read(std::uint16_t port, unsigned size, std::uint32_t& value) override;
    MmioResult io_write(std::uint16_t port, unsigned size, std::uint32_t value) override;

    void set_irq_input(unsigned input, bool asserted) override;
    // INTA: the vector of the highest request (IRR -> ISR), or the default IR7 vector of the chip that
    // had nothing (spurious IRQ7 / IRQ15).
    std::uint8_t acknowledge_extint() override;

    IrqLine& int_output() { return int_output_; }

    // Power-on: both chips unprogrammed, ELCR 0, INT low. Input levels stay.
    void reset();

    Pic8259Dump dump() const;
    const Pic8259Stats& stats() const { return stats_; }
    void report_metrics(MetricSink& sink) const;

  private:
    void build_registers();
    void update_outputs();

    Pic8259Config config_;
    Pic8259Chip master_{true};
    Pic8259Chip slave_{false};
    RegisterBank ports_; // offsets are port numbers
    IrqLine int_output_;
    Pic8259Stats stats_;
};

} // namespace x86sim::models
