#include "sim/scenario/config_reader.h"

#include <cstdio>

namespace x86sim::scenario::detail {
namespace {

std::optional<Bdf> parse_bdf(std::string_view text) {
    // "bb:dd.f", hex.
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    };
    if (text.size() != 7 || text[2] != ':' || text[5] != '.') {
        return std::nullopt;
    }
    const int b1 = hex(text[0]);
    const int b0 = hex(text[1]);
    const int d1 = hex(text[3]);
    const int d0 = hex(text[4]);
    const int f = hex(text[6]);
    if (b1 < 0 || b0 < 0 || d1 < 0 || d0 < 0 || f < 0) {
        return std::nullopt;
    }
    const int device = d1 * 16 + d0;
    if (device > 0x1f || f > 7) {
        return std::nullopt;
    }
    return Bdf{static_cast<std::uint8_t>(b1 * 16 + b0), static_cast<std::uint8_t>(device),
               static_cast<std::uint8_t>(f)};
}

void read_bdf(Reader& r, MapView& m, Bdf& out) {
    if (!m.require("bdf")) {
        return;
    }
    const YamlNode& node = *m.get("bdf");
    auto text = read_string(r, node, m.path("bdf"));
    if (!text) {
        return;
    }
    if (auto bdf = parse_bdf(*text)) {
        out = *bdf;
    } else {
        r.error(node.where, m.path("bdf") +
                                ": expected a PCI address \"bb:dd.f\" (hex bus 00-ff, device 00-1f, "
                                "function 0-7), got " +
                                describe(node));
    }
}

NvmeConfig read_nvme(Reader& r, const YamlNode& node, const std::string& path) {
    NvmeConfig nvme;
    MapView m(r, node, path, {"name", "bdf", "namespaces", "max_queues", "media", "write_cache", "backing"});
    if (m.require("name")) {
        m.name("name", nvme.name);
    }
    read_bdf(r, m, nvme.bdf);
    if (const YamlNode* list = m.get("namespaces")) {
        if (!list->is_sequence() || list->items.empty()) {
            r.error(list->where, m.path("namespaces") + ": expected a non-empty list of { size: ... }, got " +
                                     describe(*list));
        } else {
            nvme.namespaces.clear();
            for (std::size_t i = 0; i < list->items.size(); ++i) {
                NvmeNamespaceConfig ns;
                MapView nm(r, *list->items[i], m.path("namespaces") + "." + std::to_string(i), {"size"});
                r.locate(nm.path(), list->items[i]->where);
                if (nm.require("size")) {
                    nm.size("size", ns.size_bytes, 4096);
                    if (ns.size_bytes % 512 != 0) {
                        r.error(nm.where("size"), nm.path("size") + ": must be a multiple of 512 bytes");
                    }
                }
                nvme.namespaces.push_back(ns);
            }
        }
    }
    m.uint32("max_queues", nvme.max_queues, 1, 65535);
    if (const YamlNode* media = m.get("media")) {
        MapView mm(r, *media, m.path("media"), {"read_latency", "write_latency", "channels"});
        mm.time("read_latency", nvme.media.read_latency_ps);
        mm.time("write_latency", nvme.media.write_latency_ps);
        mm.uint32("channels", nvme.media.channels, 1, 1024);
    }
    m.choice<WriteCache>("write_cache", nvme.write_cache,
                         {{"volatile", WriteCache::volatile_cache}, {"none", WriteCache::none}});
    if (const YamlNode* backing = m.get("backing")) {
        if (auto text = read_string(r, *backing, m.path("backing"))) {
            if (*text == "ram") {
                nvme.backing = BackingConfig{};
            } else if (text->starts_with("file:") && text->size() > 5) {
                nvme.backing = BackingConfig{BackingConfig::Kind::file, text->substr(5)};
            } else {
                r.error(backing->where,
                        m.path("backing") + ": expected 'ram' or 'file:PATH', got " + describe(*backing));
            }
        }
    }
    return nvme;
}

TestdevConfig read_testdev(Reader& r, const YamlNode& node, const std::string& path) {
    TestdevConfig dev;
    MapView m(r, node, path, {"name", "bdf", "vectors"});
    if (m.require("name")) {
        m.name("name", dev.name);
    }
    read_bdf(r, m, dev.bdf);
    m.uint32("vectors", dev.vectors, 1, 2048);
    return dev;
}

} // namespace

void read_platform(Reader& r, const YamlNode& node, PlatformConfig& out) {
    MapView m(r, node, "platform",
              {"cpus", "cpu_freq", "tsc_freq", "lapic", "pit", "hpet", "ioapic", "ecam_base", "iommu",
               "memory", "quantum", "devices"});
    m.uint32("cpus", out.cpus, 1, 1024);
    m.frequency("cpu_freq", out.cpu_freq_hz);
    out.tsc_freq_hz = out.cpu_freq_hz;
    m.frequency("tsc_freq", out.tsc_freq_hz);
    if (const YamlNode* lapic = m.get("lapic")) {
        MapView lm(r, *lapic, m.path("lapic"), {"mode", "timer_clock"});
        lm.choice<LapicMode>("mode", out.lapic.mode,
                             {{"xapic", LapicMode::xapic}, {"x2apic", LapicMode::x2apic}});
        lm.frequency("timer_clock", out.lapic.timer_clock_hz);
    }
    if (out.lapic.mode == LapicMode::xapic && out.cpus > 255) {
        r.error(m.where("cpus"),
                "platform.cpus: xAPIC addresses at most 255 CPUs; use lapic: { mode: x2apic }");
    }
    if (const YamlNode* pit = m.get("pit")) {
        MapView pm(r, *pit, m.path("pit"), {"enabled"});
        pm.boolean("enabled", out.pit.enabled);
    }
    if (const YamlNode* hpet = m.get("hpet")) {
        MapView hm(r, *hpet, m.path("hpet"), {"enabled", "freq"});
        // Mentioning hpet at all means "I want one" unless enabled says otherwise.
        out.hpet.enabled = true;
        hm.boolean("enabled", out.hpet.enabled);
        hm.frequency("freq", out.hpet.freq_hz);
    }
    if (const YamlNode* ioapic = m.get("ioapic")) {
        MapView im(r, *ioapic, m.path("ioapic"), {"enabled"});
        im.boolean("enabled", out.ioapic.enabled);
    }
    m.uint64("ecam_base", out.ecam_base, 0, (1ULL << 52) - 1);
    if (m.has("ecam_base") && out.ecam_base % (1ULL << 20) != 0) {
        r.error(m.where("ecam_base"), "platform.ecam_base: must be aligned to 1 MiB (one bus of ECAM space)");
    }
    if (const YamlNode* iommu = m.get("iommu")) {
        MapView im(r, *iommu, m.path("iommu"), {"enabled", "iotlb_entries", "interrupt_remapping"});
        out.iommu.enabled = true;
        im.boolean("enabled", out.iommu.enabled);
        im.uint32("iotlb_entries", out.iommu.iotlb_entries, 0, 65536);
        im.boolean("interrupt_remapping", out.iommu.interrupt_remapping);
    }
    m.size("memory", out.memory_bytes, 1ULL << 20);
    if (m.has("memory") && out.memory_bytes % 4096 != 0) {
        r.error(m.where("memory"), "platform.memory: must be a multiple of 4 KiB");
    }
    m.time("quantum", out.quantum_ps);
    if (const YamlNode* devices = m.get("devices")) {
        if (!devices->is_sequence()) {
            if (!devices->is_null()) {
                r.error(devices->where, "platform.devices: expected a list, got " + describe(*devices));
            }
            return;
        }
        for (std::size_t i = 0; i < devices->items.size(); ++i) {
            const std::string path = "platform.devices." + std::to_string(i);
            r.locate(path, devices->items[i]->where);
            auto item = read_one_key_item(r, *devices->items[i], path, {"nvme", "testdev"});
            if (!item) {
                continue;
            }
            if (item->first == "nvme") {
                out.devices.emplace_back(read_nvme(r, *item->second, path + ".nvme"));
            } else {
                out.devices.emplace_back(read_testdev(r, *item->second, path + ".testdev"));
            }
        }
    }
}

} // namespace x86sim::scenario::detail
