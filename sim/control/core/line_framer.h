// Splits a byte stream into protocol lines (design/CONTROL-PROTOCOL.md: one command per line). A line
// ends at '\n'; a trailing '\r' is dropped (telnet, Windows clients). A line longer than kMaxLineBytes
// (64 KiB) is not kept: the framer discards it up to its newline and reports it once as oversized, so a
// client streaming garbage can never make the server hold more than 64 KiB of it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace x86sim::control {

inline constexpr std::size_t kMaxLineBytes = 64 * 1024;

struct FramedLine {
    std::string text;
    bool oversized = false; // text is empty; the line exceeded kMaxLineBytes
};

class LineFramer {
  public:
    // Appends bytes; returns the lines they complete, in order.
    std::vector<FramedLine> feed(std::string_view bytes);
    // Bytes of an incomplete line held (never more than kMaxLineBytes).
    std::size_t pending() const { return buffer_.size(); }

  private:
    std::string buffer_;
    bool discarding_ = false;
};

} // namespace x86sim::control
