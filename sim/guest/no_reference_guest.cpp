// Linked after kernel_under_test (sim/guest/CMakeLists.txt): the archive member defining
// kut_guest_entry is only used when the reference kernel does not define it (it is not built yet), so the
// x86sim binary links either way and reports "no guest kernel in this build" at run time.
#include "kut/guest.h"

extern "C" const kut_guest* kut_guest_entry(void) {
    return nullptr;
}
