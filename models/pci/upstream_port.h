// The one way out of a PCI function: every device-initiated request — DMA reads and writes and MSI /
// MSI-X messages alike — leaves through its UpstreamPort (vtd-pci-nvme.md §2.7).
//
// What the port does, per request:
//  - bus-master gating: with Command.BME = 0 the function issues nothing (§2.1), counted;
//  - splitting into TLPs at Max Payload Size / Max Read Request Size and 4 KiB boundaries (§2.7);
//  - timing: serialisation on the link (payload + per-TLP overhead at the link's byte rate), posted
//    write latency, read latency and completion serialisation split at the Read Completion Boundary;
//  - ordering: posted writes never pass each other, and read completions never pass earlier posted
//    writes (§2.7 ordering rules), so a completion write followed by an MSI arrives in that order;
//  - the DeviceMessage hop for interrupt messages (interrupt_path.h).
//
// Timing is annotated, never waited (notes/systemc-on-debian.md §4): the request reaches the root
// complex (and through it DmaMemory or ApicBus::deliver_message) by function calls at the issue time,
// and the result carries the modelled delay from issue to arrival (writes) or to the last completion
// (reads). An initiator that needs to act "when the transfer is done" schedules that itself. The link
// keeps a "busy until" time per direction, so back-to-back requests queue behind each other.
//
// Not modelled: flow-control credits, ACK/NAK DLLP bandwidth, relaxed ordering, traffic classes, replay.
#pragma once

#include "models/common/interrupt_message.h"
#include "models/common/interrupt_path.h"
#include "models/pci/upstream.h"

#include <cstdint>
#include <span>

namespace x86sim::models {

class PciFunction;

struct UpstreamResult {
    UpstreamStatus status = UpstreamStatus::Ok;
    std::uint64_t delay_ps = 0; // issue -> arrival (write) or -> last completion (read)
};

struct UpstreamPortStats {
    std::uint64_t write_requests = 0;
    std::uint64_t read_requests = 0;
    std::uint64_t messages = 0; // interrupt messages that left the function
    std::uint64_t tlps = 0;
    std::uint64_t bytes_written = 0;
    std::uint64_t bytes_read = 0;
    std::uint64_t bus_master_blocked = 0; // requests refused because Command.BME = 0
    std::uint64_t unsupported_requests = 0;
    std::uint64_t translation_faults = 0;
    std::uint64_t not_connected = 0;
};

class UpstreamPort {
  public:
    explicit UpstreamPort(PciFunction& owner);

    void connect(UpstreamTarget& target) { target_ = &target; }
    bool connected() const { return target_ != nullptr; }
    void set_timing(const PcieLinkTiming& timing) { timing_ = timing; }
    const PcieLinkTiming& timing() const { return timing_; }
    void set_observer(InterruptPathObserver* observer) { observer_.set(observer); }

    // `offset_ps`: how far the issuer's local time is ahead of sc_time_stamp() (temporal decoupling);
    // the first TLP is issued at now + offset_ps.
    UpstreamResult write(std::uint64_t address, std::span<const std::uint8_t> data,
                         std::uint64_t offset_ps = 0);
    // On failure the bytes of the failed TLPs read as all ones (master abort, §2.1).
    UpstreamResult read(std::uint64_t address, std::span<std::uint8_t> data, std::uint64_t offset_ps = 0);
    // An MSI / MSI-X message: one DWORD posted write of `message.data` to `message.address` (§2.5).
    // The requester ID is the function's.
    UpstreamResult send_message(const MsiMessage& message, std::uint64_t offset_ps = 0);

    const UpstreamPortStats& stats() const { return stats_; }
    // Serialisation time of `bytes` on this link, rounded up to the next picosecond.
    std::uint64_t serialisation_ps(std::uint64_t bytes) const;
    // Per-TLP header overhead of a memory request at `address` (3DW or 4DW header, §2.7).
    std::uint32_t request_overhead(std::uint64_t address) const {
        return (address >> 32) != 0 ? timing_.tlp_overhead_64bit_bytes : timing_.tlp_overhead_32bit_bytes;
    }
    void reset_link_state();

  private:
    UpstreamResult write_tlps(std::uint64_t address, std::span<const std::uint8_t> data, bool message,
                              std::uint64_t issue_ps);
    bool gate(); // false (and counted) when the function may not master the bus
    void count_failure(UpstreamStatus status);

    PciFunction& owner_;
    UpstreamTarget* target_ = nullptr;
    HopSink observer_;
    PcieLinkTiming timing_;
    std::uint64_t upstream_free_ps_ = 0;   // the upstream direction is busy until then
    std::uint64_t downstream_free_ps_ = 0; // completions towards the device
    std::uint64_t last_posted_arrival_ps_ = 0;
    UpstreamPortStats stats_;
};

} // namespace x86sim::models
