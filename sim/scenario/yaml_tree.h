// The YAML document as an immutable tree of shared nodes, each with its source location.
//
// Why not YAML::Node: yaml-cpp nodes are mutable references into one shared graph (an override would
// silently modify every alias of a node), expanding aliases by copying can blow up exponentially,
// and duplicate map keys are silently merged. This tree is built from yaml-cpp's parser events:
// aliases share the anchored node (the document stays a DAG of the input's size), duplicate keys and
// non-scalar keys are errors, and overrides copy only the path they change.
#pragma once

#include "sim/scenario/diagnostic.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace x86sim::scenario {

struct YamlNode;
using NodePtr = std::shared_ptr<const YamlNode>;

struct MapEntry {
    std::string key;
    SourceLocation key_where;
    NodePtr value;
};

struct YamlNode {
    enum class Kind { null, scalar, sequence, map };

    Kind kind = Kind::null;
    SourceLocation where;
    std::string scalar;            // Kind::scalar
    std::vector<NodePtr> items;    // Kind::sequence
    std::vector<MapEntry> entries; // Kind::map, in file order, keys unique

    const MapEntry* find(std::string_view key) const;
    bool is_map() const { return kind == Kind::map; }
    bool is_scalar() const { return kind == Kind::scalar; }
    bool is_sequence() const { return kind == Kind::sequence; }
    bool is_null() const { return kind == Kind::null; }
};

// "a map", "a sequence", "a scalar 'x'", "null": for "expected X, got Y" messages.
std::string describe(const YamlNode& node);

// Nesting deeper than this is rejected (no scenario needs it; it bounds every recursion).
inline constexpr int max_yaml_depth = 64;

// Parses exactly one YAML document (an empty input gives a null node). Locations name `file_name`;
// `column_offset` is added to columns on the first line (for "--set key=VALUE", where VALUE starts
// after "key="). Throws ScenarioError for syntax errors, duplicate keys, non-scalar keys, recursive
// aliases, excessive nesting and extra documents.
NodePtr parse_yaml(std::string_view text, const std::string& file_name, int column_offset = 0);

} // namespace x86sim::scenario
