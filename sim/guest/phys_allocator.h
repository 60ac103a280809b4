// Physical memory for the guest (hal->phys_alloc): a bump allocator over simulated RAM starting at 1 MiB
// (below it lie the real-mode/BIOS areas a PC keeps for firmware), so addresses depend only on the order
// and sizes of the requests: deterministic. Memory is never returned (kernels allocate their structures
// once at boot). Returns 0 when the request does not fit or `align` is not a power of two.
#pragma once

#include <cstdint>

namespace x86sim::sim::guest {

class PhysAllocator {
  public:
    static constexpr std::uint64_t kBase = 1ULL << 20;

    explicit PhysAllocator(std::uint64_t memory_bytes) : end_(memory_bytes) {}

    std::uint64_t allocate(std::uint64_t size, std::uint64_t align);
    std::uint64_t used() const { return next_ - kBase; }
    std::uint64_t failures() const { return failures_; }

  private:
    std::uint64_t end_;
    std::uint64_t next_ = kBase;
    std::uint64_t failures_ = 0;
};

} // namespace x86sim::sim::guest
