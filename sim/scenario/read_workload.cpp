#include "sim/scenario/config_reader.h"

#include <charconv>

namespace x86sim::scenario::detail {
namespace {

std::optional<Priority> parse_priority(std::string_view text) {
    auto parse_int = [](std::string_view digits, int& value) {
        if (!digits.empty() && digits[0] == '+') {
            digits.remove_prefix(1);
        }
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return error == std::errc() && end == digits.data() + digits.size() && !digits.empty();
    };
    int level = 0;
    if (text.starts_with("rt:")) {
        if (parse_int(text.substr(3), level) && level >= 0 && level <= 9) {
            return Priority{Priority::Class::rt, level};
        }
        return std::nullopt;
    }
    if (text.starts_with("nice:")) {
        text.remove_prefix(5);
    }
    if (parse_int(text, level) && level >= -20 && level <= 19) {
        return Priority{Priority::Class::normal, level};
    }
    return std::nullopt;
}

TaskConfig read_task(Reader& r, const YamlNode& node, const std::string& path) {
    TaskConfig task;
    MapView m(r, node, path, {"name", "count", "run", "burst", "period", "work", "priority", "pairs"});
    if (m.require("name")) {
        m.name("name", task.name);
    }
    m.uint32("count", task.count, 1, 100000);
    if (m.require("run")) {
        m.choice<RunKind>("run", task.run,
                          {{"cpu", RunKind::cpu},
                           {"periodic", RunKind::periodic},
                           {"sleep", RunKind::sleep},
                           {"yield", RunKind::yield},
                           {"pingpong", RunKind::pingpong}});
    }
    m.time("burst", task.burst_ps, 1);
    m.time("period", task.period_ps, 1);
    m.time("work", task.work_ps);
    m.uint32("pairs", task.pairs, 1, 100000);
    if (const YamlNode* priority = m.get("priority")) {
        if (auto text = read_string(r, *priority, m.path("priority"))) {
            if (auto parsed = parse_priority(*text)) {
                task.priority = *parsed;
            } else {
                r.error(priority->where,
                        m.path("priority") +
                            ": expected \"rt:N\" (N 0..9) or a nice value -20..19 (\"nice:N\" "
                            "or N), got " +
                            describe(*priority));
            }
        }
    }
    // Keys that do not apply to this kind of task are mistakes, not silently ignored settings.
    struct Applies {
        std::string_view key;
        std::initializer_list<RunKind> kinds;
    };
    static const Applies table[] = {
        {"burst", {RunKind::cpu, RunKind::sleep, RunKind::yield}},
        {"period", {RunKind::periodic, RunKind::sleep}},
        {"work", {RunKind::periodic, RunKind::pingpong}},
        {"pairs", {RunKind::pingpong}},
    };
    static const char* const run_names[] = {"cpu", "periodic", "sleep", "yield", "pingpong"};
    for (const Applies& rule : table) {
        if (!m.has(rule.key)) {
            continue;
        }
        bool ok = false;
        std::string kinds;
        for (RunKind kind : rule.kinds) {
            ok = ok || kind == task.run;
            kinds += std::string(kinds.empty() ? "" : ", ") + run_names[static_cast<int>(kind)];
        }
        if (!ok) {
            r.error(m.key_where(rule.key),
                    m.path(rule.key) + ": does not apply to run: " + run_names[static_cast<int>(task.run)] +
                        " (only to " + kinds + ")");
        }
    }
    if (task.run == RunKind::periodic) {
        const bool has_period = m.require("period");
        const bool has_work = m.require("work");
        if (has_period && has_work && task.period_ps > 0 && task.work_ps > task.period_ps) {
            r.error(m.where("work"), m.path("work") + ": work (" + format_time_ps(task.work_ps) +
                                         ") is longer than the period (" + format_time_ps(task.period_ps) +
                                         ")");
        }
    }
    if (task.run == RunKind::sleep) {
        m.require("period");
    }
    return task;
}

IoConfig read_io(Reader& r, const YamlNode& node, const std::string& path) {
    IoConfig io;
    MapView m(r, node, path, {"name", "device", "pattern", "block", "qd", "jobs", "ops"});
    if (m.require("name")) {
        m.name("name", io.name);
    }
    if (m.require("device")) {
        m.string("device", io.device);
    }
    m.choice<IoPattern>("pattern", io.pattern,
                        {{"randread", IoPattern::randread},
                         {"randwrite", IoPattern::randwrite},
                         {"read", IoPattern::read},
                         {"write", IoPattern::write}});
    m.size("block", io.block_bytes, 512);
    if (m.has("block") && io.block_bytes % 512 != 0) {
        r.error(m.where("block"), m.path("block") + ": must be a multiple of 512 bytes");
    }
    m.uint32("qd", io.qd, 1, 65535);
    m.uint32("jobs", io.jobs, 1, 4096);
    m.uint64("ops", io.ops);
    return io;
}

ThreadsConfig read_threads(Reader& r, const YamlNode& node, const std::string& path) {
    ThreadsConfig threads;
    MapView m(r, node, path, {"name", "create"});
    if (m.require("name")) {
        m.name("name", threads.name);
    }
    if (m.require("create")) {
        m.uint64("create", threads.create, 1, 100'000'000);
    }
    return threads;
}

} // namespace

void read_workload(Reader& r, const YamlNode& node, std::vector<WorkloadEntry>& out) {
    if (node.is_null()) {
        return;
    }
    if (!node.is_sequence()) {
        r.error(node.where, "workload: expected a list, got " + describe(node));
        return;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
        const std::string path = "workload." + std::to_string(i);
        r.locate(path, node.items[i]->where);
        auto item = read_one_key_item(r, *node.items[i], path, {"task", "io", "threads"});
        if (!item) {
            continue;
        }
        const std::string inner = path + "." + item->first;
        if (item->first == "task") {
            out.emplace_back(read_task(r, *item->second, inner));
        } else if (item->first == "io") {
            out.emplace_back(read_io(r, *item->second, inner));
        } else {
            out.emplace_back(read_threads(r, *item->second, inner));
        }
    }
}

} // namespace x86sim::scenario::detail
