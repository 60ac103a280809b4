#include "sim/metrics/did_you_mean.h"

#include <algorithm>

namespace x86sim::metrics {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Inputs come from user files and may be long: cap the work (a 4 KiB "key" is not a typo of a
    // 10-character key, and the length difference alone already says so).
    constexpr std::size_t max_len = 256;
    if (a.size() > max_len || b.size() > max_len) {
        return std::max(a.size(), b.size());
    }
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const std::string& candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance && candidate != word) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    if (auto best = closest_match(word, candidates)) {
        return "; did you mean '" + *best + "'?";
    }
    return {};
}

} // namespace x86sim::metrics
