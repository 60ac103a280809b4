#include "sim/metrics/unit_kind.h"

namespace x86sim::metrics {

std::string_view unit_kind_name(UnitKind kind) {
    switch (kind) {
    case UnitKind::count:
        return "count";
    case UnitKind::seconds:
        return "seconds";
    case UnitKind::hz:
        return "hz";
    case UnitKind::bytes:
        return "bytes";
    case UnitKind::ratio:
        return "ratio";
    case UnitKind::per_second:
        return "per_second";
    case UnitKind::bytes_per_second:
        return "bytes_per_second";
    }
    return "count";
}

} // namespace x86sim::metrics
