#include "sim/scenario/loader.h"

#include "sim/metrics/did_you_mean.h"
#include "sim/scenario/config_reader.h"
#include "sim/scenario/overrides.h"

#include <fstream>
#include <sstream>

namespace x86sim::scenario {
namespace {

// A variant's entries straight from the tree (the typed read happens after applying).
const YamlNode* find_variant(const NodePtr& root, std::string_view name, std::vector<std::string>& names) {
    if (!root || !root->is_map()) {
        return nullptr;
    }
    const MapEntry* variants = root->find("variants");
    if (variants == nullptr || !variants->value->is_map()) {
        return nullptr;
    }
    for (const MapEntry& entry : variants->value->entries) {
        names.push_back(entry.key);
    }
    const MapEntry* variant = variants->value->find(name);
    return variant != nullptr ? variant->value.get() : nullptr;
}

NodePtr apply_variant(NodePtr root, const YamlNode& variant, const std::string& name) {
    if (!variant.is_map()) {
        throw ScenarioError(variant.where, "variants." + name +
                                               ": expected a map of { dotted.path: value }, got " +
                                               describe(variant));
    }
    for (const MapEntry& entry : variant.entries) {
        root = apply_override(root, entry.key, entry.value, entry.key_where);
    }
    return root;
}

} // namespace

Scenario load_scenario_text(std::string_view yaml, const std::string& file_name, const LoadOptions& options) {
    const NodePtr base = parse_yaml(yaml, file_name);
    NodePtr root = base;
    if (options.variant) {
        std::vector<std::string> names;
        const YamlNode* variant = find_variant(base, *options.variant, names);
        if (variant == nullptr) {
            throw ScenarioError(SourceLocation{file_name, 1, 1},
                                "no variant named '" + *options.variant + "'" +
                                    metrics::did_you_mean(*options.variant, names) +
                                    (names.empty() ? std::string(" (the scenario has no variants)")
                                                   : " (variants: " + detail::allowed_list(names) + ")"));
        }
        root = apply_variant(root, *variant, *options.variant);
    }
    for (const std::string& argument : options.overrides) {
        root = apply_set_argument(root, argument);
    }

    Scenario scenario;
    scenario.config = read_config(*root);
    if (options.seed) {
        scenario.config.seed = *options.seed;
    }
    scenario.variant = options.variant;
    scenario.path = file_name;
    scenario.source_text = std::string(yaml);

    if (!options.variant) {
        // Validate every variant as well (see loader.h); report its problems under its name.
        std::vector<Diagnostic> problems;
        for (const VariantSpec& spec : scenario.config.variants) {
            std::vector<std::string> names;
            const YamlNode* variant = find_variant(base, spec.name, names);
            if (variant == nullptr) {
                continue;
            }
            try {
                NodePtr applied = apply_variant(base, *variant, spec.name);
                for (const std::string& argument : options.overrides) {
                    applied = apply_set_argument(applied, argument);
                }
                (void)read_config(*applied);
            } catch (const ScenarioError& error) {
                for (const Diagnostic& diagnostic : error.diagnostics) {
                    problems.push_back(
                        Diagnostic{diagnostic.where, "variant '" + spec.name + "': " + diagnostic.message});
                }
            }
            if (problems.size() >= max_diagnostics) {
                break;
            }
        }
        if (!problems.empty()) {
            throw ScenarioError(std::move(problems));
        }
    }
    return scenario;
}

Scenario load_scenario_file(const std::string& path, const LoadOptions& options) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw ScenarioError(SourceLocation{path, 1, 1}, "cannot open scenario file");
    }
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) {
        throw ScenarioError(SourceLocation{path, 1, 1}, "cannot read scenario file");
    }
    return load_scenario_text(text.str(), path, options);
}

std::vector<std::string> variant_names(const Scenario& scenario) {
    std::vector<std::string> names;
    for (const VariantSpec& variant : scenario.config.variants) {
        names.push_back(variant.name);
    }
    return names;
}

} // namespace x86sim::scenario
