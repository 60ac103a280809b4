// spdlog set-up for the command line: one logger per component, levels from -v/-q and
// X86SIM_LOG=component=level[,component=level...] (a bare level sets the default), logs on stderr.
#pragma once

#include <string>

namespace x86sim::cli {

enum class Verbosity { Quiet, Normal, Verbose };

// Returns an error message for a malformed X86SIM_LOG, or "" when it is fine.
std::string configure_logging(Verbosity verbosity, const char* env_value);

} // namespace x86sim::cli
