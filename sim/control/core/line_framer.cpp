#include "sim/control/core/line_framer.h"

namespace x86sim::control {

std::vector<FramedLine> LineFramer::feed(std::string_view bytes) {
    std::vector<FramedLine> lines;
    while (!bytes.empty()) {
        const auto newline = bytes.find('\n');
        const auto chunk = bytes.substr(0, newline);
        if (!discarding_) {
            if (buffer_.size() + chunk.size() > kMaxLineBytes) {
                discarding_ = true;
                buffer_.clear();
            } else {
                buffer_.append(chunk);
            }
        }
        if (newline == std::string_view::npos) {
            break;
        }
        bytes.remove_prefix(newline + 1);
        if (discarding_) {
            lines.push_back({{}, true});
            discarding_ = false;
        } else {
            if (!buffer_.empty() && buffer_.back() == '\r') {
                buffer_.pop_back();
            }
            lines.push_back({std::move(buffer_), false});
        }
        buffer_.clear();
    }
    return lines;
}

} // namespace x86sim::control
