#include "sim/scenario/units.h"

#include "sim/metrics/did_you_mean.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

namespace x86sim::scenario {
namespace {

__extension__ typedef unsigned __int128 u128; // exact products of 64-bit values
constexpr u128 u64_max = static_cast<u128>(UINT64_MAX);

struct UnitScale {
    std::string_view suffix;
    std::uint64_t factor;
};

constexpr std::uint64_t ps_per_s = 1'000'000'000'000ULL;

constexpr UnitScale time_units[] = {{"ps", 1},
                                    {"ns", 1'000},
                                    {"us", 1'000'000},
                                    {"\xC2\xB5s", 1'000'000}, // µs
                                    {"ms", 1'000'000'000},
                                    {"s", ps_per_s},
                                    {"min", 60 * ps_per_s},
                                    {"h", 3600 * ps_per_s}};
constexpr UnitScale frequency_units[] = {
    {"Hz", 1}, {"kHz", 1'000}, {"MHz", 1'000'000}, {"GHz", 1'000'000'000}};
constexpr UnitScale size_units[] = {
    {"B", 1},      {"KiB", 1ULL << 10}, {"MiB", 1ULL << 20},   {"GiB", 1ULL << 30},      {"TiB", 1ULL << 40},
    {"KB", 1'000}, {"MB", 1'000'000},   {"GB", 1'000'000'000}, {"TB", 1'000'000'000'000}};

std::string with_article(std::string_view noun) {
    const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos;
    return (vowel ? "an " : "a ") + std::string(noun);
}

std::string quote(std::string_view text) {
    constexpr std::size_t max_shown = 40;
    if (text.size() > max_shown) {
        return "'" + std::string(text.substr(0, max_shown)) + "...'";
    }
    return "'" + std::string(text) + "'";
}

struct Number {
    u128 integer = 0;
    u128 fraction = 0; // decimal digits after the point, as an integer
    unsigned fraction_digits = 0;
    std::string_view unit; // the rest, spaces skipped
};

// Splits "1.5 ms" into 1, 5 (1 digit), "ms". Throws for signs, empty input and malformed numbers.
Number split_number(std::string_view text, std::string_view what) {
    if (text.empty()) {
        throw UnitError("empty " + std::string(what));
    }
    if (text[0] == '-') {
        throw UnitError("negative " + std::string(what) + " " + quote(text) + " is not allowed");
    }
    Number number;
    std::size_t pos = 0;
    const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    if (hex) {
        pos = 2;
        const std::size_t start = pos;
        while (pos < text.size() && std::isxdigit(static_cast<unsigned char>(text[pos])) != 0) {
            const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[pos])));
            const unsigned digit =
                (c >= 'a') ? static_cast<unsigned>(c - 'a' + 10) : static_cast<unsigned>(c - '0');
            number.integer = number.integer * 16 + digit;
            if (number.integer > u64_max) {
                throw UnitError(std::string(what) + " " + quote(text) + " is too large");
            }
            ++pos;
        }
        if (pos == start) {
            throw UnitError("expected hexadecimal digits after '0x' in " + quote(text));
        }
    } else {
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            number.integer = number.integer * 10 + static_cast<unsigned>(text[pos] - '0');
            if (number.integer > u64_max) {
                throw UnitError(std::string(what) + " " + quote(text) + " is too large");
            }
            ++pos;
        }
        if (pos == start) {
            throw UnitError("expected " + with_article(what) + ", got " + quote(text));
        }
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            const std::size_t fraction_start = pos;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                if (number.fraction_digits >= 18) {
                    throw UnitError("too many decimals in " + quote(text) + " (at most 18)");
                }
                number.fraction = number.fraction * 10 + static_cast<unsigned>(text[pos] - '0');
                ++number.fraction_digits;
                ++pos;
            }
            if (pos == fraction_start) {
                throw UnitError("expected digits after '.' in " + quote(text));
            }
        }
    }
    while (pos < text.size() && text[pos] == ' ') {
        ++pos;
    }
    number.unit = text.substr(pos);
    return number;
}

std::vector<std::string> suffixes(const UnitScale* units, std::size_t count) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < count; ++i) {
        names.emplace_back(units[i].suffix);
    }
    return names;
}

std::string list(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) {
        text += (text.empty() ? "" : ", ") + name;
    }
    return text;
}

// integer.fraction * factor, exactly, or UnitError.
std::uint64_t scale(const Number& number, std::uint64_t factor, std::string_view text, std::string_view what,
                    std::string_view base_unit) {
    u128 pow10 = 1;
    for (unsigned i = 0; i < number.fraction_digits; ++i) {
        pow10 *= 10;
    }
    const u128 whole = number.integer * factor;            // integer <= 2^64, factor < 2^64: fits in 128 bits
    const u128 fraction_scaled = number.fraction * factor; // fraction < 10^18, factor < 2^64: fits
    if (fraction_scaled % pow10 != 0) {
        throw UnitError(std::string(what) + " " + quote(text) + " is not a whole number of " +
                        std::string(base_unit));
    }
    const u128 total = whole + fraction_scaled / pow10;
    if (total > u64_max) {
        throw UnitError(std::string(what) + " " + quote(text) + " is too large");
    }
    return static_cast<std::uint64_t>(total);
}

std::uint64_t parse_with_units(std::string_view text, const UnitScale* units, std::size_t count,
                               std::string_view what, std::string_view base_unit, std::string_view example) {
    const Number number = split_number(text, what);
    if (number.unit.empty()) {
        return scale(number, 1, text, what, base_unit);
    }
    for (std::size_t i = 0; i < count; ++i) {
        if (units[i].suffix == number.unit) {
            return scale(number, units[i].factor, text, what, base_unit);
        }
    }
    const auto names = suffixes(units, count);
    std::string message =
        "unknown " + std::string(what) + " unit " + quote(number.unit) + " in " + quote(text);
    if (auto best = metrics::closest_match(number.unit, names)) {
        message += "; did you mean '" + *best + "'?";
    }
    message += " (units: " + list(names) + "; e.g. " + std::string(example) + ")";
    throw UnitError(message);
}

} // namespace

std::uint64_t parse_time_ps(std::string_view text) {
    return parse_with_units(text, time_units, std::size(time_units), "time", "picoseconds",
                            "\"250ns\", \"1.5ms\"");
}

std::uint64_t parse_frequency_hz(std::string_view text) {
    return parse_with_units(text, frequency_units, std::size(frequency_units), "frequency", "Hz",
                            "\"148Hz\", \"14.31818MHz\"");
}

std::uint64_t parse_size_bytes(std::string_view text) {
    return parse_with_units(text, size_units, std::size(size_units), "size", "bytes", "\"4KiB\", \"512\"");
}

std::uint64_t parse_rate_per_s(std::string_view text) {
    return parse_with_units(text, frequency_units, std::size(frequency_units), "rate", "events per second",
                            "\"2MHz\"");
}

std::uint64_t parse_uint(std::string_view text) {
    const Number number = split_number(text, "integer");
    if (!number.unit.empty() || number.fraction_digits != 0) {
        throw UnitError("expected an integer, got " + quote(text));
    }
    return static_cast<std::uint64_t>(number.integer);
}

QuantityValue parse_quantity(std::string_view text) {
    // A plain signed number first ("-12.5", "1e3", "0.95").
    {
        std::string_view digits = text;
        if (!digits.empty() && digits[0] == '+') {
            digits.remove_prefix(1);
        }
        double value = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (error == std::errc() && end == digits.data() + digits.size() && !digits.empty()) {
            if (!std::isfinite(value)) {
                throw UnitError("expected a finite number, got " + quote(text));
            }
            return {Quantity::number, value};
        }
    }
    if (text.starts_with("0x") || text.starts_with("0X")) {
        return {Quantity::number, static_cast<double>(parse_uint(text))};
    }
    if (text.empty() || text[0] < '0' || text[0] > '9') {
        throw UnitError("expected a number or a time, frequency or size, got " + quote(text));
    }
    const Number number = split_number(text, "value");
    auto has = [&](const UnitScale* units, std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) {
            if (units[i].suffix == number.unit) {
                return true;
            }
        }
        return false;
    };
    if (has(time_units, std::size(time_units))) {
        return {Quantity::time, static_cast<double>(parse_time_ps(text)) / static_cast<double>(ps_per_s)};
    }
    if (has(frequency_units, std::size(frequency_units))) {
        return {Quantity::frequency, static_cast<double>(parse_frequency_hz(text))};
    }
    if (has(size_units, std::size(size_units))) {
        return {Quantity::size, static_cast<double>(parse_size_bytes(text))};
    }
    std::vector<std::string> all = suffixes(time_units, std::size(time_units));
    for (const auto& name : suffixes(frequency_units, std::size(frequency_units))) {
        all.push_back(name);
    }
    for (const auto& name : suffixes(size_units, std::size(size_units))) {
        all.push_back(name);
    }
    std::string message = "expected a number or a time, frequency or size, got " + quote(text);
    if (auto best = metrics::closest_match(number.unit, all)) {
        message += "; did you mean '" + *best + "'?";
    }
    throw UnitError(message);
}

} // namespace x86sim::scenario
