// smp.cpp - starting the APs with INIT-SIPI-SIPI (lapic-pit-msi.md §1.3.7).
#include "kernel.h"
#include "muldiv.h"

namespace kut {

namespace {
// Delays after INIT and after each SIPI, as Linux uses on CPUs that do not need the legacy 10 ms
// INIT delay (init_udelay 0 -> udelay(10) around each SIPI). A delay is guest code spinning, so it is
// declared with hal->spend.
constexpr std::uint64_t kInitDelayNs = 10'000;
constexpr std::uint64_t kSipiDelayNs = 10'000;
} // namespace

void Kernel::start_aps(std::uint32_t cpu) {
    const std::uint64_t init_cycles = mul_div(kInitDelayNs, config_.cpu_hz, 1'000'000'000);
    const std::uint64_t sipi_cycles = mul_div(kSipiDelayNs, config_.cpu_hz, 1'000'000'000);
    for (std::uint32_t ap = 0; ap < config_.cpus; ++ap) {
        if (ap == cpu) {
            continue;
        }
        // Without a MADT to read, logical CPU n is assumed to have APIC ID n (the platform's choice).
        const std::uint32_t destination = ap;
        lapic_.send_icr(cpu, destination, x86::kIcrInit | x86::kIcrAssert);
        hal_.spend(cpu, init_cycles);
        for (int sipi = 0; sipi < 2; ++sipi) {
            lapic_.send_icr(cpu, destination, x86::kIcrStartup | x86::kIcrAssert | kSipiVector);
            hal_.spend(cpu, sipi_cycles);
        }
    }
}

} // namespace kut
