// One counter of the 8254 PIT (lapic-pit-msi.md §2.1, 8254DS), computed instead of clocked.
//
// Time is the PIT input clock: cycle c is the interval that starts at CLK edge c (edge c lies at
// ClockDomain::duration_of(c)); the clock free-runs from simulation time 0, so all three counters share
// one phase. Everything the CPU does during cycle c (a port write, a gate change) takes effect at edge
// c + 1 -- "the count is loaded on the next CLK pulse" (8254DS).
//
// The counter never ticks. Its state is a *segment*: a count N transferred into the counting element at
// cycle `start`, from which the count and OUT at any later cycle follow in closed form for the mode
// (elapsed e = c - anchor). Before `start` the counter shows `frozen` values (what it held when the
// segment was created, with OUT already changed where the datasheet says "immediately"). Modes 2 and 3
// can hold a second, pending segment: a count written while counting takes effect at the next reload
// (mode 2) or at the end of the current half-cycle (mode 3). next_edge() answers the one question the
// SystemC wrapper needs to schedule a single event: when does OUT change next?
//
// Mode behaviour (8254DS; cross-checked against MAME pit8253.cpp and Bochs pit82c54.cc where noted):
//   0  OUT low on the control word and on every count write; the count loads at the next CLK and OUT
//      rises N clocks after the load (N + 1 after the write), then the counter wraps and keeps going.
//      Writing the first byte of a two-byte count halts counting. GATE low pauses counting.
//   1  a GATE rising edge loads the count at the next CLK and drops OUT for N clocks; retriggerable.
//   2  OUT low for the one clock in which the count is 1, then reload: period N. GATE low stops counting
//      and forces OUT high; a rising GATE reloads. A count of 1 is illegal and runs as 2 (MAME).
//   3  square wave: high ceil(N/2), low floor(N/2) clocks; the count steps by 2 (odd N: N-1 is loaded).
//      GATE as in mode 2. A count of 1 is illegal and runs as 0 (65536, MAME).
//   4  OUT low for one clock N clocks after the load (N + 1 after the write), once. GATE low pauses.
//   5  like 4, but started (and restarted) by a GATE rising edge.
// NULL COUNT (status bit 6) follows the datasheet: set by the control word and by each complete count
// write, cleared when the count register is transferred into the counting element. QEMU never sets it.
#pragma once

#include <cstdint>
#include <limits>

namespace x86sim::models {

class PitChannel {
  public:
    static constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

    // The counting element as an integer in [0, modulus) and the OUT pin.
    struct Level {
        std::uint32_t count = 0;
        bool out = false;
    };

    // What a debugger shows for one counter (see Pit8254::dump()).
    struct Snapshot {
        unsigned mode = 0;                // effective mode 0-5
        std::uint8_t control = 0;         // bits 5:0 of the last control word (RW, M2-M0, BCD)
        std::uint16_t count = 0;          // the count a read would return now (BCD-encoded in BCD mode)
        std::uint32_t count_register = 0; // last complete count written, as a clock count (1..65536)
        bool count_register_valid = false;
        bool counting = false; // a count has been (or is about to be) loaded and is running
        bool paused = false;   // modes 0/4 with GATE low
        bool out = false;
        bool gate = false;
        bool null_count = false;
        bool count_latched = false;
        std::uint16_t latched_count = 0;
        bool status_latched = false;
        std::uint8_t latched_status = 0;
        bool write_msb_next = false; // half-way through a two-byte count write
        bool read_msb_next = false;  // half-way through a two-byte read
    };

    // `gate` is the level of the GATE input at reset (tied high for counters 0 and 1).
    explicit PitChannel(bool gate = true);

    // Back to the reset state the model documents: mode 0 (control 0x30), no count written, NULL COUNT
    // set, OUT low, not counting. Silicon leaves the counter undefined until programmed; this idle choice
    // means an unprogrammed PIT schedules nothing.
    void reset();

    // Port 0x43 with RW != 00 for this counter.
    void write_control(std::uint8_t control, std::uint64_t c);
    // Counter-latch command (RW = 00) and the read-back command's two latches. A latch that is still
    // unread makes a second one a no-op (8254DS; §8 check 45).
    void latch_count(std::uint64_t c);
    void latch_status(std::uint64_t c);
    // Ports 0x40-0x42.
    void write_data(std::uint8_t byte, std::uint64_t c);
    std::uint8_t read_data(std::uint64_t c);
    void set_gate(bool level, std::uint64_t c);

    // Queries: const, no side effects, valid for any cycle >= the last operation's.
    Level level_at(std::uint64_t c) const;
    bool out(std::uint64_t c) const { return level_at(c).out; }
    std::uint16_t readout(std::uint64_t c) const;
    bool null_count(std::uint64_t c) const { return c < null_until_; }
    std::uint8_t status(std::uint64_t c) const;
    // The first cycle x > c at which OUT differs from its value at x - 1, or kNever.
    std::uint64_t next_edge(std::uint64_t c) const;
    Snapshot snapshot(std::uint64_t c) const;

    unsigned mode() const { return mode_; }
    bool gate() const { return gate_; }
    // Counts written that the datasheet calls illegal (1 in modes 2/3, non-decimal BCD digits).
    std::uint64_t illegal_counts() const { return illegal_counts_; }

  private:
    struct Segment {
        std::uint64_t start = 0;  // first cycle governed by this segment (the load/reload/trigger edge)
        std::uint64_t anchor = 0; // cycle at which the elapsed count e is 0 (may precede start; modular)
        std::uint32_t period = 1; // N in clocks, 1..65536
    };

    std::uint32_t modulus() const { return bcd_ ? 10'000U : 65'536U; }
    Level shape(std::uint32_t period, std::uint64_t elapsed) const;
    std::uint64_t shape_edge_after(const Segment& segment, std::uint64_t c) const;
    std::uint32_t decode_count(std::uint16_t raw);
    void advance(std::uint64_t c);
    void start_segment(std::uint64_t c, std::uint32_t period, Level frozen);
    void load_count(std::uint16_t raw, std::uint64_t c);

    bool reset_gate_;
    std::uint8_t control_ = 0x30;
    unsigned mode_ = 0;
    unsigned rw_ = 3;
    bool bcd_ = false;
    std::uint32_t count_register_ = 0;
    bool count_register_valid_ = false;
    std::uint8_t pending_lsb_ = 0;
    bool write_msb_next_ = false;
    bool read_msb_next_ = false;
    bool count_latched_ = false;
    std::uint16_t latched_count_ = 0;
    bool status_latched_ = false;
    std::uint8_t latched_status_ = 0;
    bool gate_ = true;
    bool counting_ = false;
    Segment segment_;
    bool has_next_ = false;
    Segment next_;
    bool paused_ = false;
    std::uint64_t paused_elapsed_ = 0;
    Level frozen_;
    std::uint64_t null_until_ = kNever; // NULL COUNT reads 1 for cycles before this one
    std::uint64_t illegal_counts_ = 0;
};

} // namespace x86sim::models
