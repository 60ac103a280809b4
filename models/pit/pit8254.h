// Intel 8254 programmable interval timer with the port 0x61 (system control port B) bits it owns.
//
// Implements lapic-pit-msi.md §2.1 (ports 0x40-0x43, control word, modes 0-5, lobyte/hibyte/lo-then-hi
// access, counter latch, read-back with status, NULL COUNT per the datasheet, BCD counting, GATE), the
// port 0x61 bits of §2.1 (bit 0 counter 2 GATE, bit 1 speaker data enable, bit 5 counter 2 OUT) and the
// access cost of §6 item 5. Conformance: §8 checks 43-46.
//
// Event driven (ARCHITECTURE.md "Time"): the counters never tick. Each computes its count and OUT from
// (load cycle, count, mode, gate) when asked (PitChannel), and at most one sc_event per counter is pending:
// the next OUT edge somebody can observe. Counter 0 always schedules its edges (they are IRQ0 and the
// `fires` metric). Counters 1 and 2 schedule nothing unless their OUT has been connected with
// connect_out(); port 0x61 bit 5 is computed on read. A PIT that was never programmed schedules nothing.
//
// Wiring: out0() is counter 0 OUT as an IrqLine (true = OUT high); the platform connects it to 8259 IRQ0
// and IOAPIC pin 2 (or to Hpet::legacy_inputs() input 0, which passes it on unless HPET legacy
// replacement is on). A port access takes effect at the current simulated time (sc_time_stamp); its cost
// comes back in MmioResult::delay_ps for the initiator to charge.
//
// Port access sizes: the ports are 8 bits wide. A 2- or 4-byte IN/OUT is split into byte cycles on
// consecutive ports, as the chipset does for an 8-bit ISA device: a 16-bit OUT to 0x40 writes 0x40 then
// 0x41. Bytes that fall outside 0x40-0x43/0x61 read 0xFF and drop writes (status Unmapped, counted).
// Each byte cycle costs access_cost_ps. Other sizes return BadSize (reads all ones).
//
// Not modelled / choices:
// - Reset state: silicon is undefined until programmed; every counter resets to control 0x30 (mode 0,
//   RW = 11, binary), no count, NULL COUNT set, OUT low, idle. Counter 2 GATE follows port 0x61 bit 0,
//   which resets to 0. (QEMU starts counter 0 in mode 3 with 65536; the model deliberately does not run.)
// - Port 0x43 is write-only: reads return 0xFF (the undriven ISA bus; QEMU returns 0), status
//   WriteOnlyRead, counted. A read-back command with bit 0 set (reserved) is ignored and counted.
// - Port 0x61: bits 0-3 are stored as written (bits 2/3, parity and IOCHK check enables, have no effect);
//   bit 4 is the refresh-request toggle, computed as flipping every 18 PIT clocks (15.09 us, the DRAM
//   refresh rate counter 1 used to generate), with no events; bit 5 is counter 2 OUT; bits 6/7 (IOCHK,
//   SERR) read 0 because no NMI sources are modelled. The speaker itself is not modelled.
// - Counter 1 OUT (DRAM refresh) drives nothing unless connected.
// - Illegal counts (1 in modes 2/3, non-decimal BCD digits) run as documented in pit_channel.h.
#pragma once

#include "models/common/clock_domain.h"
#include "models/common/interrupt_path.h"
#include "models/common/irq_line.h"
#include "models/common/metric_sink.h"
#include "models/common/mmio.h"
#include "models/pit/pit_channel.h"

#include <array>
#include <cstdint>
#include <systemc>

namespace x86sim::models {

inline constexpr std::uint64_t kPitInputHz = 1'193'182; // §2.1, Linux PIT_TICK_RATE

struct PitConfig {
    std::uint64_t input_hz = kPitInputHz;     // the CLK input of all three counters
    std::uint64_t access_cost_ps = 1'000'000; // per byte cycle: §6 item 5, ≈ 1 us per IN/OUT
};

struct PitStats {
    std::uint64_t reads = 0;            // byte cycles
    std::uint64_t writes = 0;           // byte cycles
    std::uint64_t bad_accesses = 0;     // unmapped bytes, bad sizes, reads of 0x43, reserved read-back bit
    std::uint64_t events_scheduled = 0; // sc_event notifications (re)armed for OUT edges
    std::uint64_t edge_events = 0;      // edge events that ran
};

// Register dump for a debugger: every counter plus port 0x61 as the guest would see them now.
struct PitDump {
    std::array<PitChannel::Snapshot, 3> channels;
    std::array<std::uint64_t, 3> next_edge_ps; // time of the scheduled OUT edge, or UINT64_MAX if none
    std::uint8_t port61 = 0;
    std::uint64_t cycle = 0; // current PIT clock cycle
};

class Pit8254 : public sc_core::sc_module, public PortIoDevice {
  public:
    static constexpr std::uint16_t kCounter0Port = 0x40;
    static constexpr std::uint16_t kControlPort = 0x43;
    static constexpr std::uint16_t kPort61 = 0x61;

    explicit Pit8254(sc_core::sc_module_name name, PitConfig config = {});

    MmioResult io_read(std::uint16_t port, unsigned size, std::uint32_t& value) override;
    MmioResult io_write(std::uint16_t port, unsigned size, std::uint32_t value) override;

    // Counter 0 OUT: IRQ0 (§2.1 wiring). Connect before the simulation starts or at any later time.
    IrqLine& out0() { return outs_[0]; }
    // Connects any counter's OUT (0, 1 or 2; counter 2 OUT is the speaker/calibration line). A counter 1/2
    // OUT is driven, and its edges scheduled, only from its first connection on; connecting is the only way
    // to make it observable, which is why out() below is read-only.
    void connect_out(unsigned channel, IrqLineSink& sink, unsigned input);
    // The OUT line of a counter. For counters 1/2 its level is only kept up to date once connected; port
    // 0x61 bit 5 (or dump()) gives counter 2 OUT at any time.
    const IrqLine& out(unsigned channel) const { return outs_.at(channel); }

    bool speaker_data_enabled() const { return (port61_ & 0x02) != 0; }
    void set_interrupt_path_observer(InterruptPathObserver* observer) { observer_.set(observer); }

    const ClockDomain& clock() const { return clock_; }
    const PitStats& stats() const { return stats_; }
    // Rising edges of counter 0 OUT (the platform reports it as `pit.fires`).
    std::uint64_t fires() const { return fires_; }
    PitDump dump() const;
    // Counters: fires, channel<n>.rising_edges, reads, writes, bad_accesses, illegal_counts,
    // events_scheduled, edge_events.
    void report_metrics(MetricSink& sink) const;

  private:
    std::uint64_t cycle_now() const;
    std::uint8_t read_byte(std::uint16_t port, std::uint64_t c, AccessStatus& status);
    void write_byte(std::uint16_t port, std::uint8_t value, std::uint64_t c, AccessStatus& status);
    bool observed(unsigned channel) const { return channel == 0 || observed_[channel]; }
    // Drives the OUT line to the counter's level at cycle c and re-arms its edge event.
    void update_output(unsigned channel, std::uint64_t c);
    // Only the first half: called before a port write changes the counter, so that an edge at the start of
    // cycle c is seen before the write's effect even when the edge's event has not run yet (same time).
    void drive_line(unsigned channel, std::uint64_t c);
    void on_edge_event(unsigned channel);

    ClockDomain clock_;
    PitConfig config_;
    std::array<PitChannel, 3> channels_;
    std::array<IrqLine, 3> outs_;
    std::array<bool, 3> observed_{};
    std::array<sc_core::sc_event, 3> edge_events_;
    std::array<std::uint64_t, 3> scheduled_edge_{};
    std::array<std::uint64_t, 3> rising_edges_{};
    std::uint8_t port61_ = 0;
    std::uint64_t fires_ = 0;
    PitStats stats_;
    HopSink observer_;
};

} // namespace x86sim::models
