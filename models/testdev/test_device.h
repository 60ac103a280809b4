// The DMA and interrupt test device: a PCI function (pci/pci_function.h) with MSI, MSI-X and INTx
// that fires interrupts on request — once, N times, or as a storm at a rate for a duration — runs a
// DMA engine against a bus address, and drives its INTx condition. The scenario timeline's `storm:`
// and `dma:` actions (SCENARIOS.md) call the C++ API below; guest drivers use the registers.
//
// Identity (simulator-only IDs, not PCI-SIG assigned; chosen not to collide with QEMU's 1b36 range):
//   vendor 0x5853 ("XS"), device 0x7E57, revision 1, class 0xFF0000 ("device does not fit a class"),
//   subsystem 0x5853:0x0001, interrupt pin INTA#.
// BARs:
//   BAR0    32-bit memory, 4 KiB, non-prefetchable: the registers below.
//   BAR1    I/O, 32 bytes: the first 32 bytes of the registers (0x00-0x1F), for I/O decode tests.
//   BAR2/3  64-bit memory, non-prefetchable, >= 16 KiB: MSI-X table at 0x0, PBA at the next 4 KiB
//           boundary after the table (0x1000 for up to 256 vectors).
// Capabilities: MSI (0x40; 64-bit, per-vector masking, 4 vectors by default), MSI-X (next).
//
// Registers (BAR0, little endian, naturally aligned 1/2/4/8-byte accesses):
//   0x00 ID              RO   0x5854_0001 ("XT", version 1)
//   0x04 CAPS            RO   15:0 MSI-X vectors, 23:16 MSI vectors (2^MMC)
//   0x08 VECTOR          RW   vector for COMMAND FIRE / FIRE_N / STORM
//   0x0C COUNT           RW   repeat count for FIRE_N
//   0x10 COMMAND         WO   1 FIRE (VECTOR once), 2 FIRE_N (VECTOR, COUNT times), 3 STORM_START
//                             (VECTOR, STORM_RATE_HZ, STORM_DURATION), 4 STORM_STOP; others ignored
//   0x14 STORM_RATE_HZ   RW   messages per second
//   0x18 STORM_DURATION  RW   64-bit, picoseconds
//   0x20 FIRED           RO   64-bit: interrupts the device decided to fire (storm, FIRE, DMA)
//   0x28 STATUS          RO   bit 0 storm running, bit 1 DMA busy
//   0x30 INTX            RW   bit 0: assert the INTx condition (level) until cleared
//   0x34 INT_STATUS      W1C  bit k (k < 31): vector k fired while MSI and MSI-X were disabled;
//                             bit 31: DMA completion in that mode. INTx condition = INTX.0 | INT_STATUS != 0.
//   0x40 DMA_ADDRESS     RW   64-bit bus address
//   0x48 DMA_LENGTH      RW   bytes (<= the DMA buffer, default 64 KiB; larger starts fail with ERROR)
//   0x4C DMA_PATTERN     RW   dword pattern the buffer is filled with before a write-to-memory
//   0x50 DMA_CONTROL     WO   bit 0 START, bit 1 DIRECTION (1 = write to memory, 0 = read from memory),
//                             bit 2 interrupt on completion (DMA_VECTOR)
//   0x54 DMA_STATUS      RO/W1C  bit 0 BUSY (RO), bit 1 DONE (W1C), bit 2 ERROR (W1C)
//   0x58 DMA_VECTOR      RW   completion interrupt vector
//   0x5C DMA_SUM         RO   byte sum (mod 2^32) of the data the last read-from-memory fetched
//   0x60 COMPLETION_ADDRESS RW 64-bit; if non-zero, after the data the device writes the dword
//                             0x8000_0000 | (sequence & 0x7FFF_FFFF) there, then interrupts (§2.7 order)
//   0x68 DMA_SEQUENCE    RO   completed transfers
//
// Timing. A storm fires message k at start + ceil(k * 1e12 / rate) ps — one SystemC event per message,
// computed from k so nothing drifts; message k reaches ApicBus::deliver_message at exactly that time
// (function calls only from the decision to the bus; the PCIe latency is annotated, see
// upstream_port.h). A DMA moves its data through the upstream port when it starts (annotated), and
// completes — completion record, DONE, interrupt — at start + the port's modelled delay, one event.
//
// Not modelled: scatter-gather, more than one DMA in flight, DMA of more than the buffer size.
#pragma once

#include "models/common/clock_domain.h"
#include "models/common/register_bank.h"
#include "models/pci/msi.h"
#include "models/pci/msix.h"
#include "models/pci/pci_function.h"

#include <cstdint>
#include <span>
#include <systemc>
#include <vector>

namespace x86sim::models {

struct TestDeviceConfig {
    unsigned msix_vectors = 4; // 1..2048
    unsigned msi_vectors_log2 = 2;
    bool msi_64bit = true;
    bool msi_per_vector_masking = true;
    std::uint32_t dma_buffer_bytes = 64 * 1024;
};

struct TestDeviceCounters {
    std::uint64_t fired = 0; // interrupts the device decided to fire
    std::uint64_t storms = 0;
    std::uint64_t dma_transfers = 0; // completed (with or without error)
    std::uint64_t dma_bytes = 0;     // bytes that reached memory or came back from it
    std::uint64_t dma_errors = 0;
    std::uint64_t dma_rejected = 0; // starts while busy, or longer than the buffer
    std::uint64_t bad_commands = 0; // unknown COMMAND values (ignored)
};

struct DmaOptions {
    bool interrupt = false; // signal `vector` on completion
    unsigned vector = 0;
    std::uint64_t completion_address = 0; // write a completion record there before the interrupt
};

class TestDevice : public sc_core::sc_module, public PciFunction {
  public:
    static constexpr std::uint16_t kVendorId = 0x5853;
    static constexpr std::uint16_t kDeviceId = 0x7E57;
    static constexpr std::uint32_t kIdRegister = 0x5854'0001;
    // Register offsets (BAR0).
    enum Reg : std::uint16_t {
        kRegId = 0x00,
        kRegCaps = 0x04,
        kRegVector = 0x08,
        kRegCount = 0x0C,
        kRegCommand = 0x10,
        kRegStormRate = 0x14,
        kRegStormDuration = 0x18,
        kRegFired = 0x20,
        kRegStatus = 0x28,
        kRegIntx = 0x30,
        kRegIntStatus = 0x34,
        kRegDmaAddress = 0x40,
        kRegDmaLength = 0x48,
        kRegDmaPattern = 0x4C,
        kRegDmaControl = 0x50,
        kRegDmaStatus = 0x54,
        kRegDmaVector = 0x58,
        kRegDmaSum = 0x5C,
        kRegCompletionAddress = 0x60,
        kRegDmaSequence = 0x68,
    };
    enum Command : std::uint32_t { kCmdFire = 1, kCmdFireN = 2, kCmdStormStart = 3, kCmdStormStop = 4 };
    static constexpr std::uint32_t kDmaStart = 1u << 0;
    static constexpr std::uint32_t kDmaToMemory = 1u << 1;
    static constexpr std::uint32_t kDmaInterrupt = 1u << 2;
    static constexpr std::uint32_t kDmaBusy = 1u << 0;
    static constexpr std::uint32_t kDmaDone = 1u << 1;
    static constexpr std::uint32_t kDmaError = 1u << 2;
    static constexpr unsigned kRegisterBar = 0;
    static constexpr unsigned kIoBar = 1;
    static constexpr unsigned kMsixBar = 2;

    SC_HAS_PROCESS(TestDevice);
    TestDevice(sc_core::sc_module_name name, const TestDeviceConfig& config = {});

    using PciFunction::name; // the PCI name (same as the SystemC basename)

    // --- C++ API (scenario timeline, tests) --------------------------------------------------------
    // Fire `vector` `count` times now, back to back (MSI-X / MSI / INTx, whichever is enabled).
    void fire(unsigned vector, std::uint64_t count = 1);
    // Message k at now + ceil(k * 1e12 / rate_hz) ps for every k with that time < now + duration_ps.
    // Replaces a running storm. Returns the number of messages it will fire (0: bad arguments).
    std::uint64_t storm(unsigned vector, std::uint64_t rate_hz, std::uint64_t duration_ps);
    void stop_storm();
    bool storm_running() const { return storm_remaining_ > 0; }
    // Write `bytes` of the repeated dword `pattern` to `bus_address` / read `bytes` from it into the
    // device buffer. false if a DMA is in flight or `bytes` exceeds the buffer (counted as rejected).
    bool dma_write(std::uint64_t bus_address, std::uint32_t bytes, std::uint32_t pattern,
                   const DmaOptions& options = {});
    bool dma_read(std::uint64_t bus_address, std::uint32_t bytes, const DmaOptions& options = {});
    bool dma_busy() const { return dma_busy_; }
    // Simulated time (ps) at which the last started DMA completes / completed.
    std::uint64_t dma_completion_time_ps() const { return dma_completion_ps_; }
    std::uint32_t dma_status() const { return dma_status_; }
    std::span<const std::uint8_t> dma_buffer() const { return buffer_; }
    // The software-controlled INTx condition (register INTX bit 0).
    void set_intx(bool asserted);

    const TestDeviceConfig& config() const { return config_; }
    const TestDeviceCounters& device_counters() const { return counters_; }
    RegisterBank& registers() { return regs_; }
    void report_metrics(MetricSink& sink) const override;

  protected:
    MmioResult on_bar_read(unsigned index, std::uint64_t offset, unsigned size,
                           std::uint64_t& value) override;
    MmioResult on_bar_write(unsigned index, std::uint64_t offset, unsigned size,
                            std::uint64_t value) override;
    void on_reset() override;

  private:
    void build_registers();
    void command(std::uint32_t value);
    void fire_one(unsigned vector);
    void update_intx();
    void storm_tick();
    bool start_dma(bool to_memory, std::uint64_t bus_address, std::uint32_t bytes, std::uint32_t pattern,
                   const DmaOptions& options);
    void dma_complete();
    std::uint64_t reg(std::uint16_t offset);

    TestDeviceConfig config_;
    RegisterBank regs_;
    TestDeviceCounters counters_;
    // INTx
    bool intx_forced_ = false;
    std::uint32_t int_status_ = 0;
    // storm: one event per message
    sc_core::sc_event storm_event_;
    unsigned storm_vector_ = 0;
    std::uint64_t storm_start_ps_ = 0;
    std::uint64_t storm_index_ = 0;
    std::uint64_t storm_remaining_ = 0;
    ClockDomain storm_clock_;
    // DMA engine
    sc_core::sc_event dma_event_;
    std::vector<std::uint8_t> buffer_;
    bool dma_busy_ = false;
    std::uint32_t dma_status_ = 0;
    std::uint32_t dma_sum_ = 0;
    std::uint32_t dma_sequence_ = 0;
    std::uint64_t dma_completion_ps_ = 0;
    DmaOptions dma_options_;
    bool dma_failed_ = false;
};

} // namespace x86sim::models
