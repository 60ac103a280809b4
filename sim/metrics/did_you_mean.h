// "did you mean 'x'?" for scenario keys, enum values, metric names and variant names.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace x86sim::metrics {

// Levenshtein distance (insert, delete, substitute; each costs 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate, if it is close enough to be a plausible typo: distance <= max(2, |word|/3).
// Ties go to the earliest candidate, so results do not depend on anything but the input order.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" — ready to append to a message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

} // namespace x86sim::metrics
