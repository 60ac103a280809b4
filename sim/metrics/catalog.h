// Every metric name a run can produce, with its unit and meaning. This table is the single place to
// add a metric: expectations are validated against it, the table/JSON writers take units from it,
// and `x86sim` prints it as documentation. Names are stable: add rows, never rename.
//
// Patterns use placeholders, each standing for exactly one dot-free segment (or part of one):
//   {N}    a CPU index             cpu{N}.lapic.eoi      -> cpu0.lapic.eoi
//   {T}    an HPET timer index     hpet.timer{T}.fires   -> hpet.timer2.fires
//   {C}    a PIT channel (0-2)     pit.channel{C}.rising_edges
//   {I}    a timeline entry index  timeline.{I}.value    -> timeline.7.value
//   {dev}  a device name from platform.devices           -> nvme0.iops
//   {name} a workload entry name                         -> workload.probe.latency.p99
// A histogram row "x" produces the flat names x.count, x.min, x.mean, x.p50, x.p99, x.max
// (seconds, except count).
#pragma once

#include "sim/metrics/unit_kind.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace x86sim::metrics {

enum class MetricKind { counter, gauge, histogram };

struct CatalogRow {
    std::string_view pattern;
    MetricKind kind;
    UnitKind unit;   // of the value (for histograms: of the samples, i.e. seconds)
    bool wall_clock; // depends on the host, not only on the scenario: kept out of deterministic output
    std::string_view description;
};

std::span<const CatalogRow> catalog();

struct CatalogMatch {
    const CatalogRow* row = nullptr;
    std::string field;                                         // histogram field ("p99"), else ""
    std::vector<std::pair<std::string, std::string>> captures; // placeholder ("dev") -> text ("nvme0")
    UnitKind unit = UnitKind::count;                           // unit of this flat name
};

// The row a flat metric name belongs to. When several rows match, the one with the fewest
// placeholders wins (so "pit.fires" is never read as "{dev}.fires").
std::optional<CatalogMatch> match_metric(std::string_view name);

// What the placeholders can stand for in one scenario (used for suggestions).
struct Instances {
    unsigned cpus = 1;
    unsigned hpet_timers = 3;
    unsigned timeline_entries = 0;
    std::vector<std::string> devices;
    std::vector<std::string> workloads;
};

// Every concrete flat name the catalog allows for these instances (CPU indices capped at 64).
std::vector<std::string> instantiate(const Instances& instances);

// The closest concrete name to a misspelt one, if any is plausible.
std::optional<std::string> suggest_metric(std::string_view name, const Instances& instances);

// The catalog as a human table: pattern, unit, description.
void print_catalog(std::ostream& out);

} // namespace x86sim::metrics
