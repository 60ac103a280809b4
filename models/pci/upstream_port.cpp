#include "models/pci/upstream_port.h"

#include "models/common/time.h"
#include "models/pci/pci_function.h"

#include <algorithm>
#include <cstring>

namespace x86sim::models {

namespace {
__extension__ typedef unsigned __int128 u128;

constexpr std::uint64_t kPage = 4096;

// Bytes from `address` to the next `boundary` (a power of two).
std::uint64_t to_boundary(std::uint64_t address, std::uint64_t boundary) {
    return boundary - (address & (boundary - 1));
}
} // namespace

const char* to_string(UpstreamStatus status) {
    switch (status) {
    case UpstreamStatus::Ok:
        return "ok";
    case UpstreamStatus::BusMasterDisabled:
        return "bus master disabled";
    case UpstreamStatus::UnsupportedRequest:
        return "unsupported request";
    case UpstreamStatus::TranslationFault:
        return "translation fault";
    case UpstreamStatus::NotConnected:
        return "not connected";
    }
    return "?";
}

UpstreamPort::UpstreamPort(PciFunction& owner) : owner_(owner) {}

std::uint64_t UpstreamPort::serialisation_ps(std::uint64_t bytes) const {
    const u128 numerator = static_cast<u128>(bytes) * kPicosecondsPerSecond;
    const auto rate = std::max<std::uint64_t>(timing_.link_bytes_per_second, 1);
    return static_cast<std::uint64_t>((numerator + rate - 1) / rate);
}

void UpstreamPort::reset_link_state() {
    upstream_free_ps_ = 0;
    downstream_free_ps_ = 0;
    last_posted_arrival_ps_ = 0;
}

bool UpstreamPort::gate() {
    if (!owner_.bus_master_enabled()) {
        ++stats_.bus_master_blocked;
        return false;
    }
    return true;
}

void UpstreamPort::count_failure(UpstreamStatus status) {
    switch (status) {
    case UpstreamStatus::UnsupportedRequest:
        ++stats_.unsupported_requests;
        // The requester sees a UR completion (reads) or nothing (posted writes); either way the
        // function records a received master abort (§2.1 Status bit 13).
        owner_.note_received_master_abort();
        break;
    case UpstreamStatus::TranslationFault:
        ++stats_.translation_faults;
        break;
    case UpstreamStatus::NotConnected:
        ++stats_.not_connected;
        break;
    case UpstreamStatus::Ok:
    case UpstreamStatus::BusMasterDisabled:
        break;
    }
}

UpstreamResult UpstreamPort::write_tlps(std::uint64_t address, std::span<const std::uint8_t> data,
                                        bool message, std::uint64_t issue_ps) {
    UpstreamResult result;
    std::uint64_t arrival = issue_ps;
    const std::uint64_t mps = std::max<std::uint32_t>(timing_.max_payload_size, 4);
    std::size_t done = 0;
    while (done < data.size()) {
        const std::uint64_t at = address + done;
        const auto length = static_cast<std::uint32_t>(
            std::min<std::uint64_t>({data.size() - done, mps, to_boundary(at, kPage)}));
        // Serialise behind whatever is already on the link; posted writes stay in order (§2.7).
        const std::uint64_t start = std::max(issue_ps, upstream_free_ps_);
        upstream_free_ps_ = start + serialisation_ps(length + request_overhead(at));
        const std::uint64_t reaches_root = upstream_free_ps_ + timing_.posted_write_latency_ps;
        ++stats_.tlps;

        UpstreamResponse response{UpstreamStatus::NotConnected, 0};
        if (target_ != nullptr) {
            const UpstreamRequest request{.op = UpstreamOp::Write,
                                          .address = at,
                                          .length = length,
                                          .requester_id = owner_.requester_id(),
                                          .message = message,
                                          .time_ps = reaches_root};
            response = target_->upstream_write(request, data.subspan(done, length));
        }
        // Extra root-complex latency (a translation) delays this write; a posted write never passes an
        // earlier one (§2.7), so it also lands no earlier than its predecessor.
        arrival = std::max(reaches_root + response.delay_ps, last_posted_arrival_ps_);
        last_posted_arrival_ps_ = arrival;
        const auto status = response.status;
        if (status == UpstreamStatus::Ok) {
            stats_.bytes_written += length;
        } else {
            count_failure(status);
            if (result.status == UpstreamStatus::Ok) {
                result.status = status;
            }
        }
        done += length;
    }
    result.delay_ps = arrival - issue_ps;
    return result;
}

UpstreamResult UpstreamPort::write(std::uint64_t address, std::span<const std::uint8_t> data,
                                   std::uint64_t offset_ps) {
    ++stats_.write_requests;
    if (!gate()) {
        return {UpstreamStatus::BusMasterDisabled, 0};
    }
    return write_tlps(address, data, false, now_ps() + offset_ps);
}

UpstreamResult UpstreamPort::send_message(const MsiMessage& message, std::uint64_t offset_ps) {
    if (!gate()) {
        return {UpstreamStatus::BusMasterDisabled, 0};
    }
    ++stats_.messages;
    const std::uint64_t issue = now_ps() + offset_ps;
    if (observer_.wants(HopKind::DeviceMessage)) {
        observer_.send({.time_ps = issue,
                        .kind = HopKind::DeviceMessage,
                        .cpu = -1,
                        .vector = static_cast<std::int32_t>(message.data & 0xFF),
                        .source = owner_.name().c_str(),
                        .detail = message.address});
    }
    std::uint8_t bytes[4];
    std::memcpy(bytes, &message.data, sizeof bytes); // little-endian DWORD payload (§2.5)
    return write_tlps(message.address, bytes, true, issue);
}

UpstreamResult UpstreamPort::read(std::uint64_t address, std::span<std::uint8_t> data,
                                  std::uint64_t offset_ps) {
    ++stats_.read_requests;
    if (!gate()) {
        std::fill(data.begin(), data.end(), 0xFF);
        return {UpstreamStatus::BusMasterDisabled, 0};
    }
    UpstreamResult result;
    const std::uint64_t issue = now_ps() + offset_ps;
    std::uint64_t done_at = issue;
    const std::uint64_t mrrs = std::max<std::uint32_t>(timing_.max_read_request_size, 4);
    const std::uint64_t rcb = std::max<std::uint32_t>(timing_.read_completion_boundary, 4);
    std::size_t done = 0;
    while (done < data.size()) {
        const std::uint64_t at = address + done;
        const auto length = static_cast<std::uint32_t>(
            std::min<std::uint64_t>({data.size() - done, mrrs, to_boundary(at, kPage)}));
        // The request (header only) goes up; it is ordered behind earlier posted writes.
        const std::uint64_t start = std::max(issue, upstream_free_ps_);
        upstream_free_ps_ = start + serialisation_ps(request_overhead(at));
        ++stats_.tlps;
        // Completions may not pass posted writes issued before the request (§2.7).
        std::uint64_t ready = std::max(upstream_free_ps_ + timing_.read_latency_ps, last_posted_arrival_ps_);
        auto chunk = data.subspan(done, length);
        UpstreamResponse response{UpstreamStatus::NotConnected, 0};
        if (target_ != nullptr) {
            const UpstreamRequest request{.op = UpstreamOp::Read,
                                          .address = at,
                                          .length = length,
                                          .requester_id = owner_.requester_id(),
                                          .message = false,
                                          .time_ps = ready};
            response = target_->upstream_read(request, chunk);
        }
        ready += response.delay_ps;
        // The completer splits the data at RCB-aligned boundaries, each piece a CplD with overhead.
        std::uint64_t piece_at = at;
        std::uint64_t remaining = length;
        std::uint64_t down = std::max(ready, downstream_free_ps_);
        while (remaining > 0) {
            const std::uint64_t piece = std::min(remaining, to_boundary(piece_at, rcb));
            down += serialisation_ps(piece + timing_.completion_overhead_bytes);
            piece_at += piece;
            remaining -= piece;
        }
        downstream_free_ps_ = down;
        done_at = std::max(done_at, down);

        const auto status = response.status;
        if (status == UpstreamStatus::Ok) {
            stats_.bytes_read += length;
        } else {
            std::fill(chunk.begin(), chunk.end(), 0xFF);
            count_failure(status);
            if (result.status == UpstreamStatus::Ok) {
                result.status = status;
            }
        }
        done += length;
    }
    result.delay_ps = done_at - issue;
    return result;
}

} // namespace x86sim::models
