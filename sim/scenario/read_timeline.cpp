#include "sim/scenario/config_reader.h"

namespace x86sim::scenario::detail {
namespace {

unsigned read_access_size(Reader& r, MapView& m, unsigned fallback, std::initializer_list<unsigned> allowed) {
    std::uint64_t size = fallback;
    m.uint64("size", size, 1, 8);
    for (unsigned ok : allowed) {
        if (size == ok) {
            return ok;
        }
    }
    std::string list;
    for (unsigned ok : allowed) {
        list += (list.empty() ? "" : ", ") + std::to_string(ok);
    }
    r.error(m.where("size"), m.path("size") + ": access size must be one of " + list + " bytes");
    return fallback;
}

TimelineAction read_action(Reader& r, const std::string& kind, const YamlNode& node,
                           const std::string& path) {
    if (kind == "storm") {
        StormAction storm;
        MapView m(r, node, path, {"device", "vector", "rate", "for"});
        if (m.require("device")) {
            m.string("device", storm.device);
        }
        m.uint32("vector", storm.vector, 0, 2047);
        if (m.require("rate")) {
            m.rate("rate", storm.rate_per_s);
        }
        if (m.require("for")) {
            m.time("for", storm.for_ps, 1);
        }
        return storm;
    }
    if (kind == "fault") {
        FaultAction fault;
        MapView m(r, node, path, {"device", "kind", "count"});
        if (m.require("device")) {
            m.string("device", fault.device);
        }
        if (m.require("kind")) {
            m.choice<FaultKind>("kind", fault.kind,
                                {{"drop_completion", FaultKind::drop_completion},
                                 {"drop_interrupt", FaultKind::drop_interrupt},
                                 {"media_error", FaultKind::media_error}});
        }
        m.uint32("count", fault.count, 1, 1'000'000);
        return fault;
    }
    if (kind == "dma") {
        DmaAction dma;
        MapView m(r, node, path, {"device", "write", "read", "bytes"});
        if (m.require("device")) {
            m.string("device", dma.device);
        }
        if (m.has("write") == m.has("read")) {
            r.error(m.where(), path + ": give exactly one of 'write: ADDRESS' or 'read: ADDRESS'");
        } else if (m.has("write")) {
            m.uint64("write", dma.address);
        } else {
            dma.write = false;
            m.uint64("read", dma.address);
        }
        if (m.require("bytes")) {
            m.size("bytes", dma.bytes, 1);
        }
        return dma;
    }
    if (kind == "power_fail") {
        MapView m(r, node, path, {});
        return PowerFailAction{};
    }
    if (kind == "write") {
        MemWriteAction write;
        MapView m(r, node, path, {"addr", "value", "size", "cpu"});
        if (m.require("addr")) {
            m.uint64("addr", write.addr);
        }
        if (m.require("value")) {
            m.uint64("value", write.value);
        }
        write.size = read_access_size(r, m, 4, {1, 2, 4, 8});
        m.uint32("cpu", write.cpu);
        if (write.size < 8 && write.value >> (8 * write.size) != 0) {
            r.error(m.where("value"),
                    m.path("value") + ": does not fit in " + std::to_string(write.size) + " bytes");
        }
        return write;
    }
    if (kind == "read") {
        MemReadAction read;
        MapView m(r, node, path, {"addr", "size", "cpu"});
        if (m.require("addr")) {
            m.uint64("addr", read.addr);
        }
        read.size = read_access_size(r, m, 4, {1, 2, 4, 8});
        m.uint32("cpu", read.cpu);
        return read;
    }
    if (kind == "wrmsr") {
        WrmsrAction wrmsr;
        MapView m(r, node, path, {"cpu", "index", "value"});
        m.uint32("cpu", wrmsr.cpu);
        if (m.require("index")) {
            m.uint32("index", wrmsr.index);
        }
        if (m.require("value")) {
            m.uint64("value", wrmsr.value);
        }
        return wrmsr;
    }
    if (kind == "rdmsr") {
        RdmsrAction rdmsr;
        MapView m(r, node, path, {"cpu", "index"});
        m.uint32("cpu", rdmsr.cpu);
        if (m.require("index")) {
            m.uint32("index", rdmsr.index);
        }
        return rdmsr;
    }
    if (kind == "out") {
        PortOutAction out;
        MapView m(r, node, path, {"port", "value", "size"});
        std::uint64_t port = 0;
        if (m.require("port")) {
            m.uint64("port", port, 0, 0xFFFF);
        }
        out.port = static_cast<std::uint16_t>(port);
        std::uint64_t value = 0;
        if (m.require("value")) {
            m.uint64("value", value, 0, UINT32_MAX);
        }
        out.value = static_cast<std::uint32_t>(value);
        out.size = read_access_size(r, m, 1, {1, 2, 4});
        if (out.size < 4 && out.value >> (8 * out.size) != 0) {
            r.error(m.where("value"),
                    m.path("value") + ": does not fit in " + std::to_string(out.size) + " bytes");
        }
        return out;
    }
    PortInAction in;
    MapView m(r, node, path, {"port", "size"});
    std::uint64_t port = 0;
    if (m.require("port")) {
        m.uint64("port", port, 0, 0xFFFF);
    }
    in.port = static_cast<std::uint16_t>(port);
    in.size = read_access_size(r, m, 1, {1, 2, 4});
    return in;
}

} // namespace

void read_timeline(Reader& r, const YamlNode& node, std::vector<TimelineEvent>& out) {
    if (node.is_null()) {
        return;
    }
    if (!node.is_sequence()) {
        r.error(node.where, "timeline: expected a list, got " + describe(node));
        return;
    }
    static const std::vector<std::string> actions = {"storm", "fault", "dma",   "power_fail", "write",
                                                     "read",  "wrmsr", "rdmsr", "out",        "in"};
    for (std::size_t i = 0; i < node.items.size(); ++i) {
        const std::string path = "timeline." + std::to_string(i);
        const YamlNode& item = *node.items[i];
        r.locate(path, item.where);
        MapView m(
            r, item, path,
            {"at", "storm", "fault", "dma", "power_fail", "write", "read", "wrmsr", "rdmsr", "out", "in"});
        if (!m.is_map()) {
            continue;
        }
        TimelineEvent event;
        if (m.require("at")) {
            m.time("at", event.at_ps);
        }
        std::vector<std::string> present;
        for (const std::string& action : actions) {
            if (m.has(action)) {
                present.push_back(action);
            }
        }
        if (present.size() != 1) {
            r.error(item.where, path + ": each timeline entry needs exactly one action (" +
                                    allowed_list(actions) + "), got " +
                                    (present.empty() ? std::string("none") : allowed_list(present)));
            continue;
        }
        event.action = read_action(r, present[0], *m.get(present[0]), m.path(present[0]));
        out.push_back(std::move(event));
    }
}

} // namespace x86sim::scenario::detail
