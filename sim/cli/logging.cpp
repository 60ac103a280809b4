#include "sim/cli/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sstream>

namespace x86sim::cli {

std::string configure_logging(Verbosity verbosity, const char* env_value) {
    auto default_level = verbosity == Verbosity::Quiet     ? spdlog::level::err
                         : verbosity == Verbosity::Verbose ? spdlog::level::debug
                                                           : spdlog::level::warn;
    auto logger = spdlog::stderr_color_mt("x86sim");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("[%n] %l: %v");
    spdlog::set_level(default_level);
    if (env_value == nullptr || *env_value == '\0') {
        return "";
    }
    // component=level pairs; each named component gets a logger of its own (models fetch it by name).
    std::istringstream items(env_value);
    std::string item;
    while (std::getline(items, item, ',')) {
        const auto equals = item.find('=');
        const std::string name = equals == std::string::npos ? "" : item.substr(0, equals);
        const std::string level_text = equals == std::string::npos ? item : item.substr(equals + 1);
        const auto level = spdlog::level::from_str(level_text);
        if (level == spdlog::level::off && level_text != "off") {
            return "X86SIM_LOG: unknown level '" + level_text +
                   "' (trace, debug, info, warn, error, critical, off)";
        }
        if (name.empty()) {
            spdlog::set_level(level);
            continue;
        }
        auto component = spdlog::get(name);
        if (!component) {
            component = spdlog::stderr_color_mt(name);
        }
        component->set_level(level);
    }
    return "";
}

} // namespace x86sim::cli
