#include "models/common/register_bank.h"

#include <algorithm>
#include <stdexcept>

namespace x86sim::models {

namespace {
std::uint64_t bytes_mask(unsigned bytes) {
    return bytes >= 8 ? ~0ULL : ((1ULL << (bytes * 8)) - 1);
}

// One bit per byte lane of an access.
std::uint64_t lanes_mask(unsigned size) {
    return (1ULL << size) - 1;
}

bool valid_size(unsigned size) {
    return size == 1 || size == 2 || size == 4 || size == 8;
}

unsigned size_bit(unsigned size) {
    switch (size) {
    case 1:
        return 0b0001;
    case 2:
        return 0b0010;
    case 4:
        return 0b0100;
    default:
        return 0b1000;
    }
}
} // namespace

const char* to_string(AccessStatus status) {
    switch (status) {
    case AccessStatus::Ok:
        return "ok";
    case AccessStatus::Unmapped:
        return "unmapped";
    case AccessStatus::ReadOnlyWrite:
        return "write to read-only register";
    case AccessStatus::WriteOnlyRead:
        return "read of write-only register";
    case AccessStatus::BadSize:
        return "bad access size";
    case AccessStatus::Misaligned:
        return "misaligned access";
    }
    return "?";
}

void Register::apply(std::uint64_t written, std::uint64_t mask) {
    const std::uint64_t changeable = mask & spec.write_mask & width_mask();
    switch (spec.access) {
    case RegisterAccess::ReadWrite:
    case RegisterAccess::WriteOnly:
        value = (value & ~changeable) | (written & changeable);
        break;
    case RegisterAccess::WriteOneToClear:
        value &= ~(written & changeable);
        break;
    case RegisterAccess::ReadOnly:
        break;
    }
}

RegisterBank::RegisterBank(std::string name) : RegisterBank(std::move(name), Options{}) {}

RegisterBank::RegisterBank(std::string name, Options options) : name_(std::move(name)), options_(options) {}

Register& RegisterBank::add(RegisterSpec spec) {
    if (!valid_size(spec.width)) {
        throw std::logic_error(name_ + "." + spec.name + ": width must be 1, 2, 4 or 8 bytes");
    }
    const auto end = spec.offset + spec.width;
    for (const auto& existing : registers_) {
        const auto existing_end = existing.spec.offset + existing.spec.width;
        if (spec.offset < existing_end && existing.spec.offset < end) {
            throw std::logic_error(name_ + "." + spec.name + " overlaps " + existing.spec.name);
        }
    }
    start_index_stale_ = true;
    Register reg{std::move(spec), 0};
    reg.value = reg.spec.reset & reg.width_mask();
    auto position =
        std::lower_bound(registers_.begin(), registers_.end(), reg.spec.offset,
                         [](const Register& r, std::uint64_t off) { return r.spec.offset < off; });
    return *registers_.insert(position, std::move(reg));
}

std::size_t RegisterBank::first_overlapping(std::uint64_t offset) const {
    // The first register whose end lies beyond `offset`.
    auto position =
        std::upper_bound(registers_.begin(), registers_.end(), offset,
                         [](std::uint64_t off, const Register& r) { return off < r.spec.offset; });
    if (position != registers_.begin()) {
        auto previous = position - 1;
        if (previous->spec.offset + previous->spec.width > offset) {
            return static_cast<std::size_t>(previous - registers_.begin());
        }
    }
    return static_cast<std::size_t>(position - registers_.begin());
}

void RegisterBank::build_start_index() {
    start_index_stale_ = false;
    start_index_.clear();
    if (registers_.empty() || registers_.size() >= kNoRegister) {
        return;
    }
    // The largest power of two dividing every start offset and width: the index's step.
    std::uint64_t all_bits = 0;
    for (const auto& reg : registers_) {
        all_bits |= reg.spec.offset | reg.spec.width;
    }
    start_granule_ = all_bits & (~all_bits + 1);
    const auto& last = registers_.back();
    const auto slots = (last.spec.offset + last.spec.width) / start_granule_;
    constexpr std::uint64_t kMaxSlots = 256; // a LAPIC page has 64 registers 16 bytes apart
    if (slots > kMaxSlots) {
        return;
    }
    start_index_.assign(slots, kNoRegister);
    for (std::size_t index = 0; index < registers_.size(); ++index) {
        start_index_[registers_[index].spec.offset / start_granule_] = static_cast<std::uint8_t>(index);
    }
}

std::size_t RegisterBank::locate(std::uint64_t offset) {
    if (start_index_stale_) {
        build_start_index();
    }
    if (offset % start_granule_ == 0) {
        const auto slot = offset / start_granule_;
        if (slot < start_index_.size() && start_index_[slot] != kNoRegister) {
            return start_index_[slot]; // registers do not overlap: the one starting here holds `offset`
        }
    }
    return first_overlapping(offset);
}

AccessStatus RegisterBank::check(std::uint64_t offset, unsigned size) {
    if (!valid_size(size) || (options_.allowed_sizes & size_bit(size)) == 0) {
        ++stats_.bad_size;
        return AccessStatus::BadSize;
    }
    if (options_.require_natural_alignment && offset % size != 0) {
        ++stats_.misaligned;
        return AccessStatus::Misaligned;
    }
    return AccessStatus::Ok;
}

AccessStatus RegisterBank::read(std::uint64_t offset, unsigned size, std::uint64_t& value) {
    ++stats_.reads;
    value = options_.unmapped_fill & bytes_mask(size);
    if (auto status = check(offset, size); status != AccessStatus::Ok) {
        return status;
    }
    AccessStatus status = AccessStatus::Ok;
    std::uint64_t covered = 0; // byte lanes of the access served by a register
    const std::uint64_t end = offset + size;
    for (auto index = locate(offset); index < registers_.size(); ++index) {
        Register& reg = registers_[index];
        if (reg.spec.offset >= end) {
            break;
        }
        std::uint64_t reg_value = 0;
        if (reg.spec.access == RegisterAccess::WriteOnly) {
            ++stats_.write_only_reads;
            status = AccessStatus::WriteOnlyRead;
        } else {
            reg_value = (reg.spec.on_read ? reg.spec.on_read(reg) : reg.value) & reg.width_mask();
        }
        // Place the overlapping bytes of reg_value into the result.
        for (std::uint64_t byte = std::max(offset, reg.spec.offset);
             byte < std::min(end, reg.spec.offset + reg.spec.width); ++byte) {
            const auto in_reg = (byte - reg.spec.offset) * 8;
            const auto in_access = (byte - offset) * 8;
            value &= ~(0xFFULL << in_access);
            value |= ((reg_value >> in_reg) & 0xFF) << in_access;
            covered |= 1ULL << (byte - offset);
        }
    }
    if (covered != lanes_mask(size)) {
        ++stats_.unmapped;
        if (status == AccessStatus::Ok) {
            status = AccessStatus::Unmapped;
        }
    }
    return status;
}

AccessStatus RegisterBank::write(std::uint64_t offset, unsigned size, std::uint64_t value) {
    ++stats_.writes;
    if (auto status = check(offset, size); status != AccessStatus::Ok) {
        return status;
    }
    AccessStatus status = AccessStatus::Ok;
    std::uint64_t covered = 0;
    const std::uint64_t end = offset + size;
    const auto first = locate(offset);
    if (first < registers_.size() && registers_[first].spec.offset == offset &&
        registers_[first].spec.width == size) {
        // The common case (an EOI, an ICR half, a timer count): exactly one whole register.
        Register& reg = registers_[first];
        if (reg.spec.access == RegisterAccess::ReadOnly && !reg.spec.on_write) {
            ++stats_.read_only_writes;
            return AccessStatus::ReadOnlyWrite;
        }
        const auto mask = bytes_mask(size);
        if (reg.spec.on_write) {
            reg.spec.on_write(reg, value & mask, mask);
        } else {
            reg.apply(value & mask, mask);
        }
        return AccessStatus::Ok;
    }
    for (auto index = first; index < registers_.size(); ++index) {
        Register& reg = registers_[index];
        if (reg.spec.offset >= end) {
            break;
        }
        std::uint64_t reg_written = 0;
        std::uint64_t reg_mask = 0;
        for (std::uint64_t byte = std::max(offset, reg.spec.offset);
             byte < std::min(end, reg.spec.offset + reg.spec.width); ++byte) {
            const auto in_reg = (byte - reg.spec.offset) * 8;
            const auto in_access = (byte - offset) * 8;
            reg_written |= ((value >> in_access) & 0xFF) << in_reg;
            reg_mask |= 0xFFULL << in_reg;
            covered |= 1ULL << (byte - offset);
        }
        if (reg.spec.access == RegisterAccess::ReadOnly && !reg.spec.on_write) {
            ++stats_.read_only_writes;
            status = AccessStatus::ReadOnlyWrite;
            continue;
        }
        if (reg.spec.on_write) {
            reg.spec.on_write(reg, reg_written, reg_mask);
        } else {
            reg.apply(reg_written, reg_mask);
        }
    }
    if (covered != lanes_mask(size)) {
        ++stats_.unmapped;
        if (status == AccessStatus::Ok) {
            status = AccessStatus::Unmapped;
        }
    }
    return status;
}

std::uint64_t RegisterBank::peek(std::uint64_t offset, unsigned size) const {
    std::uint64_t value = options_.unmapped_fill & bytes_mask(size);
    const std::uint64_t end = offset + size;
    for (const auto& reg : registers_) {
        if (reg.spec.offset >= end || reg.spec.offset + reg.spec.width <= offset) {
            continue;
        }
        for (std::uint64_t byte = std::max(offset, reg.spec.offset);
             byte < std::min(end, reg.spec.offset + reg.spec.width); ++byte) {
            const auto in_reg = (byte - reg.spec.offset) * 8;
            const auto in_access = (byte - offset) * 8;
            value &= ~(0xFFULL << in_access);
            value |= ((reg.value >> in_reg) & 0xFF) << in_access;
        }
    }
    return value;
}

void RegisterBank::reset() {
    for (auto& reg : registers_) {
        reg.value = reg.spec.reset & reg.width_mask();
    }
}

Register* RegisterBank::find(std::uint64_t offset) {
    auto index = first_overlapping(offset);
    if (index < registers_.size() && registers_[index].spec.offset <= offset) {
        return &registers_[index];
    }
    return nullptr;
}

Register* RegisterBank::find(const std::string& name) {
    for (auto& reg : registers_) {
        if (reg.spec.name == name) {
            return &reg;
        }
    }
    return nullptr;
}

} // namespace x86sim::models
