#include "sim/scenario/node_reader.h"

#include "sim/metrics/did_you_mean.h"
#include "sim/scenario/units.h"

#include <algorithm>

namespace x86sim::scenario::detail {
namespace {

std::string expected_scalar(const YamlNode& node, std::string_view what) {
    return "expected " + std::string(what) + ", got " + describe(node);
}

// Scalar text or nullopt after reporting.
const std::string* scalar(Reader& r, const YamlNode& node, const std::string& path, std::string_view what) {
    if (!node.is_scalar()) {
        r.error(node.where, path + ": " + expected_scalar(node, what));
        return nullptr;
    }
    return &node.scalar;
}

template <class Parse>
std::optional<std::uint64_t> read_unit(Reader& r, const YamlNode& node, const std::string& path,
                                       std::string_view what, Parse parse) {
    const std::string* text = scalar(r, node, path, what);
    if (text == nullptr) {
        return std::nullopt;
    }
    try {
        return parse(*text);
    } catch (const UnitError& error) {
        r.error(node.where, path + ": " + error.what());
        return std::nullopt;
    }
}

} // namespace

void Reader::error(const SourceLocation& where, std::string message) {
    diagnostics.push_back(Diagnostic{where, std::move(message)});
    if (diagnostics.size() >= max_diagnostics) {
        throw TooManyDiagnostics{};
    }
}

std::string join_path(std::string_view parent, std::string_view key) {
    if (parent.empty()) {
        return std::string(key);
    }
    return std::string(parent) + "." + std::string(key);
}

std::string allowed_list(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) {
        text += (text.empty() ? "" : ", ") + name;
    }
    return text;
}

std::optional<std::string> read_string(Reader& r, const YamlNode& node, const std::string& path) {
    const std::string* text = scalar(r, node, path, "a string");
    return text != nullptr ? std::optional<std::string>(*text) : std::nullopt;
}

std::optional<bool> read_bool(Reader& r, const YamlNode& node, const std::string& path) {
    const std::string* text = scalar(r, node, path, "true or false");
    if (text == nullptr) {
        return std::nullopt;
    }
    if (*text == "true") {
        return true;
    }
    if (*text == "false") {
        return false;
    }
    r.error(node.where, path + ": " + expected_scalar(node, "true or false"));
    return std::nullopt;
}

std::optional<std::uint64_t> read_uint(Reader& r, const YamlNode& node, const std::string& path,
                                       std::uint64_t min, std::uint64_t max) {
    auto value =
        read_unit(r, node, path, "an integer", [](const std::string& text) { return parse_uint(text); });
    if (value && (*value < min || *value > max)) {
        r.error(node.where, path + ": must be between " + std::to_string(min) + " and " +
                                std::to_string(max) + ", got " + std::to_string(*value));
        return std::nullopt;
    }
    return value;
}

std::optional<std::uint64_t> read_time(Reader& r, const YamlNode& node, const std::string& path) {
    return read_unit(r, node, path, "a time (e.g. \"250ns\", \"1.5ms\")",
                     [](const std::string& text) { return parse_time_ps(text); });
}

std::optional<std::uint64_t> read_frequency(Reader& r, const YamlNode& node, const std::string& path) {
    auto value = read_unit(r, node, path, "a frequency (e.g. \"100MHz\")",
                           [](const std::string& text) { return parse_frequency_hz(text); });
    if (value && *value == 0) {
        r.error(node.where, path + ": a frequency must be greater than 0");
        return std::nullopt;
    }
    return value;
}

std::optional<std::uint64_t> read_size(Reader& r, const YamlNode& node, const std::string& path) {
    return read_unit(r, node, path, "a size (e.g. \"4KiB\")",
                     [](const std::string& text) { return parse_size_bytes(text); });
}

std::optional<std::uint64_t> read_rate(Reader& r, const YamlNode& node, const std::string& path) {
    auto value = read_unit(r, node, path, "a rate (e.g. \"2MHz\")",
                           [](const std::string& text) { return parse_rate_per_s(text); });
    if (value && *value == 0) {
        r.error(node.where, path + ": a rate must be greater than 0");
        return std::nullopt;
    }
    return value;
}

std::optional<std::size_t> read_choice(Reader& r, const YamlNode& node, const std::string& path,
                                       const std::vector<std::string>& names) {
    const std::string* text = scalar(r, node, path, "one of " + allowed_list(names));
    if (text == nullptr) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == *text) {
            return i;
        }
    }
    r.error(node.where, path + ": unknown value " + describe(node) + metrics::did_you_mean(*text, names) +
                            " (allowed: " + allowed_list(names) + ")");
    return std::nullopt;
}

std::optional<std::string> read_name(Reader& r, const YamlNode& node, const std::string& path) {
    auto text = read_string(r, node, path);
    if (!text) {
        return std::nullopt;
    }
    const bool ok =
        !text->empty() && text->size() <= 64 && std::all_of(text->begin(), text->end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        });
    if (!ok) {
        r.error(node.where,
                path + ": names are 1-64 characters of [a-z0-9_-] (they appear in metric names), got " +
                    describe(node));
        return std::nullopt;
    }
    return text;
}

MapView::MapView(Reader& r, const YamlNode& node, std::string path,
                 std::initializer_list<std::string_view> keys)
    : r_(r), path_(std::move(path)), where_(node.where) {
    if (node.is_null()) {
        return;
    }
    if (!node.is_map()) {
        r.error(node.where, (path_.empty() ? std::string("scenario") : path_) + ": expected a map, got " +
                                describe(node));
        return;
    }
    map_ = &node;
    std::vector<std::string> known(keys.begin(), keys.end());
    for (const MapEntry& entry : node.entries) {
        if (std::find(known.begin(), known.end(), entry.key) == known.end()) {
            const std::string where_text = path_.empty() ? std::string(" at the top level") : " in " + path_;
            r.error(entry.key_where, "unknown key '" + entry.key + "'" + where_text +
                                         metrics::did_you_mean(entry.key, known) +
                                         " (allowed: " + allowed_list(known) + ")");
            continue;
        }
        r.locate(join_path(path_, entry.key), entry.value->where);
    }
}

const YamlNode* MapView::get(std::string_view key) const {
    if (map_ == nullptr) {
        return nullptr;
    }
    const MapEntry* entry = map_->find(key);
    return entry != nullptr ? entry->value.get() : nullptr;
}

const SourceLocation& MapView::where(std::string_view key) const {
    const YamlNode* node = get(key);
    return node != nullptr ? node->where : where_;
}

const SourceLocation& MapView::key_where(std::string_view key) const {
    if (map_ != nullptr) {
        if (const MapEntry* entry = map_->find(key)) {
            return entry->key_where;
        }
    }
    return where_;
}

bool MapView::require(std::string_view key) {
    if (has(key)) {
        return true;
    }
    const std::string in = path_.empty() ? std::string() : " in " + path_;
    r_.error(where_, "missing required key '" + std::string(key) + "'" + in);
    return false;
}

void MapView::string(std::string_view key, std::string& out) {
    if (const YamlNode* node = get(key)) {
        if (auto value = read_string(r_, *node, path(key))) {
            out = *value;
        }
    }
}

void MapView::name(std::string_view key, std::string& out) {
    if (const YamlNode* node = get(key)) {
        if (auto value = read_name(r_, *node, path(key))) {
            out = *value;
        }
    }
}

void MapView::boolean(std::string_view key, bool& out) {
    if (const YamlNode* node = get(key)) {
        if (auto value = read_bool(r_, *node, path(key))) {
            out = *value;
        }
    }
}

void MapView::uint64(std::string_view key, std::uint64_t& out, std::uint64_t min, std::uint64_t max) {
    if (const YamlNode* node = get(key)) {
        if (auto value = read_uint(r_, *node, path(key), min, max)) {
            out = *value;
        }
    }
}

void MapView::uint32(std::string_view key, std::uint32_t& out, std::uint64_t min, std::uint64_t max) {
    if (const YamlNode* node = get(key)) {
        if (auto value = read_uint(r_, *node, path(key), min, std::min<std::uint64_t>(max, UINT32_MAX))) {
            out = static_cast<std::uint32_t>(*value);
        }
    }
}

void MapView::time(std::string_view key, std::uint64_t& out, std::uint64_t min) {
    if (const YamlNode* node = get(key)) {
        if (auto value = read_time(r_, *node, path(key))) {
            if (*value < min) {
                r_.error(node->where, path(key) + ": must be at least " + format_time_ps(min));
                return;
            }
            out = *value;
        }
    }
}

void MapView::frequency(std::string_view key, std::uint64_t& out) {
    if (const YamlNode* node = get(key)) {
        if (auto value = read_frequency(r_, *node, path(key))) {
            out = *value;
        }
    }
}

void MapView::size(std::string_view key, std::uint64_t& out, std::uint64_t min) {
    if (const YamlNode* node = get(key)) {
        if (auto value = read_size(r_, *node, path(key))) {
            if (*value < min) {
                r_.error(node->where, path(key) + ": must be at least " + format_bytes(min));
                return;
            }
            out = *value;
        }
    }
}

void MapView::rate(std::string_view key, std::uint64_t& out) {
    if (const YamlNode* node = get(key)) {
        if (auto value = read_rate(r_, *node, path(key))) {
            out = *value;
        }
    }
}

std::optional<std::pair<std::string, const YamlNode*>>
read_one_key_item(Reader& r, const YamlNode& item, const std::string& path,
                  const std::vector<std::string>& kinds) {
    const std::string shape = "expected a one-key map (" + allowed_list(kinds) + ": {...})";
    if (!item.is_map() || item.entries.size() != 1) {
        r.error(item.where,
                path + ": " + shape + ", got " +
                    (item.is_map() ? std::to_string(item.entries.size()) + " keys" : describe(item)));
        return std::nullopt;
    }
    const MapEntry& entry = item.entries.front();
    if (std::find(kinds.begin(), kinds.end(), entry.key) == kinds.end()) {
        r.error(entry.key_where, path + ": unknown kind '" + entry.key + "'" +
                                     metrics::did_you_mean(entry.key, kinds) +
                                     " (allowed: " + allowed_list(kinds) + ")");
        return std::nullopt;
    }
    r.locate(join_path(path, entry.key), entry.value->where);
    return std::make_pair(entry.key, entry.value.get());
}

} // namespace x86sim::scenario::detail
