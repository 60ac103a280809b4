#include "sim/scenario/config_reader.h"

#include "sim/metrics/did_you_mean.h"

#include <algorithm>
#include <set>

namespace x86sim::scenario {
namespace detail {
namespace {

// Top-level metric prefixes a device name would collide with ("{dev}.x" metrics).
const std::vector<std::string> reserved_names = {"sim", "pit",   "hpet", "ioapic", "sched",   "kernel",
                                                 "irq", "iommu", "dma",  "proc",   "workload"};

bool valid_scenario_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

bool valid_variant_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
               c == '_';
    });
}

const DeviceConfig* find_device(const Config& config, std::string_view name) {
    for (const DeviceConfig& device : config.platform.devices) {
        if (device_name(device) == name) {
            return &device;
        }
    }
    return nullptr;
}

std::vector<std::string> device_names(const Config& config, std::string_view kind) {
    std::vector<std::string> names;
    for (const DeviceConfig& device : config.platform.devices) {
        if (kind.empty() || device_kind(device) == kind) {
            names.push_back(device_name(device));
        }
    }
    return names;
}

// Reports a reference to a device that is missing or of the wrong kind.
void check_device(Reader& r, const Config& config, const std::string& path, const std::string& name,
                  std::string_view kind, std::string_view user) {
    const SourceLocation where = config.where(path);
    const DeviceConfig* device = find_device(config, name);
    if (device == nullptr) {
        const auto names = device_names(config, kind);
        r.error(where,
                path + ": no device named '" + name + "' in platform.devices" +
                    metrics::did_you_mean(name, names) +
                    (names.empty() ? " (there is no " + std::string(kind) + " device)"
                                   : " (" + std::string(kind) + " devices: " + allowed_list(names) + ")"));
        return;
    }
    if (device_kind(*device) != kind) {
        r.error(where, path + ": '" + name + "' is a " + std::string(device_kind(*device)) + " device; " +
                           std::string(user) + " needs a " + std::string(kind) + " device");
    }
}

void check_cpu(Reader& r, const Config& config, const std::string& path, std::uint32_t cpu) {
    if (cpu >= config.platform.cpus) {
        r.error(config.where(path), path + ": CPU " + std::to_string(cpu) +
                                        " does not exist (platform.cpus is " +
                                        std::to_string(config.platform.cpus) + ")");
    }
}

} // namespace

void read_variants(Reader& r, const YamlNode& node, std::vector<VariantSpec>& out) {
    if (node.is_null()) {
        return;
    }
    if (!node.is_map()) {
        r.error(node.where,
                "variants: expected a map of variant name -> { dotted.path: value }, got " + describe(node));
        return;
    }
    for (const MapEntry& entry : node.entries) {
        const std::string path = "variants." + entry.key;
        r.locate(path, entry.value->where);
        if (!valid_variant_name(entry.key)) {
            r.error(entry.key_where, path + ": variant names are 1-64 characters of [A-Za-z0-9_-]");
            continue;
        }
        VariantSpec variant{entry.key, entry.key_where, {}};
        if (!entry.value->is_map()) {
            r.error(entry.value->where,
                    path + ": expected a map of { dotted.path: value }, got " + describe(*entry.value));
            continue;
        }
        for (const MapEntry& override_entry : entry.value->entries) {
            variant.overrides.push_back(
                VariantOverride{override_entry.key, override_entry.value, override_entry.key_where});
        }
        out.push_back(std::move(variant));
    }
}

void check_references(Reader& r, const Config& config) {
    // Devices: unique names and addresses; names usable as metric prefixes.
    std::set<std::string> names;
    std::vector<std::pair<Bdf, std::string>> addresses;
    for (std::size_t i = 0; i < config.platform.devices.size(); ++i) {
        const DeviceConfig& device = config.platform.devices[i];
        const std::string prefix =
            "platform.devices." + std::to_string(i) + "." + std::string(device_kind(device));
        const std::string& name = device_name(device);
        if (!names.insert(name).second) {
            r.error(config.where(prefix + ".name"), prefix + ".name: duplicate device name '" + name + "'");
        }
        if (std::find(reserved_names.begin(), reserved_names.end(), name) != reserved_names.end() ||
            (name.starts_with("cpu") && name.size() > 3 &&
             std::all_of(name.begin() + 3, name.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
            r.error(config.where(prefix + ".name"),
                    prefix + ".name: '" + name + "' is reserved (it would clash with the metric names)");
        }
        const Bdf bdf = std::visit([](const auto& d) { return d.bdf; }, device);
        for (const auto& [other, other_name] : addresses) {
            if (other == bdf) {
                r.error(config.where(prefix + ".bdf"),
                        prefix + ".bdf: " + bdf.to_string() + " is already used by '" + other_name + "'");
            }
        }
        addresses.emplace_back(bdf, name);
    }

    // Workload: unique names, existing devices, a guest to run it.
    std::set<std::string> workloads;
    for (std::size_t i = 0; i < config.workload.size(); ++i) {
        const WorkloadEntry& entry = config.workload[i];
        static const char* const kinds[] = {"task", "io", "threads"};
        const std::string prefix = "workload." + std::to_string(i) + "." + kinds[entry.index()];
        if (!workloads.insert(workload_name(entry)).second) {
            r.error(config.where(prefix + ".name"),
                    prefix + ".name: duplicate workload name '" + workload_name(entry) + "'");
        }
        if (const auto* io = std::get_if<IoConfig>(&entry)) {
            check_device(r, config, prefix + ".device", io->device, "nvme", "io");
        }
    }
    if (!config.workload.empty() && !config.kernel) {
        r.error(config.where("workload"), "workload: simulated programs need a guest kernel; add a 'kernel:' "
                                          "section (an empty one selects the upstream defaults)");
    }

    // Kernel switches that need hardware.
    if (config.kernel) {
        const KernelConfig& kernel = *config.kernel;
        if (kernel.tick.source == TickSource::pit && !config.platform.pit.enabled) {
            r.error(config.where("kernel.tick.source"),
                    "kernel.tick.source: pit, but platform.pit is disabled");
        }
        if (kernel.tick.source == TickSource::hpet && !config.platform.hpet.enabled) {
            r.error(config.where("kernel.tick.source"), "kernel.tick.source: hpet, but the platform has no "
                                                        "HPET (add platform.hpet: { enabled: true })");
        }
        if (kernel.dma.iommu && !config.platform.iommu.enabled) {
            r.error(config.where("kernel.dma.iommu"), "kernel.dma.iommu: true, but the platform has no IOMMU "
                                                      "(add platform.iommu: { enabled: true })");
        }
        if (kernel.irq.validate_msi == ValidateMsi::remap &&
            !(config.platform.iommu.enabled && config.platform.iommu.interrupt_remapping)) {
            r.error(config.where("kernel.irq.validate_msi"),
                    "kernel.irq.validate_msi: remap needs platform.iommu: { enabled: true, "
                    "interrupt_remapping: true }");
        }
    }

    // Timeline: inside the run, existing devices and CPUs.
    for (std::size_t i = 0; i < config.timeline.size(); ++i) {
        const TimelineEvent& event = config.timeline[i];
        const std::string prefix = "timeline." + std::to_string(i);
        if (event.at_ps > config.duration_ps) {
            r.error(config.where(prefix + ".at"), prefix + ".at: " + format_time_ps(event.at_ps) +
                                                      " is after the end of the run (" +
                                                      format_time_ps(config.duration_ps) + ")");
        }
        std::visit(
            [&](const auto& action) {
                using T = std::decay_t<decltype(action)>;
                if constexpr (std::is_same_v<T, StormAction>) {
                    check_device(r, config, prefix + ".storm.device", action.device, "testdev", "storm");
                    const DeviceConfig* device = find_device(config, action.device);
                    if (device != nullptr && std::holds_alternative<TestdevConfig>(*device) &&
                        action.vector >= std::get<TestdevConfig>(*device).vectors) {
                        r.error(config.where(prefix + ".storm.vector"),
                                prefix + ".storm.vector: '" + action.device + "' has " +
                                    std::to_string(std::get<TestdevConfig>(*device).vectors) +
                                    " vector(s), numbered from 0");
                    }
                } else if constexpr (std::is_same_v<T, FaultAction>) {
                    check_device(r, config, prefix + ".fault.device", action.device, "nvme", "fault");
                } else if constexpr (std::is_same_v<T, DmaAction>) {
                    check_device(r, config, prefix + ".dma.device", action.device, "testdev", "dma");
                } else if constexpr (std::is_same_v<T, MemWriteAction>) {
                    check_cpu(r, config, prefix + ".write.cpu", action.cpu);
                } else if constexpr (std::is_same_v<T, MemReadAction>) {
                    check_cpu(r, config, prefix + ".read.cpu", action.cpu);
                } else if constexpr (std::is_same_v<T, WrmsrAction>) {
                    check_cpu(r, config, prefix + ".wrmsr.cpu", action.cpu);
                } else if constexpr (std::is_same_v<T, RdmsrAction>) {
                    check_cpu(r, config, prefix + ".rdmsr.cpu", action.cpu);
                }
            },
            event.action);
    }
}

} // namespace detail

Config read_config(const YamlNode& root) {
    using namespace detail;
    Config config;
    config.locations[""] = root.where;
    Reader r(config);
    try {
        if (root.is_null()) {
            r.error(root.where, "empty scenario: expected a map with at least 'name' and 'duration'");
        }
        MapView m(r, root, "",
                  {"name", "description", "seed", "duration", "until", "platform", "kernel", "workload",
                   "timeline", "expect", "variants"});
        if (m.is_map()) {
            if (m.require("name")) {
                const YamlNode& name = *m.get("name");
                if (auto text = read_string(r, name, "name")) {
                    if (valid_scenario_name(*text)) {
                        config.name = *text;
                    } else {
                        r.error(name.where,
                                "name: use lowercase letters, digits and '-' only ([a-z0-9-]+), got " +
                                    describe(name));
                    }
                }
            }
            m.string("description", config.description);
            m.uint64("seed", config.seed);
            if (m.has("duration") && m.has("until")) {
                r.error(m.key_where("until"),
                        "give either 'duration' or 'until' (an absolute end time), not both");
            } else if (m.has("until")) {
                config.end_given_as_until = true;
                m.time("until", config.duration_ps, 1);
            } else if (m.require("duration")) {
                m.time("duration", config.duration_ps, 1);
            }
            if (const YamlNode* platform = m.get("platform")) {
                read_platform(r, *platform, config.platform);
            }
            if (const YamlNode* kernel = m.get("kernel")) {
                config.kernel = KernelConfig{};
                read_kernel(r, *kernel, *config.kernel);
            }
            if (const YamlNode* workload = m.get("workload")) {
                read_workload(r, *workload, config.workload);
            }
            if (const YamlNode* timeline = m.get("timeline")) {
                read_timeline(r, *timeline, config.timeline);
            }
            if (const YamlNode* expect = m.get("expect")) {
                read_expectations(r, *expect, config.expect);
            }
            if (const YamlNode* variants = m.get("variants")) {
                read_variants(r, *variants, config.variants);
            }
        }
        // Cross-references are only meaningful once every section read cleanly (a failed entry would
        // shift indices and cause follow-on errors).
        if (r.diagnostics.empty()) {
            check_references(r, config);
            check_expectation_metrics(r, config);
        }
    } catch (const TooManyDiagnostics&) {
        r.diagnostics.push_back(Diagnostic{r.diagnostics.back().where, "too many errors; stopping here"});
    }
    if (!r.diagnostics.empty()) {
        throw ScenarioError(std::move(r.diagnostics));
    }
    return config;
}

} // namespace x86sim::scenario
