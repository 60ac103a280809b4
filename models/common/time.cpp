#include "models/common/time.h"

namespace x86sim::models {

void ensure_time_resolution() {
    static const bool done = [] {
        sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
        return true;
    }();
    (void)done;
}

} // namespace x86sim::models
