#include "sim/metrics/human_format.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace x86sim::metrics {
namespace {

__extension__ typedef unsigned __int128 u128;

struct Scale {
    std::uint64_t factor;
    std::string_view name;
};

// value / factor printed with up to `max_decimals` decimals, exact integer arithmetic, rounded half
// up, trailing zeros removed.
std::string exact_scaled(std::uint64_t value, std::uint64_t factor, int max_decimals) {
    std::uint64_t pow10 = 1;
    for (int i = 0; i < max_decimals; ++i) {
        pow10 *= 10;
    }
    std::uint64_t whole = value / factor;
    const u128 remainder = value % factor;
    // Rounded fraction in units of 1/pow10.
    std::uint64_t fraction = static_cast<std::uint64_t>((remainder * pow10 * 2 + factor) / (2 * factor));
    if (fraction >= pow10) {
        whole += 1;
        fraction -= pow10;
    }
    std::string text = std::to_string(whole);
    if (fraction != 0) {
        const std::string raw = std::to_string(fraction);
        std::string digits(static_cast<std::size_t>(max_decimals) - raw.size(), '0');
        digits += raw;
        while (!digits.empty() && digits.back() == '0') {
            digits.pop_back();
        }
        text += "." + digits;
    }
    return text;
}

std::string exact_with_units(std::uint64_t value, const Scale* scales, std::size_t count, int max_decimals) {
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (value >= scales[i].factor) {
            chosen = i;
        }
    }
    return exact_scaled(value, scales[chosen].factor, max_decimals) + " " + std::string(scales[chosen].name);
}

std::string printf_double(double value, int decimals) {
    std::array<char, 64> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.*f", decimals, value);
    return buffer.data();
}

// Inserts thousands separators into the integer part of a plain decimal string ("-1234.5"). Built by
// appending (GCC 12 warns falsely about std::string::insert here).
std::string group_thousands(const std::string& text) {
    const std::size_t start = (!text.empty() && text[0] == '-') ? 1 : 0;
    std::size_t end = text.find('.');
    if (end == std::string::npos) {
        end = text.size();
    }
    std::string out = text.substr(0, start);
    for (std::size_t i = start; i < end; ++i) {
        if (i > start && (end - i) % 3 == 0) {
            out += ',';
        }
        out += text[i];
    }
    out += text.substr(end);
    return out;
}

// Three (or four for rates) significant digits after picking a unit from `scales` (ascending).
std::string scaled_double(double value, const Scale* scales, std::size_t count, int significant) {
    const double magnitude = std::fabs(value);
    std::size_t chosen = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (magnitude >= static_cast<double>(scales[i].factor)) {
            chosen = i;
        }
    }
    const double scaled = value / static_cast<double>(scales[chosen].factor);
    const double scaled_magnitude = std::fabs(scaled);
    int decimals = significant - 1;
    if (scaled_magnitude >= 100) {
        decimals = significant - 3;
    } else if (scaled_magnitude >= 10) {
        decimals = significant - 2;
    }
    if (decimals < 0) {
        decimals = 0;
    }
    return group_thousands(printf_double(scaled, decimals)) + " " + std::string(scales[chosen].name);
}

} // namespace

std::string format_count(std::uint64_t value) {
    return group_thousands(std::to_string(value));
}

std::string format_time_ps(std::uint64_t picoseconds) {
    static constexpr Scale scales[] = {
        {1, "ps"}, {1'000, "ns"}, {1'000'000, "us"}, {1'000'000'000, "ms"}, {1'000'000'000'000, "s"}};
    if (picoseconds == 0) {
        return "0 s";
    }
    return exact_with_units(picoseconds, scales, std::size(scales), 3);
}

std::string format_hz(std::uint64_t hertz) {
    static constexpr Scale scales[] = {{1, "Hz"}, {1'000, "kHz"}, {1'000'000, "MHz"}, {1'000'000'000, "GHz"}};
    return exact_with_units(hertz, scales, std::size(scales), 9);
}

std::string format_bytes(std::uint64_t bytes) {
    static constexpr Scale scales[] = {
        {1, "B"}, {1ULL << 10, "KiB"}, {1ULL << 20, "MiB"}, {1ULL << 30, "GiB"}, {1ULL << 40, "TiB"}};
    return exact_with_units(bytes, scales, std::size(scales), 2);
}

std::string format_value(double value, UnitKind kind) {
    if (std::isnan(value)) {
        return "nan";
    }
    if (std::isinf(value)) {
        return value > 0 ? "inf" : "-inf";
    }
    switch (kind) {
    case UnitKind::seconds: {
        if (value == 0) {
            return "0 s";
        }
        // Scales in picoseconds; the value arrives in seconds.
        static constexpr Scale scales[] = {
            {1, "ps"}, {1'000, "ns"}, {1'000'000, "us"}, {1'000'000'000, "ms"}, {1'000'000'000'000, "s"}};
        return scaled_double(value * 1e12, scales, std::size(scales), 3);
    }
    case UnitKind::hz: {
        static constexpr Scale scales[] = {
            {1, "Hz"}, {1'000, "kHz"}, {1'000'000, "MHz"}, {1'000'000'000, "GHz"}};
        return scaled_double(value, scales, std::size(scales), 4);
    }
    case UnitKind::bytes: {
        if (std::fabs(value) < 1024) {
            return printf_double(value, 0) + " B";
        }
        static constexpr Scale scales[] = {
            {1, "B"}, {1ULL << 10, "KiB"}, {1ULL << 20, "MiB"}, {1ULL << 30, "GiB"}, {1ULL << 40, "TiB"}};
        const double magnitude = std::fabs(value);
        std::size_t chosen = 0;
        for (std::size_t i = 0; i < std::size(scales); ++i) {
            if (magnitude >= static_cast<double>(scales[i].factor)) {
                chosen = i;
            }
        }
        return printf_double(value / static_cast<double>(scales[chosen].factor), 1) + " " +
               std::string(scales[chosen].name);
    }
    case UnitKind::bytes_per_second: {
        static constexpr Scale scales[] = {{1, "B/s"},
                                           {1ULL << 10, "KiB/s"},
                                           {1ULL << 20, "MiB/s"},
                                           {1ULL << 30, "GiB/s"},
                                           {1ULL << 40, "TiB/s"}};
        return scaled_double(value, scales, std::size(scales), 3);
    }
    case UnitKind::ratio:
        return printf_double(value * 100.0, 1) + " %";
    case UnitKind::per_second:
        return group_thousands(printf_double(value, 1)) + " /s";
    case UnitKind::count:
        break;
    }
    if (value == std::floor(value) && std::fabs(value) < 9.0e15) {
        return group_thousands(printf_double(value, 0));
    }
    return group_thousands(printf_double(value, 3));
}

} // namespace x86sim::metrics
