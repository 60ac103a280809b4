// Internal: reading typed values out of the YAML tree while collecting diagnostics. Every message is
// "<dotted.path>: <what is wrong>" at the offending node.
#pragma once

#include "sim/scenario/config.h"
#include "sim/scenario/yaml_tree.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace x86sim::scenario::detail {

// Thrown once max_diagnostics have been collected, to stop reading early.
struct TooManyDiagnostics {};

class Reader {
  public:
    explicit Reader(Config& config_) : config(config_) {}

    void error(const SourceLocation& where, std::string message);
    void locate(const std::string& path, const SourceLocation& where) { config.locations[path] = where; }

    Config& config;
    std::vector<Diagnostic> diagnostics;
};

std::string join_path(std::string_view parent, std::string_view key);
std::string allowed_list(const std::vector<std::string>& names);

// Scalar conversions; nullopt after reporting an error.
std::optional<std::string> read_string(Reader& r, const YamlNode& node, const std::string& path);
std::optional<bool> read_bool(Reader& r, const YamlNode& node, const std::string& path);
std::optional<std::uint64_t> read_uint(Reader& r, const YamlNode& node, const std::string& path,
                                       std::uint64_t min, std::uint64_t max);
std::optional<std::uint64_t> read_time(Reader& r, const YamlNode& node, const std::string& path);
std::optional<std::uint64_t> read_frequency(Reader& r, const YamlNode& node, const std::string& path);
std::optional<std::uint64_t> read_size(Reader& r, const YamlNode& node, const std::string& path);
std::optional<std::uint64_t> read_rate(Reader& r, const YamlNode& node, const std::string& path);
// Index into `names` of the scalar's value.
std::optional<std::size_t> read_choice(Reader& r, const YamlNode& node, const std::string& path,
                                       const std::vector<std::string>& names);
// [a-z0-9_-]+ (usable inside metric names).
std::optional<std::string> read_name(Reader& r, const YamlNode& node, const std::string& path);

// A map with a fixed set of keys. Unknown keys are reported (with a suggestion) on construction; a
// null node reads as an empty map; anything else that is not a map is reported and reads as empty.
class MapView {
  public:
    MapView(Reader& r, const YamlNode& node, std::string path, std::initializer_list<std::string_view> keys);

    bool is_map() const { return map_ != nullptr; }
    const YamlNode* get(std::string_view key) const;
    bool has(std::string_view key) const { return get(key) != nullptr; }
    std::string path(std::string_view key) const { return join_path(path_, key); }
    const std::string& path() const { return path_; }
    const SourceLocation& where() const { return where_; }
    const SourceLocation& where(std::string_view key) const; // the value's, or the map's
    const SourceLocation& key_where(std::string_view key) const;

    // Reports "missing required key" when absent; returns whether present.
    bool require(std::string_view key);

    // Set `out` when the key is present and valid.
    void string(std::string_view key, std::string& out);
    void name(std::string_view key, std::string& out);
    void boolean(std::string_view key, bool& out);
    void uint64(std::string_view key, std::uint64_t& out, std::uint64_t min = 0,
                std::uint64_t max = UINT64_MAX);
    void uint32(std::string_view key, std::uint32_t& out, std::uint64_t min = 0,
                std::uint64_t max = UINT32_MAX);
    void time(std::string_view key, std::uint64_t& out, std::uint64_t min = 0);
    void frequency(std::string_view key, std::uint64_t& out);
    void size(std::string_view key, std::uint64_t& out, std::uint64_t min = 0);
    void rate(std::string_view key, std::uint64_t& out);

    template <class E>
    void choice(std::string_view key, E& out, std::initializer_list<std::pair<std::string_view, E>> values) {
        const YamlNode* node = get(key);
        if (node == nullptr) {
            return;
        }
        std::vector<std::string> names;
        for (const auto& value : values) {
            names.emplace_back(value.first);
        }
        if (auto index = read_choice(r_, *node, path(key), names)) {
            out = (values.begin() + *index)->second;
        }
    }

  private:
    Reader& r_;
    const YamlNode* map_ = nullptr;
    std::string path_;
    SourceLocation where_;
};

// A one-key map such as `- task: {...}`: returns the key (one of `kinds`) and its value.
std::optional<std::pair<std::string, const YamlNode*>>
read_one_key_item(Reader& r, const YamlNode& item, const std::string& path,
                  const std::vector<std::string>& kinds);

} // namespace x86sim::scenario::detail
