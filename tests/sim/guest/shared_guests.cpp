// Small guest libraries for the --guest tests, built as shared objects (tests/sim/guest/CMakeLists.txt)
// with one of these variants selected by a compile definition:
//   TEST_GUEST_OK          a minimal working guest (boots, enables its LAPIC, reports a calibration, halts)
//   TEST_GUEST_BAD_ABI     abi_version 7
//   TEST_GUEST_NO_IDLE     idle and task_new missing
//   TEST_GUEST_NO_SYMBOL   no kut_guest_entry at all
#include "kut/guest.h"

namespace {

const kut_hal* g_hal = nullptr;

int guest_init(const kut_hal* hal, const kut_config*) {
    g_hal = hal;
    return 0;
}
void guest_boot(uint32_t cpu) {
    g_hal->mmio_write(g_hal->host, cpu, 0xFEE000F0, 4, 0x1FF);
    // The true LAPIC timer clock (25 MHz default): kernel.calibration.error_ppm derives to 0.
    g_hal->metric_set(g_hal->host, "kernel.calibration.lapic_timer_hz", 25'000'000.0);
}
void guest_ap_start(uint32_t, uint8_t) {}
void guest_interrupt(uint32_t cpu, uint8_t) {
    g_hal->mmio_write(g_hal->host, cpu, 0xFEE000B0, 4, 0);
}
int64_t guest_syscall(uint32_t, kut_task_id, uint32_t, uint64_t, uint64_t, uint64_t) {
    return 0;
}
[[maybe_unused]] void guest_task_new(uint32_t, kut_task_id, int32_t, int32_t) {}
[[maybe_unused]] void guest_idle(uint32_t cpu) {
    g_hal->hlt(g_hal->host, cpu);
}

#if defined(TEST_GUEST_BAD_ABI)
constexpr uint32_t kVersion = 7;
#else
constexpr uint32_t kVersion = KUT_ABI_VERSION;
#endif

#if defined(TEST_GUEST_NO_IDLE)
const kut_guest kGuest = {kVersion,       sizeof(kut_guest), "broken",      guest_init, guest_boot,
                          guest_ap_start, guest_interrupt,   guest_syscall, nullptr,    nullptr};
#else
const kut_guest kGuest = {kVersion,       sizeof(kut_guest), "test guest",  guest_init,     guest_boot,
                          guest_ap_start, guest_interrupt,   guest_syscall, guest_task_new, guest_idle};
#endif

} // namespace

#if !defined(TEST_GUEST_NO_SYMBOL)
extern "C" __attribute__((visibility("default"))) const kut_guest* kut_guest_entry(void) {
    return &kGuest;
}
#else
extern "C" __attribute__((visibility("default"))) const kut_guest* some_other_entry(void) {
    return &kGuest;
}
#endif
