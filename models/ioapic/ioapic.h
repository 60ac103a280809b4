// IOAPIC (lapic-pit-msi.md §4): turns wired interrupt lines into APIC messages.
//
// Software sees IOREGSEL (0x00), IOWIN (0x10) and, from version 0x20 on, the EOI register (0x40); the
// indirect registers behind IOWIN are ID, VER, ARB and one 64-bit redirection table entry (RTE) per pin.
// A pin change that calls for a message sets the RTE's Delivery Status bit; the message leaves the
// IOAPIC `delivery_latency_ps` later, built from the RTE as it is then, as an InterruptRequest on the
// bound ApicBus (or, for a VT-d remappable-format RTE, as an MsiMessage for the fabric to remap).
//
// Modelling choices (documented, the spec is silent or sources disagree):
// - Input levels are logical (IrqLine: true = the source asserts). The board wiring says which inputs are
//   electrically active-low (PCI INTx); the pin is active when the electrical level matches RTE bit 13,
//   so a wrongly programmed polarity makes an idle line look asserted, as on hardware. Changing bit 13
//   re-references the pin without generating an edge.
// - Remote IRR is set when a level-triggered message is sent, whether or not an APIC accepts it (QEMU);
//   rewriting an RTE as edge-triggered clears it (the trick Linux's __eoi_ioapic_pin relies on for
//   IOAPICs without an EOI register; QEMU ioapic_fix_edge_remote_irr).
// - A message still waiting (Delivery Status = 1) when its pin gets masked, or whose level line drops,
//   is withdrawn: an edge is lost, a level is re-evaluated on unmask. Delivery modes 011 and 110 are
//   reserved in an RTE: such a message is dropped and counted.
// - RTE bits 55:49 (hypervisor extended destination ID) are stored but not used: destination = 63:56.
// Not modelled: the IRQ pin assertion register (0x20, VER.PRQ = 0), APIC-bus arbitration.
#pragma once

#include "models/common/apic_bus.h"
#include "models/common/interrupt_path.h"
#include "models/common/irq_line.h"
#include "models/common/metric_sink.h"
#include "models/common/mmio.h"
#include "models/common/register_bank.h"

#include <cstdint>
#include <deque>
#include <systemc>
#include <vector>

namespace x86sim::models {

struct IoapicConfig {
    std::uint8_t id = 0;         // IOAPIC ID, ID register bits 27:24
    std::uint8_t version = 0x20; // 0x11 (82093AA, no EOI register) or 0x20 (ICH IOxAPIC, EOI register)
    unsigned pins = 24;          // 1..120 (the indirect index space ends at 0xFF)
    // Pin change to the message reaching the LAPICs. The fabric routes synchronously and leaves its
    // latency to the sender, so this is the whole path: §6 suggests 100-200 ns for the message fabric of a
    // post-P4 part (item 2: no serial APIC bus any more); 150 ns is the midpoint the fabric also uses.
    std::uint64_t delivery_latency_ps = 150'000;
    // Cost charged to the initiator of each MMIO access (uncached chipset register; §6 suggests 100 ns).
    std::uint64_t register_access_ps = 100'000;
    std::vector<unsigned> active_low_inputs{}; // board wiring: inputs driven by active-low wires (PCI INTx)
    std::uint16_t source_id = 0xF0F8;          // requester id of remappable-format messages (VT-d SID)
};

struct IoapicStats {
    std::vector<std::uint64_t> deliveries_per_pin{};
    std::uint64_t edges_while_masked = 0; // discarded (§4, check 49)
    std::uint64_t coalesced_edges = 0;    // an edge while the pin's previous message had not left yet
    std::uint64_t level_redeliveries = 0; // messages re-sent after an EOI found the line still asserted
    std::uint64_t withdrawn = 0;          // masked or de-asserted while waiting to be sent
    std::uint64_t reserved_delivery_mode = 0;
    std::uint64_t dropped_no_bus = 0;
    std::uint64_t unclaimed = 0; // the fabric reached no APIC
    std::uint64_t eoi_broadcasts = 0;
    std::uint64_t eoi_register_writes = 0;
    std::uint64_t remote_irr_cleared = 0;
    std::uint64_t bad_accesses = 0;     // every MMIO access that did not complete normally
    std::uint64_t bad_window_index = 0; //   IOWIN with IOREGSEL selecting no register
    std::uint64_t bad_width = 0;        //   IOWIN / EOI accessed other than as an aligned dword
    std::uint64_t invalid_inputs = 0;   // set_irq_input beyond the last pin (a wiring bug)
};

// Everything the debugger shows; registers as software would read them.
struct IoapicDump {
    std::uint32_t ioregsel = 0;
    std::uint32_t id = 0;
    std::uint32_t version = 0;
    std::uint32_t arbitration = 0;
    std::vector<std::uint64_t> redirection_table;
    std::vector<bool> input_asserted; // logical input levels
    std::size_t messages_in_flight = 0;
};

class Ioapic : public sc_core::sc_module, public MmioDevice, public IrqLineSink, public EoiListener {
  public:
    // Direct registers (offsets in the MMIO window).
    static constexpr std::uint64_t kIoRegSel = 0x00;
    static constexpr std::uint64_t kIoWin = 0x10;
    static constexpr std::uint64_t kEoi = 0x40;
    // Indirect register indices (IOREGSEL values).
    static constexpr std::uint32_t kRegId = 0x00;
    static constexpr std::uint32_t kRegVersion = 0x01;
    static constexpr std::uint32_t kRegArbitration = 0x02;
    static constexpr std::uint32_t kRegRedirectionBase = 0x10; // RTE n: 0x10 + 2n (low), 0x11 + 2n (high)
    static constexpr unsigned kMaxPins = 120;

    SC_HAS_PROCESS(Ioapic);
    Ioapic(sc_core::sc_module_name name, IoapicConfig config = {});

    // The fabric; null leaves messages undelivered (counted as dropped_no_bus).
    void bind_bus(ApicBus* bus) { bus_ = bus; }
    void set_observer(InterruptPathObserver* observer) { observer_.set(observer); }

    MmioResult mmio_read(std::uint64_t offset, unsigned size, std::uint64_t& value) override;
    MmioResult mmio_write(std::uint64_t offset, unsigned size, std::uint64_t value) override;

    // Input n is pin n.
    void set_irq_input(unsigned input, bool asserted) override;
    // A LAPIC's EOI broadcast for a level-triggered vector (§1.3.3): clears Remote IRR on matching RTEs.
    void end_of_interrupt(std::uint8_t vector) override;

    // Back to the power-on state: RTEs masked, IOREGSEL 0, ID from the config, nothing in flight.
    // Input levels are wires and stay as they are.
    void reset();

    const IoapicConfig& config() const { return config_; }
    unsigned pins() const { return config_.pins; }
    // An RTE as software reads it (Delivery Status and Remote IRR included).
    std::uint64_t redirection_entry(unsigned pin) const;
    IoapicDump dump() const;
    const IoapicStats& stats() const { return stats_; }
    void report_metrics(MetricSink& sink) const;

  private:
    struct Pin {
        bool asserted = false; // logical level driven by the source
        bool wire_active_low = false;
    };
    struct PendingMessage {
        std::uint64_t due_ps = 0;
        unsigned pin = 0;
        bool redelivery = false;
    };

    void build_registers();
    void write_redirection_entry(unsigned pin, Register& reg, std::uint64_t value, std::uint64_t mask);
    bool pin_active(unsigned pin, std::uint64_t entry) const;
    void accept_edge(unsigned pin, std::uint64_t entry);
    void evaluate_level(unsigned pin, bool after_eoi);
    void schedule(unsigned pin, bool redelivery);
    void send_due();
    void send(const PendingMessage& message);
    void clear_remote_irr(std::uint8_t vector);
    bool check_dword_only(std::uint64_t offset, unsigned size);
    // One register access through IOREGSEL/IOWIN: size check, the access, a bad window index reported
    // as the access's status, and the bad-access count (defined in ioapic_registers.cpp).
    template <typename Access>
    MmioResult window_access(std::uint64_t offset, unsigned size, Access access);

    IoapicConfig config_;
    ApicBus* bus_ = nullptr;
    HopSink observer_;

    RegisterBank mmio_;     // IOREGSEL, IOWIN, EOI
    RegisterBank indirect_; // behind IOWIN, at byte offset 4 * index
    Register* ioregsel_ = nullptr;
    Register* id_ = nullptr;
    Register* arbitration_ = nullptr;
    std::vector<Register*> rte_; // one 64-bit register per pin (both IOWIN halves)
    AccessStatus window_status_ = AccessStatus::Ok;

    std::vector<Pin> pin_;
    std::deque<PendingMessage> in_flight_; // due times ascend: the latency is constant
    sc_core::sc_event send_event_;
    IoapicStats stats_;
};

} // namespace x86sim::models
