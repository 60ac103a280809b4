#include "sim/guest/phys_allocator.h"

namespace x86sim::sim::guest {

std::uint64_t PhysAllocator::allocate(std::uint64_t size, std::uint64_t align) {
    if (align == 0) {
        align = 1;
    }
    if (size == 0 || (align & (align - 1)) != 0) {
        ++failures_;
        return 0;
    }
    const auto start = (next_ + align - 1) & ~(align - 1);
    if (start < next_ || start > end_ || size > end_ - start) {
        ++failures_;
        return 0;
    }
    next_ = start + size;
    return start;
}

} // namespace x86sim::sim::guest
