// What a metric's number means, so the table can print it in human units and expectations can check
// that "lt: 1.5ms" is compared with a time and not with a frequency.
#pragma once

#include <string_view>

namespace x86sim::metrics {

enum class UnitKind {
    count,            // plain number of things (also dimensionless figures such as ppm)
    seconds,          // simulated (or, for sim.wall_s, wall) seconds
    hz,               // events per second of a periodic source (tick rates)
    bytes,            // amounts of data
    ratio,            // fraction 0..1 (printed as a percentage)
    per_second,       // throughput in operations per simulated second
    bytes_per_second, // bandwidth
};

std::string_view unit_kind_name(UnitKind kind);

} // namespace x86sim::metrics
