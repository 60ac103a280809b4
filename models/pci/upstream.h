// Upstream (device-initiated) requests: DMA reads and writes and interrupt messages, as they travel
// from a function's UpstreamPort to the root complex (vtd-pci-nvme.md §2.7), and the hook where a DMA
// remapping unit (VT-d, §1.5) is inserted.
//
//   function --UpstreamPort (bus-master gate, link timing, order)--> UpstreamTarget (RootComplex)
//       RootComplex: write to 0xFEEx_xxxx -> ApicBus::deliver_message (interrupt remapping is there)
//                    anything else      -> UpstreamTranslator (identity when none) -> DmaMemory
#pragma once

#include <cstdint>
#include <span>

namespace x86sim::models {

enum class UpstreamOp : std::uint8_t { Read, Write };

// How a request ended. Anything but Ok means the data did not move (reads return all ones).
enum class UpstreamStatus : std::uint8_t {
    Ok,
    BusMasterDisabled,  // Command.BME = 0: the function may not issue the request at all (§2.1)
    UnsupportedRequest, // nobody claimed the address: master abort / UR (§2.1 status bit 13)
    TranslationFault,   // the translator refused it (VT-d fault, §1.6)
    NotConnected,       // the function is not attached to a root complex
};

const char* to_string(UpstreamStatus status);

struct UpstreamRequest {
    UpstreamOp op = UpstreamOp::Write;
    std::uint64_t address = 0; // bus address (an IOVA when a translator is installed)
    std::uint32_t length = 0;  // bytes, never crossing a 4 KiB boundary (PCIe rule; the port splits)
    std::uint16_t requester_id = 0;
    bool message = false;      // an MSI/MSI-X write issued by the function's interrupt logic
    std::uint64_t time_ps = 0; // modelled time the TLP reaches the root complex
};

// What the root complex answers: the status and any latency it adds (e.g. a translation walk).
struct UpstreamResponse {
    UpstreamStatus status = UpstreamStatus::Ok;
    std::uint64_t delay_ps = 0;
};

// The root complex side of every UpstreamPort. Called at the issue time; `request.time_ps` says when
// the TLP reaches the root complex in the model's annotated time.
class UpstreamTarget {
  public:
    virtual ~UpstreamTarget() = default;
    virtual UpstreamResponse upstream_write(const UpstreamRequest& request,
                                            std::span<const std::uint8_t> data) = 0;
    virtual UpstreamResponse upstream_read(const UpstreamRequest& request, std::span<std::uint8_t> data) = 0;
};

struct Translation {
    UpstreamStatus status = UpstreamStatus::Ok; // Ok or TranslationFault
    std::uint64_t address = 0;                  // the translated (physical) address
    std::uint64_t delay_ps = 0;                 // extra latency of the lookup (IOTLB miss walk)
};

// Consulted once per DMA TLP by the root complex. Interrupt-range writes (0xFEEx_xxxx) are interrupt
// requests, not DMA, and do not come here (VT-d handles them as interrupt remapping in the fabric).
// With no translator installed the root complex uses the identity (§1.3: TES = 0 -> untranslated).
class UpstreamTranslator {
  public:
    virtual ~UpstreamTranslator() = default;
    virtual Translation translate(const UpstreamRequest& request) = 0;
};

// Link and root-port timing of one upstream port (§2.7). Every figure is a named parameter; defaults
// are the digest's estimates.
struct PcieLinkTiming {
    // One-way link + root-port traversal of a posted write: 100-300 ns [estimate] (§2.7).
    std::uint64_t posted_write_latency_ps = 200'000;
    // Device DMA read of host memory, request -> first completion: 0.4-1 us [estimate] (§2.7).
    std::uint64_t read_latency_ps = 700'000;
    // Gen3 x4: 4 lanes x 984.6 MB/s (128b/130b) per direction (§2.7).
    std::uint64_t link_bytes_per_second = 3'938'400'000ULL;
    // pcie-model overheads (§2.7): framing + DLL + common header + address; MWr/MRd 20 B with a
    // 32-bit address, 24 B with a 64-bit one; CplD 20 B.
    std::uint32_t tlp_overhead_32bit_bytes = 20;
    std::uint32_t tlp_overhead_64bit_bytes = 24;
    std::uint32_t completion_overhead_bytes = 20;
    std::uint32_t max_payload_size = 256;        // writes are split at MPS (§2.7 "128/256 B typical")
    std::uint32_t max_read_request_size = 512;   // reads are split at MRRS (§2.7)
    std::uint32_t read_completion_boundary = 64; // completions are split at RCB (§2.7 "64/128 B")
};

} // namespace x86sim::models
