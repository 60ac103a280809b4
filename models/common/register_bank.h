// One table of registers per device (house style): offset, width, reset value, access rule and optional
// read/write callbacks. The bank resolves an access of any size to the registers it overlaps, so byte
// and word accesses to PCI config fields and a dword write spanning Command+Status both work, and it
// answers bad software accesses the way a bus does (unmapped bytes read as the bank's fill value,
// writes to read-only bits are dropped) while counting each kind.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace x86sim::models {

enum class RegisterAccess : std::uint8_t {
    ReadWrite,       // bits in write_mask take the written value
    ReadOnly,        // writes are dropped (and counted)
    WriteOnly,       // reads return 0 (and are counted)
    WriteOneToClear, // writing 1 to a bit in write_mask clears it; writing 0 leaves it
};

struct Register;

// Called for a read; returns the whole register's current value (side effects allowed).
using RegisterReadFn = std::function<std::uint64_t(Register&)>;
// Called for a write with the written bits (`mask` says which bytes of the register were written).
// When present it replaces the default store; it may call Register::apply(value, mask).
using RegisterWriteFn = std::function<void(Register&, std::uint64_t value, std::uint64_t mask)>;

struct RegisterSpec {
    std::string name;
    std::uint64_t offset = 0;
    unsigned width = 4; // bytes: 1, 2, 4 or 8
    std::uint64_t reset = 0;
    RegisterAccess access = RegisterAccess::ReadWrite;
    std::uint64_t write_mask = ~0ULL; // software-changeable bits (within the width)
    RegisterReadFn on_read = nullptr;
    RegisterWriteFn on_write = nullptr;
};

struct Register {
    RegisterSpec spec;
    std::uint64_t value = 0;

    std::uint64_t width_mask() const { return spec.width >= 8 ? ~0ULL : ((1ULL << (spec.width * 8)) - 1); }
    // The default store for this register's access rule, limited to `mask` and the write mask.
    void apply(std::uint64_t written, std::uint64_t mask);
};

// Why an access was not an ordinary one. A bank never throws for a guest access.
enum class AccessStatus : std::uint8_t {
    Ok,
    Unmapped,      // some byte hit no register: reads fill, writes dropped
    ReadOnlyWrite, // a write touched a read-only register: dropped
    WriteOnlyRead, // a read touched a write-only register: read as 0
    BadSize,       // the size is not one the bank allows for this register
    Misaligned,    // the access is not naturally aligned where the bank requires it
};

const char* to_string(AccessStatus status);

struct RegisterBankStats {
    std::uint64_t reads = 0;
    std::uint64_t writes = 0;
    std::uint64_t unmapped = 0;
    std::uint64_t read_only_writes = 0;
    std::uint64_t write_only_reads = 0;
    std::uint64_t bad_size = 0;
    std::uint64_t misaligned = 0;
};

class RegisterBank {
  public:
    struct Options {
        std::uint64_t unmapped_fill = 0; // value of bytes that hit no register (PCI: 0xFF)
        bool require_natural_alignment = false;
        unsigned allowed_sizes = 0b1111; // bit n set: an access of 2^n bytes is allowed (1, 2, 4, 8)
    };

    explicit RegisterBank(std::string name);
    RegisterBank(std::string name, Options options);

    // Adds a register; throws std::logic_error on an overlap (a model bug, caught at construction).
    Register& add(RegisterSpec spec);

    AccessStatus read(std::uint64_t offset, unsigned size, std::uint64_t& value);
    AccessStatus write(std::uint64_t offset, unsigned size, std::uint64_t value);

    // Reads without side effects (debugger dumps): stored values only, no callbacks, no counters.
    std::uint64_t peek(std::uint64_t offset, unsigned size) const;

    void reset();
    Register* find(std::uint64_t offset);
    Register* find(const std::string& name);
    const std::vector<Register>& registers() const { return registers_; }
    const std::string& name() const { return name_; }
    const RegisterBankStats& stats() const { return stats_; }

  private:
    AccessStatus check(std::uint64_t offset, unsigned size);
    std::size_t first_overlapping(std::uint64_t offset) const;
    // first_overlapping() through the start index when a register starts exactly at `offset`.
    std::size_t locate(std::uint64_t offset);
    void build_start_index();

    std::string name_;
    Options options_;
    std::vector<Register> registers_; // sorted by offset
    RegisterBankStats stats_;
    // Register index by start offset / start_granule_ (kNoRegister: none starts there), for banks small
    // enough: an EOI or an ICR write then needs no binary search. Rebuilt after add().
    static constexpr std::uint8_t kNoRegister = 0xFF;
    std::vector<std::uint8_t> start_index_;
    std::uint64_t start_granule_ = 1;
    bool start_index_stale_ = true;
};

} // namespace x86sim::models
