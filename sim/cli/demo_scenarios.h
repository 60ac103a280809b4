// Scenario texts compiled into the binary for `x86sim demo` (generated from scenarios/ by CMake).
#pragma once

namespace x86sim::cli {

extern const char* const kDemoLapicTimerModes;
extern const char* const kDemoTickPitVsLapic;

} // namespace x86sim::cli
