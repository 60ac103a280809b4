#include "models/pit/pit_channel.h"

#include <algorithm>
#include <array>

namespace x86sim::models {

namespace {

// Control word bits 3:1 (§2.1): 110 and 111 alias modes 2 and 3.
unsigned effective_mode(std::uint8_t control) {
    const unsigned mode = (control >> 1) & 0b111;
    return mode >= 6 ? mode - 4 : mode;
}

std::uint16_t to_bcd(std::uint32_t value) {
    value %= 10'000;
    return static_cast<std::uint16_t>((value / 1000) << 12 | ((value / 100) % 10) << 8 |
                                      ((value / 10) % 10) << 4 | (value % 10));
}

} // namespace

PitChannel::PitChannel(bool gate) : reset_gate_(gate), gate_(gate) {}

void PitChannel::reset() {
    *this = PitChannel(reset_gate_);
}

PitChannel::Level PitChannel::shape(std::uint32_t period, std::uint64_t elapsed) const {
    const std::uint64_t n = period;
    const std::uint64_t m = modulus();
    // Counts down from N, wrapping from 0 to the top of the range (modes 0, 1, 4, 5 keep counting).
    const auto down = [&](std::uint64_t e) { return static_cast<std::uint32_t>((n + m - e % m) % m); };
    switch (mode_) {
    case 0:
    case 1:
        return {down(elapsed), elapsed >= n};
    case 4:
    case 5:
        return {down(elapsed), elapsed != n};
    case 2: {
        const std::uint64_t p = elapsed % n;
        return {static_cast<std::uint32_t>((n - p) % m), p != n - 1};
    }
    default: { // 3
        const std::uint64_t p = elapsed % n;
        const std::uint64_t high = (n + 1) / 2;
        const std::uint64_t even = n & ~1ULL; // odd N: N - 1 is what gets loaded
        if (p < high) {
            return {static_cast<std::uint32_t>((even - 2 * p) % m), true};
        }
        return {static_cast<std::uint32_t>((even - 2 * (p - high)) % m), false};
    }
    }
}

PitChannel::Level PitChannel::level_at(std::uint64_t c) const {
    if (!counting_ || c < segment_.start) {
        return frozen_;
    }
    const Segment& active = (has_next_ && c >= next_.start) ? next_ : segment_;
    const std::uint64_t elapsed = paused_ ? paused_elapsed_ : c - active.anchor;
    return shape(active.period, elapsed);
}

std::uint16_t PitChannel::readout(std::uint64_t c) const {
    const auto count = level_at(c).count;
    return bcd_ ? to_bcd(count) : static_cast<std::uint16_t>(count & 0xFFFF);
}

std::uint8_t PitChannel::status(std::uint64_t c) const {
    // 8254DS read-back status byte: OUT, NULL COUNT, then the control word's RW, mode and BCD bits.
    return static_cast<std::uint8_t>((out(c) ? 0x80 : 0) | (null_count(c) ? 0x40 : 0) | control_);
}

// The first cycle x > c (and > segment.start) where the segment's own waveform changes OUT.
std::uint64_t PitChannel::shape_edge_after(const Segment& segment, std::uint64_t c) const {
    if (paused_) {
        return kNever;
    }
    const std::uint64_t from = std::max(c, segment.start);
    const std::uint64_t e = from - segment.anchor;
    const std::uint64_t n = segment.period;
    std::uint64_t edge = kNever; // as an elapsed count
    switch (mode_) {
    case 0:
    case 1:
        edge = e < n ? n : kNever;
        break;
    case 4:
    case 5:
        edge = e < n ? n : (e < n + 1 ? n + 1 : kNever);
        break;
    case 2: {
        const std::uint64_t base = e - e % n;
        edge = base + n - 1 > e ? base + n - 1 : base + n;
        break;
    }
    default: {
        const std::uint64_t base = e - e % n;
        const std::uint64_t high = (n + 1) / 2;
        edge = base + high > e ? base + high : base + n;
        break;
    }
    }
    return edge == kNever ? kNever : segment.anchor + edge;
}

std::uint64_t PitChannel::next_edge(std::uint64_t c) const {
    if (!counting_) {
        return kNever;
    }
    // Candidates: the start of each segment (frozen -> waveform, waveform -> next waveform) and the first
    // waveform edge inside each. Waveform edges are real edges; segment starts may not be.
    std::array<std::uint64_t, 4> candidates{kNever, kNever, kNever, kNever};
    if (c < segment_.start) {
        candidates[0] = segment_.start;
    }
    candidates[1] = shape_edge_after(segment_, c);
    if (has_next_) {
        if (candidates[1] >= next_.start) {
            candidates[1] = kNever;
        }
        if (next_.start > c) {
            candidates[2] = next_.start;
        }
        candidates[3] = shape_edge_after(next_, c);
    }
    std::sort(candidates.begin(), candidates.end());
    for (const auto x : candidates) {
        if (x == kNever) {
            break;
        }
        if (x > c && level_at(x).out != level_at(x - 1).out) {
            return x;
        }
    }
    return kNever;
}

void PitChannel::advance(std::uint64_t c) {
    if (has_next_ && c >= next_.start) {
        segment_ = next_;
        has_next_ = false;
    }
}

void PitChannel::start_segment(std::uint64_t c, std::uint32_t period, Level frozen) {
    frozen_ = frozen;
    segment_ = Segment{c + 1, c + 1, period};
    counting_ = true;
    has_next_ = false;
    paused_ = false;
    paused_elapsed_ = 0;
    null_until_ = c + 1; // CR -> CE at the next CLK
}

void PitChannel::write_control(std::uint8_t control, std::uint64_t c) {
    advance(c);
    const Level now = level_at(c);
    control_ = control & 0x3F;
    rw_ = (control >> 4) & 0b11;
    mode_ = effective_mode(control);
    bcd_ = (control & 1) != 0;
    // §2.1: programming resets byte sequencing and pending latches, sets NULL COUNT, and sets OUT low
    // for mode 0 and high for every other mode. The counter stays idle until a count is written.
    write_msb_next_ = false;
    read_msb_next_ = false;
    count_latched_ = false;
    status_latched_ = false;
    counting_ = false;
    has_next_ = false;
    paused_ = false;
    count_register_valid_ = false;
    frozen_ = Level{now.count % modulus(), mode_ != 0};
    null_until_ = kNever;
}

void PitChannel::latch_count(std::uint64_t c) {
    if (!count_latched_) {
        latched_count_ = readout(c);
        count_latched_ = true;
    }
}

void PitChannel::latch_status(std::uint64_t c) {
    if (!status_latched_) {
        latched_status_ = status(c);
        status_latched_ = true;
    }
}

std::uint8_t PitChannel::read_data(std::uint64_t c) {
    advance(c);
    // A latched status byte is returned first, then the (latched or live) count (8254DS read-back).
    if (status_latched_) {
        status_latched_ = false;
        return latched_status_;
    }
    const std::uint16_t value = count_latched_ ? latched_count_ : readout(c);
    const auto low = static_cast<std::uint8_t>(value & 0xFF);
    const auto high = static_cast<std::uint8_t>(value >> 8);
    switch (rw_) {
    case 1:
        count_latched_ = false;
        return low;
    case 2:
        count_latched_ = false;
        return high;
    default: {
        const bool msb = read_msb_next_;
        read_msb_next_ = !read_msb_next_;
        if (msb) {
            count_latched_ = false;
        }
        return msb ? high : low;
    }
    }
}

void PitChannel::write_data(std::uint8_t byte, std::uint64_t c) {
    advance(c);
    switch (rw_) {
    case 1:
        load_count(byte, c);
        break;
    case 2:
        load_count(static_cast<std::uint16_t>(byte << 8), c);
        break;
    default:
        if (!write_msb_next_) {
            pending_lsb_ = byte;
            write_msb_next_ = true;
            if (mode_ == 0) {
                // Mode 0: writing the first byte halts counting and sets OUT low at once (8254DS).
                frozen_ = Level{level_at(c).count, false};
                counting_ = false;
                has_next_ = false;
                paused_ = false;
            }
        } else {
            write_msb_next_ = false;
            load_count(static_cast<std::uint16_t>(pending_lsb_ | (byte << 8)), c);
        }
        break;
    }
}

std::uint32_t PitChannel::decode_count(std::uint16_t raw) {
    std::uint32_t count = raw;
    if (bcd_) {
        const std::uint32_t digits[4] = {raw & 0xFU, (raw >> 4) & 0xFU, (raw >> 8) & 0xFU,
                                         (raw >> 12) & 0xFU};
        const bool decimal = std::all_of(std::begin(digits), std::end(digits), [](auto d) { return d <= 9; });
        count = digits[3] * 1000 + digits[2] * 100 + digits[1] * 10 + digits[0];
        if (!decimal) {
            // Non-decimal digits are undefined in the datasheet: reduce into the BCD range and count it.
            ++illegal_counts_;
            count %= 10'000;
        }
    }
    if (count == 0) {
        count = modulus(); // 0 means 65536 (binary) or 10000 (BCD), §2.1
    }
    if (count == 1 && (mode_ == 2 || mode_ == 3)) {
        // Illegal in modes 2 and 3 (8254DS). MAME's measurements: mode 2 runs it as 2, mode 3 as 0.
        ++illegal_counts_;
        count = mode_ == 2 ? 2 : modulus();
    }
    return count;
}

void PitChannel::load_count(std::uint16_t raw, std::uint64_t c) {
    const std::uint32_t count = decode_count(raw);
    count_register_ = count;
    count_register_valid_ = true;
    const Level now = level_at(c);
    switch (mode_) {
    case 0:
        // OUT goes low on the write and rises N + 1 clocks later; a low GATE loads but does not count.
        start_segment(c, count, Level{now.count, false});
        paused_ = !gate_;
        break;
    case 4:
        start_segment(c, count, now);
        paused_ = !gate_;
        break;
    case 1:
    case 5:
        null_until_ = kNever; // loaded by the next GATE trigger
        break;
    default: // 2, 3
        if (!gate_) {
            null_until_ = kNever; // loaded by the rising GATE
        } else if (!counting_ || c < segment_.start) {
            start_segment(c, count, Level{now.count, true});
        } else {
            // Counting: the new count takes effect at the next reload (mode 2) or at the end of the current
            // half-cycle (mode 3) (8254DS). The current segment is the active one after advance().
            const std::uint64_t e = c - segment_.anchor;
            const std::uint64_t n = segment_.period;
            const std::uint64_t base = e - e % n;
            if (mode_ == 3 && base + (n + 1) / 2 > e) {
                // Ends the high half: the new count starts with its low half.
                const std::uint64_t reload = segment_.anchor + base + (n + 1) / 2;
                next_ = Segment{reload, reload - (count + 1) / 2, count};
            } else {
                const std::uint64_t reload = segment_.anchor + base + n;
                next_ = Segment{reload, reload, count};
            }
            has_next_ = true;
            null_until_ = next_.start;
        }
        break;
    }
}

void PitChannel::set_gate(bool level, std::uint64_t c) {
    advance(c);
    if (level == gate_) {
        return;
    }
    gate_ = level;
    const Level now = level_at(c);
    switch (mode_) {
    case 0:
    case 4:
        // Level-sensitive: low disables counting, high enables it; OUT is not affected (8254DS).
        if (!counting_) {
            break;
        }
        if (!level) {
            paused_elapsed_ = c >= segment_.start ? c - segment_.anchor : 0;
            paused_ = true;
        } else if (paused_) {
            // Counting resumes at the next CLK with the elapsed count it had.
            segment_.anchor = std::max(c, segment_.start) - paused_elapsed_;
            paused_ = false;
        }
        break;
    case 1:
    case 5:
        // Rising edge: (re)load the count register at the next CLK.
        if (level && count_register_valid_) {
            start_segment(c, count_register_, now);
        }
        break;
    default: // 2, 3
        if (!level) {
            // Stop counting and force OUT high at once; a count not yet transferred stays pending.
            if (has_next_ || (counting_ && c < segment_.start)) {
                null_until_ = kNever;
            }
            frozen_ = Level{now.count, true};
            counting_ = false;
            has_next_ = false;
        } else if (count_register_valid_) {
            start_segment(c, count_register_, Level{now.count, true});
        }
        break;
    }
}

PitChannel::Snapshot PitChannel::snapshot(std::uint64_t c) const {
    Snapshot s;
    s.mode = mode_;
    s.control = control_;
    s.count = readout(c);
    s.count_register = count_register_;
    s.count_register_valid = count_register_valid_;
    s.counting = counting_;
    s.paused = paused_;
    s.out = out(c);
    s.gate = gate_;
    s.null_count = null_count(c);
    s.count_latched = count_latched_;
    s.latched_count = latched_count_;
    s.status_latched = status_latched_;
    s.latched_status = latched_status_;
    s.write_msb_next = write_msb_next_;
    s.read_msb_next = read_msb_next_;
    return s;
}

} // namespace x86sim::models
