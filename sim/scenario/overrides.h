// One mechanism for `--set key.path=value` and `variants:`: replace the node at a dotted path in the
// YAML tree (creating intermediate maps), then validate the whole result as usual. Keys created by an
// override carry the override's location, so a misspelt path is reported by validation as an unknown
// key, with a suggestion, at the variant entry or at "<--set>:1:col".
//
// Path segments: map keys; in a list, either an index ("workload.1.task.period") or the `name` of a
// one-key item, which also steps into the item ("workload.probe.period",
// "platform.devices.nvme0.media.read_latency").
#pragma once

#include "sim/scenario/yaml_tree.h"

#include <string>
#include <string_view>

namespace x86sim::scenario {

// Returns a new root with `value` at `path`; `root` is not modified (unchanged subtrees are shared).
// Throws ScenarioError at `where` when the path cannot be followed (empty segment, a scalar in the
// way, a list index out of range, no list item with that name).
NodePtr apply_override(const NodePtr& root, std::string_view path, const NodePtr& value,
                       const SourceLocation& where);

// Parses "key.path=VALUE" (VALUE is YAML: `kernel.tick={source: pit, hz: 148}`) and applies it.
// Locations inside VALUE are reported as "<--set>:1:col", col counted in the whole argument.
NodePtr apply_set_argument(const NodePtr& root, std::string_view argument);

} // namespace x86sim::scenario
