// The guest's kut_config (kut/guest.h) from the scenario's `kernel:` and `platform:` sections
// (design/SCENARIOS.md). Unset tick rates and divisors are 0: the kernel picks its upstream default.
#pragma once

#include "kut/guest.h"
#include "sim/scenario/config.h"

namespace x86sim::sim::guest {

kut_config make_kut_config(const scenario::KernelConfig& kernel, const scenario::PlatformConfig& platform);

} // namespace x86sim::sim::guest
