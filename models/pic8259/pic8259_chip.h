// One 8259A programmable interrupt controller (lapic-pit-msi.md §2.2), as plain logic: Pic8259Pair wires
// a master and a slave together and gives them ports, an INT line and the INTA cycle.
//
// Modelled: ICW1-ICW4 (8086 mode), OCW1 (IMR), OCW2 (non-specific / specific EOI, rotations, set
// priority), OCW3 (IRR/ISR read select, poll, special mask mode), edge or level inputs (ICW1.LTIM for all
// inputs, or per input through the chipset ELCR), automatic EOI, special fully nested mode.
// Not modelled: MCS-80/85 mode (ICW4 bit 0 = 0 is stored, vectors stay 8086-style), buffered mode (ICW4
// bits 3:2 are stored only), the ADI interval (ICW1 bit 2).
//
// Edge-triggered inputs: the datasheet wants IR held high until the first INTA, or the acknowledge yields
// the default IR7. Here a rising edge latches IRR until it is acknowledged (QEMU i8259 does the same),
// because a platform IrqLine::pulse() is a zero-width edge. A request still "vanishes" before INTA, and
// gives the spurious IR7, when a level-mode input drops or software masks the input in between.
#pragma once

#include <cstdint>

namespace x86sim::models {

struct Pic8259ChipState {
    std::uint8_t irr = 0;
    std::uint8_t isr = 0;
    std::uint8_t imr = 0;
    std::uint8_t elcr = 0;        // per-input level mode from the chipset ELCR
    std::uint8_t input_lines = 0; // current input levels
    std::uint8_t vector_base = 0; // ICW2 & 0xF8
    std::uint8_t icw3 = 0;        // master: inputs with a slave; slave: its cascade identity
    std::uint8_t lowest_priority = 7;
    bool initialising = false;    // between ICW1 and the last ICW
    bool level_triggered = false; // ICW1.LTIM: every input level-sensitive
    bool mode_8086 = true;        // ICW4 bit 0
    bool auto_eoi = false;
    bool rotate_on_auto_eoi = false;
    bool special_fully_nested = false;
    bool special_mask = false;
    bool read_isr = false; // OCW3: the command port reads ISR (else IRR)
    bool poll = false;     // OCW3 poll command waiting for its read
};

class Pic8259Chip {
  public:
    static constexpr int kNone = -1;

    explicit Pic8259Chip(bool master) : master_(master) {}

    // Power-on state: no vectors programmed, nothing pending, IMR clear.
    void reset();

    void set_input(unsigned ir, bool level);
    void set_elcr(std::uint8_t elcr);

    void write_command(std::uint8_t value); // ICW1, OCW2 or OCW3
    void write_data(std::uint8_t value);    // ICW2-ICW4 during initialisation, OCW1 otherwise
    std::uint8_t read_command();            // IRR or ISR per OCW3, or the poll byte (which acknowledges)
    std::uint8_t read_data() const { return imr_; }

    // The input the chip would interrupt for now (IRR & ~IMR, above everything in service), or kNone.
    int pending() const;
    // INTA for input `ir`: IRR -> ISR (nothing with automatic EOI).
    void acknowledge(unsigned ir);

    std::uint8_t vector_base() const { return vector_base_; }
    bool single() const { return single_; }
    Pic8259ChipState state() const;
    std::uint64_t eois() const { return eois_; }
    std::uint64_t eois_with_empty_isr() const { return eois_with_empty_isr_; }

  private:
    enum class InitStep : std::uint8_t { Ready, Icw2, Icw3, Icw4 };

    void clear_programming();
    bool level_mode(unsigned ir) const { return level_triggered_ || ((elcr_ >> ir) & 1) != 0; }
    // 0 = highest priority, 8 = no bit of `bits` set; priority rotates with priority_add_.
    int priority(std::uint8_t bits) const;
    int highest_in_service() const;
    void end_of_interrupt(int ir);
    void write_ocw2(std::uint8_t value);
    void write_ocw3(std::uint8_t value);

    bool master_;
    std::uint8_t irr_ = 0;
    std::uint8_t isr_ = 0;
    std::uint8_t imr_ = 0;
    std::uint8_t elcr_ = 0;
    std::uint8_t lines_ = 0;
    std::uint8_t vector_base_ = 0;
    std::uint8_t icw3_ = 0;
    std::uint8_t priority_add_ = 0; // the input with the highest priority
    InitStep init_step_ = InitStep::Ready;
    bool icw4_needed_ = false;
    bool single_ = false;
    bool level_triggered_ = false;
    bool mode_8086_ = true;
    bool auto_eoi_ = false;
    bool rotate_on_auto_eoi_ = false;
    bool special_fully_nested_ = false;
    bool special_mask_ = false;
    bool read_isr_ = false;
    bool poll_ = false;
    std::uint64_t eois_ = 0;
    std::uint64_t eois_with_empty_isr_ = 0;
};

} // namespace x86sim::models
