// System RAM: a TLM-2.0 memory target with DMI.
//
// Sparse by construction: the whole size is reserved as anonymous, lazily committed virtual memory, so
// only pages software or devices touch take host memory (a 512 MiB guest that uses 4 MiB costs 4 MiB),
// untouched memory reads as zero, and one DMI pointer covers all of it (guest code gets a host pointer
// into simulated RAM from it). Accesses beyond the end answer TLM_ADDRESS_ERROR_RESPONSE and are counted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace x86sim::models {

struct SystemMemoryConfig {
    std::uint64_t size_bytes = 512ULL << 20;
    // Cost of one access as seen by an initiator that does not use DMI (a DRAM access, order of
    // magnitude only; cycle-approximate CPUs charge their own costs).
    std::uint64_t access_latency_ps = 60'000;
};

class SystemMemory : public sc_core::sc_module {
  public:
    tlm_utils::simple_target_socket<SystemMemory> socket;

    SystemMemory(sc_core::sc_module_name name, SystemMemoryConfig config);
    ~SystemMemory() override;
    SystemMemory(const SystemMemory&) = delete;
    SystemMemory& operator=(const SystemMemory&) = delete;

    std::uint64_t size() const { return config_.size_bytes; }
    // Direct accesses (DMA engines, the guest HAL, the control protocol). False if out of range.
    bool read(std::uint64_t address, std::span<std::byte> out) const;
    bool write(std::uint64_t address, std::span<const std::byte> in);
    // A host pointer to `length` bytes at `address`, or nullptr if the range is not inside memory.
    std::byte* host_pointer(std::uint64_t address, std::uint64_t length);

    std::uint64_t out_of_range_accesses() const { return out_of_range_; }

  private:
    bool in_range(std::uint64_t address, std::uint64_t length) const;
    void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& payload, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& payload);

    SystemMemoryConfig config_;
    std::byte* base_ = nullptr;
    mutable std::uint64_t out_of_range_ = 0;
};

} // namespace x86sim::models
