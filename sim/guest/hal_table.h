// The C table of kut_hal function pointers: each entry is a plain function that forwards to GuestHost.
#pragma once

#include "kut/hal.h"

namespace x86sim::sim::guest {

class GuestHost;

kut_hal make_hal_table(GuestHost& host);

} // namespace x86sim::sim::guest
