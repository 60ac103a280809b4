#include "sim/scenario/overrides.h"

#include "sim/metrics/did_you_mean.h"

#include <algorithm>
#include <vector>

namespace x86sim::scenario {
namespace {

const std::string set_file = "<--set>";

std::vector<std::string> split_path(std::string_view path, const SourceLocation& where) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (true) {
        const auto dot = path.find('.', start);
        const std::string_view segment =
            path.substr(start, dot == std::string_view::npos ? path.npos : dot - start);
        if (segment.empty()) {
            throw ScenarioError(where, "override path '" + std::string(path) + "' has an empty segment");
        }
        segments.emplace_back(segment);
        if (dot == std::string_view::npos) {
            return segments;
        }
        start = dot + 1;
    }
}

bool is_index(std::string_view text) {
    return !text.empty() && text.size() <= 9 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string joined(const std::vector<std::string>& segments, std::size_t count) {
    std::string text;
    for (std::size_t i = 0; i < count && i < segments.size(); ++i) {
        text += (i == 0 ? "" : ".") + segments[i];
    }
    return text;
}

// The inner map of a one-key list item and its `name`, if it has that shape.
const MapEntry* named_item(const YamlNode& item, std::string* name) {
    if (!item.is_map() || item.entries.size() != 1 || !item.entries[0].value->is_map()) {
        return nullptr;
    }
    const MapEntry* name_entry = item.entries[0].value->find("name");
    if (name_entry == nullptr || !name_entry->value->is_scalar()) {
        return nullptr;
    }
    *name = name_entry->value->scalar;
    return &item.entries[0];
}

NodePtr set_at(const NodePtr& node, const std::vector<std::string>& segments, std::size_t index,
               const NodePtr& value, const SourceLocation& where, std::string_view full_path) {
    if (index == segments.size()) {
        return value;
    }
    const std::string& segment = segments[index];
    if (!node || node->is_null()) {
        auto map = std::make_shared<YamlNode>();
        map->kind = YamlNode::Kind::map;
        map->where = where;
        map->entries.push_back(
            MapEntry{segment, where, set_at(nullptr, segments, index + 1, value, where, full_path)});
        return map;
    }
    if (node->is_map()) {
        auto copy = std::make_shared<YamlNode>(*node);
        for (MapEntry& entry : copy->entries) {
            if (entry.key == segment) {
                entry.value = set_at(entry.value, segments, index + 1, value, where, full_path);
                return copy;
            }
        }
        copy->entries.push_back(
            MapEntry{segment, where, set_at(nullptr, segments, index + 1, value, where, full_path)});
        return copy;
    }
    if (node->is_sequence()) {
        const std::string parent = joined(segments, index);
        auto copy = std::make_shared<YamlNode>(*node);
        if (is_index(segment)) {
            const std::size_t item = std::stoul(segment);
            if (item >= node->items.size()) {
                throw ScenarioError(where, "cannot set '" + std::string(full_path) + "': " + parent +
                                               " has " + std::to_string(node->items.size()) +
                                               " entries (indices from 0)");
            }
            copy->items[item] = set_at(node->items[item], segments, index + 1, value, where, full_path);
            return copy;
        }
        std::vector<std::string> names;
        for (NodePtr& item : copy->items) {
            std::string name;
            const MapEntry* inner = named_item(*item, &name);
            if (inner == nullptr) {
                continue;
            }
            if (name == segment) {
                auto item_copy = std::make_shared<YamlNode>(*item);
                item_copy->entries[0].value =
                    set_at(item_copy->entries[0].value, segments, index + 1, value, where, full_path);
                item = item_copy;
                return copy;
            }
            names.push_back(name);
        }
        throw ScenarioError(where, "cannot set '" + std::string(full_path) + "': " + parent +
                                       " has no entry named '" + segment + "'" +
                                       metrics::did_you_mean(segment, names) + " (use a name or an index)");
    }
    throw ScenarioError(where, "cannot set '" + std::string(full_path) + "': '" + joined(segments, index) +
                                   "' is a single value (" + describe(*node) + "), not a map");
}

} // namespace

NodePtr apply_override(const NodePtr& root, std::string_view path, const NodePtr& value,
                       const SourceLocation& where) {
    const auto segments = split_path(path, where);
    return set_at(root, segments, 0, value, where, path);
}

NodePtr apply_set_argument(const NodePtr& root, std::string_view argument) {
    const auto equals = argument.find('=');
    if (equals == std::string_view::npos || equals == 0) {
        throw ScenarioError(SourceLocation{set_file, 1, 1},
                            "expected --set key.path=value, got '" + std::string(argument) + "'");
    }
    const std::string_view path = argument.substr(0, equals);
    const std::string_view text = argument.substr(equals + 1);
    const int value_column = static_cast<int>(std::min<std::size_t>(equals + 1, 100000));
    NodePtr value = parse_yaml(text, set_file, value_column);
    return apply_override(root, path, value, SourceLocation{set_file, 1, 1});
}

} // namespace x86sim::scenario
