#include "sim/metrics/catalog.h"

#include "sim/metrics/did_you_mean.h"
#include "sim/metrics/histogram.h"

#include <algorithm>
#include <ostream>
#include <span>

namespace x86sim::metrics {
namespace {

using K = MetricKind;
using U = UnitKind;

// clang-format off
constexpr CatalogRow rows[] = {
    // Simulator.
    {"sim.time",        K::gauge,   U::seconds, false, "simulated seconds run"},
    {"sim.wall_s",      K::gauge,   U::seconds, true,  "wall-clock seconds the run took"},
    {"sim.events",      K::counter, U::count,   false, "SystemC kernel events"},
    {"sim.speed",       K::gauge,   U::count,   true,  "simulated seconds per wall second"},
    // Per CPU and its LAPIC.
    {"cpu{N}.busy",                    K::gauge,   U::ratio,   false, "fraction of simulated time running tasks"},
    {"cpu{N}.irq_time",                K::gauge,   U::ratio,   false, "fraction of simulated time in interrupt handlers"},
    {"cpu{N}.idle",                    K::gauge,   U::ratio,   false, "fraction of simulated time halted"},
    {"cpu{N}.user",                    K::gauge,   U::ratio,   false, "fraction of simulated time in user-task CPU bursts (part of busy)"},
    {"cpu{N}.started",                 K::counter, U::count,   false, "1 if the CPU ran guest code (BSP boot, or an AP after INIT-SIPI)"},
    {"cpu{N}.interrupts",              K::counter, U::count,   false, "guest interrupt handler entries"},
    {"cpu{N}.syscalls",                K::counter, U::count,   false, "system calls made by user tasks on this CPU"},
    {"cpu{N}.max_nesting",             K::counter, U::count,   false, "deepest interrupt nesting seen"},
    {"cpu{N}.init_sipi_ignored",       K::counter, U::count,   false, "INIT to a running CPU or SIPI outside wait-for-SIPI"},
    {"cpu{N}.hlt_with_if_clear",       K::counter, U::count,   false, "hlt with interrupts disabled (the CPU stopped for good)"},
    {"cpu{N}.lapic.timer.fires",       K::counter, U::count,   false, "LAPIC timer expiries"},
    {"cpu{N}.lapic.timer.first_fire",  K::gauge,   U::seconds, false, "simulated time of the first LAPIC timer expiry"},
    {"cpu{N}.lapic.timer.last_fire",   K::gauge,   U::seconds, false, "simulated time of the last LAPIC timer expiry"},
    {"cpu{N}.lapic.irr_coalesced",     K::counter, U::count,   false, "interrupts merged into an already pending IRR bit"},
    {"cpu{N}.lapic.spurious",          K::counter, U::count,   false, "spurious-vector deliveries"},
    {"cpu{N}.lapic.eoi",               K::counter, U::count,   false, "EOI writes"},
    {"cpu{N}.lapic.accepted",          K::counter, U::count,   false, "interrupts accepted by the CPU (IRR -> ISR)"},
    {"cpu{N}.lapic.ipis_sent",         K::counter, U::count,   false, "IPIs sent through the ICR"},
    {"cpu{N}.lapic.errors",            K::counter, U::count,   false, "ESR error events (illegal vector, send/receive errors)"},
    // Platform timers and interrupt routing.
    {"pit.fires",                      K::counter, U::count,   false, "PIT channel 0 output edges"},
    {"pit.channel{C}.rising_edges",    K::counter, U::count,   false, "rising edges of PIT channel C's output"},
    {"pit.reads",                      K::counter, U::count,   false, "port reads of the PIT"},
    {"pit.writes",                     K::counter, U::count,   false, "port writes to the PIT"},
    {"pit.bad_accesses",               K::counter, U::count,   false, "PIT accesses with a bad size or port"},
    {"hpet.fires",                     K::counter, U::count,   false, "HPET interrupts raised, all timers"},
    {"hpet.timer{T}.fires",            K::counter, U::count,   false, "HPET interrupts raised by timer T"},
    {"hpet.timer{T}.matches",          K::counter, U::count,   false, "HPET comparator matches of timer T"},
    {"hpet.lost_edges",                K::counter, U::count,   false, "HPET edge interrupts lost (no route)"},
    {"ioapic.deliveries",              K::counter, U::count,   false, "interrupt messages sent by the IOAPIC"},
    // LAPIC detail (models/lapic/lapic.h LapicStats).
    {"cpu{N}.lapic.acknowledged",            K::counter, U::count, false, "INTA cycles that returned an IRR vector"},
    {"cpu{N}.lapic.extint_acknowledged",     K::counter, U::count, false, "INTA cycles answered by the 8259 (ExtINT)"},
    {"cpu{N}.lapic.rejected",                K::counter, U::count, false, "fixed messages refused (illegal vector, software-disabled)"},
    {"cpu{N}.lapic.eoi_empty",               K::counter, U::count, false, "EOI writes with ISR empty (no effect)"},
    {"cpu{N}.lapic.eoi_broadcasts",          K::counter, U::count, false, "level-triggered EOIs broadcast to the IOAPICs"},
    {"cpu{N}.lapic.ipis_dropped",            K::counter, U::count, false, "ICR commands refused (illegal vector, unsupported mode)"},
    {"cpu{N}.lapic.nmi",                     K::counter, U::count, false, "NMIs signalled to the CPU"},
    {"cpu{N}.lapic.smi",                     K::counter, U::count, false, "SMIs signalled to the CPU"},
    {"cpu{N}.lapic.init",                    K::counter, U::count, false, "INIT messages accepted"},
    {"cpu{N}.lapic.init_deasserts_ignored",  K::counter, U::count, false, "INIT level de-asserts (ignored by P4-class APICs)"},
    {"cpu{N}.lapic.startup",                 K::counter, U::count, false, "SIPIs accepted"},
    {"cpu{N}.lapic.level_deasserts_ignored", K::counter, U::count, false, "fixed level de-assert messages (ignored)"},
    {"cpu{N}.lapic.error_interrupts",        K::counter, U::count, false, "LVT Error interrupts raised"},
    {"cpu{N}.lapic.lvt_masked_events",       K::counter, U::count, false, "local events suppressed by an LVT mask"},
    {"cpu{N}.lapic.lvt_invalid_mode",        K::counter, U::count, false, "local events with a reserved delivery mode"},
    {"cpu{N}.lapic.msr_gp",                  K::counter, U::count, false, "RDMSR/WRMSR answered with #GP"},
    {"cpu{N}.lapic.undecoded_mmio",          K::counter, U::count, false, "MMIO accesses while the xAPIC window is not decoded"},
    {"cpu{N}.lapic.bad_accesses",            K::counter, U::count, false, "bad register accesses (reserved offset, width, read-only)"},
    {"cpu{N}.lapic.bad_inputs",              K::counter, U::count, false, "wiring errors: LINT inputs other than 0/1"},
    // Interrupt fabric (models/fabric).
    {"fabric.messages",                      K::counter, U::count, false, "MSI writes to 0xFEEx_xxxx received"},
    {"fabric.requests",                      K::counter, U::count, false, "interrupt requests routed (IOAPIC, IPI, decoded MSI)"},
    {"fabric.delivered",                     K::counter, U::count, false, "requests that reached at least one LAPIC"},
    {"fabric.acceptances",                   K::counter, U::count, false, "LAPIC acceptances (a broadcast counts each LAPIC)"},
    {"fabric.no_destination",                K::counter, U::count, false, "requests no LAPIC matched"},
    {"fabric.lowest_priority_arbitrations",  K::counter, U::count, false, "lowest-priority arbitrations"},
    {"fabric.remapped",                      K::counter, U::count, false, "messages translated by interrupt remapping"},
    {"fabric.eoi_broadcasts",                K::counter, U::count, false, "EOIs forwarded to the IOAPICs"},
    {"fabric.dropped",                       K::counter, U::count, false, "messages dropped, all reasons"},
    {"fabric.dropped.not_interrupt_address", K::counter, U::count, false, "dropped: address outside 0xFEEx_xxxx"},
    {"fabric.dropped.remappable_without_iommu", K::counter, U::count, false, "dropped: remappable format with no IOMMU"},
    {"fabric.dropped.reserved_delivery_mode", K::counter, U::count, false, "dropped: reserved delivery mode"},
    {"fabric.dropped.level_deassert",        K::counter, U::count, false, "dropped: MSI level de-assert"},
    {"fabric.dropped.remap_blocked",         K::counter, U::count, false, "dropped: blocked by interrupt remapping"},
    // IOAPIC (models/ioapic).
    {"ioapic.pin{P}.deliveries",             K::counter, U::count, false, "messages sent for IOAPIC pin P"},
    {"ioapic.edges_while_masked",            K::counter, U::count, false, "edges that arrived while their RTE was masked (lost)"},
    {"ioapic.coalesced_edges",               K::counter, U::count, false, "edges merged into a message still waiting to leave"},
    {"ioapic.level_redeliveries",            K::counter, U::count, false, "level messages re-sent after EOI (line still asserted)"},
    {"ioapic.remote_irr_cleared",            K::counter, U::count, false, "Remote IRR bits cleared by EOI"},
    {"ioapic.eoi.broadcasts",                K::counter, U::count, false, "broadcast EOIs received"},
    {"ioapic.eoi.register_writes",           K::counter, U::count, false, "writes to the EOI register (version 0x20)"},
    {"ioapic.withdrawn",                     K::counter, U::count, false, "messages withdrawn before leaving (masked, line dropped)"},
    {"ioapic.dropped_no_bus",                K::counter, U::count, false, "messages with no fabric attached"},
    {"ioapic.reserved_delivery_mode",        K::counter, U::count, false, "RTEs with a reserved delivery mode (dropped)"},
    {"ioapic.invalid_inputs",                K::counter, U::count, false, "wiring errors: inputs beyond the pin count"},
    {"ioapic.unclaimed",                     K::counter, U::count, false, "MMIO accesses outside the IOAPIC's registers"},
    {"ioapic.bad_accesses",                  K::counter, U::count, false, "bad register accesses, all kinds"},
    {"ioapic.bad_accesses.width",            K::counter, U::count, false, "IOREGSEL/IOWIN/EOI accesses that are not aligned dwords"},
    {"ioapic.bad_accesses.window_index",     K::counter, U::count, false, "IOWIN accesses with IOREGSEL pointing nowhere"},
    // 8259 pair (models/pic8259).
    {"pic.irq{P}.acknowledged",              K::counter, U::count, false, "INTA cycles that returned IRQ P"},
    {"pic.acknowledged",                     K::counter, U::count, false, "INTA cycles, all IRQs"},
    {"pic.spurious.irq7",                    K::counter, U::count, false, "spurious IRQ7 (request vanished before INTA)"},
    {"pic.spurious.irq15",                   K::counter, U::count, false, "spurious IRQ15"},
    {"pic.eois",                             K::counter, U::count, false, "EOI commands"},
    {"pic.eois_with_empty_isr",              K::counter, U::count, false, "EOI commands with nothing in service"},
    {"pic.int_assertions",                   K::counter, U::count, false, "rising edges of the INT output"},
    {"pic.port_accesses",                    K::counter, U::count, false, "port accesses to the pair (and ELCR)"},
    {"pic.bad_accesses",                     K::counter, U::count, false, "bad port accesses"},
    {"pic.invalid_inputs",                   K::counter, U::count, false, "wiring errors: inputs beyond 15 or on the cascade"},
    {"pit.edge_events",                      K::counter, U::count, false, "SystemC events run for PIT output edges"},
    {"pit.events_scheduled",                 K::counter, U::count, false, "SystemC events scheduled for PIT output edges"},
    {"pit.illegal_counts",                   K::counter, U::count, false, "counts the datasheet calls illegal (1 in modes 2/3)"},
    // PCI devices (models/pci, models/testdev) and the root complex.
    {"{dev}.fired", K::counter, U::count, false, "interrupts the test device decided to fire"},
    {"{dev}.storms", K::counter, U::count, false, "storms started"},
    {"{dev}.dma_bytes", K::counter, U::count, false, "bytes the test device's DMA moved to or from memory"},
    {"{dev}.dma_transfers", K::counter, U::count, false, "DMA transfers completed (with or without error)"},
    {"{dev}.dma_errors", K::counter, U::count, false, "DMA transfers that ended with an error"},
    {"{dev}.dma_rejected", K::counter, U::count, false, "DMA starts refused (busy, longer than the buffer)"},
    {"{dev}.bad_commands", K::counter, U::count, false, "unknown COMMAND register values (ignored)"},
    {"{dev}.msi_sent", K::counter, U::count, false, "MSI messages sent"},
    {"{dev}.msix_sent", K::counter, U::count, false, "MSI-X messages sent"},
    {"{dev}.msi_pending_set", K::counter, U::count, false, "MSI vectors that became pending while masked"},
    {"{dev}.msi_pending_delivered", K::counter, U::count, false, "pending MSI vectors delivered at unmask"},
    {"{dev}.msix_pending_set", K::counter, U::count, false, "MSI-X vectors that became pending while masked (PBA bit set)"},
    {"{dev}.msix_pending_delivered", K::counter, U::count, false, "pending MSI-X vectors delivered at unmask"},
    {"{dev}.msix_bad_access", K::counter, U::count, false, "MSI-X table/PBA accesses of the wrong width or alignment"},
    {"{dev}.msix_unmasked_entry_writes", K::counter, U::count, false, "MSI-X entries rewritten while unmasked"},
    {"{dev}.msi_bad_address", K::counter, U::count, false, "MSI messages programmed outside 0xFEEx_xxxx"},
    {"{dev}.intx_asserted", K::counter, U::count, false, "INTx assertions"},
    {"{dev}.messages_blocked", K::counter, U::count, false, "interrupt messages not sent (bus mastering off)"},
    {"{dev}.bus_master_blocked", K::counter, U::count, false, "upstream requests refused because bus mastering is off"},
    {"{dev}.vector_out_of_range", K::counter, U::count, false, "fire requests for vectors the function does not have"},
    {"{dev}.config_read_only_writes", K::counter, U::count, false, "configuration writes to read-only fields (dropped)"},
    {"{dev}.bad_accesses", K::counter, U::count, false, "bad register accesses (BARs, configuration space)"},
    {"{dev}.upstream.messages", K::counter, U::count, false, "interrupt messages through the upstream port"},
    {"{dev}.upstream.tlps", K::counter, U::count, false, "TLPs sent upstream"},
    {"{dev}.upstream.write_requests", K::counter, U::count, false, "upstream (DMA) write requests"},
    {"{dev}.upstream.read_requests", K::counter, U::count, false, "upstream (DMA) read requests"},
    {"{dev}.upstream.bytes_written", K::counter, U::count, false, "bytes written upstream"},
    {"{dev}.upstream.bytes_read", K::counter, U::count, false, "bytes read upstream"},
    {"{dev}.upstream.translation_faults", K::counter, U::count, false, "upstream requests refused by translation (VT-d)"},
    {"{dev}.upstream.unsupported_requests", K::counter, U::count, false, "upstream requests nobody backs (UR)"},
    {"pci.config_reads", K::counter, U::count, false, "configuration reads (ECAM, 0xCF8/0xCFC)"},
    {"pci.config_writes", K::counter, U::count, false, "configuration writes"},
    {"pci.config_absent", K::counter, U::count, false, "configuration accesses to absent functions (read all ones)"},
    {"pci.bad_accesses", K::counter, U::count, false, "configuration accesses of a bad size or alignment"},
    {"pci.mmio_unclaimed", K::counter, U::count, false, "memory accesses no enabled BAR decodes"},
    {"pci.io_unclaimed", K::counter, U::count, false, "I/O accesses no enabled BAR decodes"},
    {"pci.bar_overlaps", K::counter, U::count, false, "accesses decoded by more than one BAR"},
    {"pci.interrupt_messages", K::counter, U::count, false, "writes to 0xFEEx_xxxx passed to the interrupt fabric"},
    {"pci.dma_writes_to_interrupt_range", K::counter, U::count, false, "DMA writes that hit 0xFEEx_xxxx"},
    {"pci.dma_reads", K::counter, U::count, false, "DMA reads from memory"},
    {"pci.dma_writes", K::counter, U::count, false, "DMA writes to memory"},
    {"pci.dma_read_bytes", K::counter, U::count, false, "bytes read by DMA"},
    {"pci.dma_write_bytes", K::counter, U::count, false, "bytes written by DMA"},
    {"pci.unsupported_requests", K::counter, U::count, false, "upstream requests refused (master abort / UR)"},
    {"pci.translation_faults", K::counter, U::count, false, "upstream requests refused by translation"},
    {"dma.stray_writes_started", K::counter, U::count, false, "timeline `dma: write` transfers started (no IOMMU: they reach memory unless refused)"},
    {"timeline.device_actions_rejected", K::counter, U::count, false, "timeline storm/dma actions the device refused"},
    // Guest kernel.
    {"sched.tick_hz",                  K::gauge,   U::hz,      false, "scheduler ticks per simulated second, mean over CPUs"},
    {"kernel.calibration.error_ppm",   K::gauge,   U::count,   false, "LAPIC timer calibration error against the true timer clock (ppm)"},
    {"sched.ticks",                    K::counter, U::count,   false, "scheduler ticks, summed over CPUs (guest-reported)"},
    {"sched.tick_lock_busy",           K::counter, U::count,   false, "ticks that found the global context-switch lock held (counted only)"},
    {"kernel.unexpected_vectors",      K::counter, U::count,   false, "interrupts on vectors the guest kernel did not expect"},
    {"kernel.spurious_vectors",        K::counter, U::count,   false, "spurious interrupts seen by the guest kernel"},
    {"kernel.lapic_errors",            K::counter, U::count,   false, "LAPIC error interrupts handled by the guest kernel"},
    {"kernel.bad_requests",            K::counter, U::count,   false, "host requests the guest kernel refused (unknown task, CPU)"},
    {"kernel.calibration.lapic_timer_hz", K::gauge, U::hz,     false, "LAPIC timer frequency the guest kernel calibrated"},
    {"kernel.calibration.tsc_hz",      K::gauge,   U::hz,      false, "TSC frequency the guest kernel calibrated"},
    {"sched.context_switches",         K::counter, U::count,   false, "context switches"},
    {"sched.migrations",               K::counter, U::count,   false, "tasks moved between CPUs"},
    {"sched.steals",                   K::counter, U::count,   false, "work-stealing operations"},
    {"sched.lock_wait",                K::gauge,   U::seconds, false, "total simulated time CPUs waited for scheduler locks"},
    {"sched.wakeup_latency",           K::histogram, U::seconds, false, "runnable -> running"},
    {"sched.switch_latency",           K::histogram, U::seconds, false, "time a runnable task waits for a CPU when preempting"},
    {"irq.delivered",                  K::counter, U::count,   false, "interrupts delivered, whole system"},
    {"irq.coalesced",                  K::counter, U::count,   false, "interrupts coalesced, whole system"},
    {"irq.spurious",                   K::counter, U::count,   false, "spurious interrupts, whole system"},
    {"irq.blocked",                    K::counter, U::count,   false, "interrupt messages blocked (remapping or validation)"},
    {"irq.latency",                    K::histogram, U::seconds, false, "device interrupt message -> guest handler entry"},
    // Guest boundary (the HAL, sim/guest).
    {"guest.bad_cpu",                  K::counter, U::count,   false, "HAL calls naming another CPU than the one running them"},
    {"guest.msr_gp",                   K::counter, U::count,   false, "guest RDMSR/WRMSR answered with #GP"},
    {"guest.unclaimed",                K::counter, U::count,   false, "guest MMIO/port accesses no device claimed"},
    {"guest.switches",                 K::counter, U::count,   false, "context selections that changed a CPU's context"},
    {"guest.switch_refused",           K::counter, U::count,   false, "switch_to refused (unknown task, or running on another CPU)"},
    {"guest.lock_errors",              K::counter, U::count,   false, "spin-lock misuse (self-deadlock, foreign unlock, unknown id)"},
    {"guest.phys_alloc_failures",      K::counter, U::count,   false, "phys_alloc requests that could not be met"},
    {"guest.phys_bytes",               K::counter, U::bytes,   false, "simulated RAM handed out by phys_alloc"},
    {"lock.{name}.wait",               K::gauge,   U::seconds, false, "simulated time CPUs waited for spin locks of this name"},
    {"lock.{name}.acquisitions",       K::counter, U::count,   false, "acquisitions of spin locks of this name"},
    {"lock.{name}.contended",          K::counter, U::count,   false, "acquisitions that had to wait"},
    // IOMMU and DMA.
    {"iommu.translations",             K::counter, U::count,   false, "DMA address translations"},
    {"iommu.iotlb.hits",               K::counter, U::count,   false, "IOTLB hits"},
    {"iommu.iotlb.misses",             K::counter, U::count,   false, "IOTLB misses"},
    {"iommu.faults",                   K::counter, U::count,   false, "DMA remapping faults recorded"},
    {"iommu.ir.faults",                K::counter, U::count,   false, "interrupt remapping faults recorded"},
    {"dma.bounce_bytes",               K::counter, U::bytes,   false, "bytes copied through bounce buffers"},
    {"dma.stray_writes_landed",        K::counter, U::count,   false, "stray DMA writes that reached memory"},
    // Per device (platform.devices names).
    {"{dev}.iops",                     K::gauge,   U::per_second,       false, "completed I/O commands per simulated second"},
    {"{dev}.bandwidth",                K::gauge,   U::bytes_per_second, false, "bytes transferred per simulated second"},
    {"{dev}.latency",                  K::histogram, U::seconds,        false, "command submission -> completion"},
    {"{dev}.commands",                 K::counter, U::count,   false, "commands completed"},
    {"{dev}.errors",                   K::counter, U::count,   false, "commands completed with an error status"},
    {"{dev}.interrupts",               K::counter, U::count,   false, "interrupts raised by the device"},
    {"{dev}.lost_writes",              K::counter, U::count,   false, "acknowledged writes lost at power failure"},
    // Thread creation.
    {"proc.thread_create.ipc_hops",    K::counter, U::count,   false, "IPC round trips per thread creation"},
    {"proc.thread_create.latency",     K::histogram, U::seconds, false, "thread creation request -> new thread runnable"},
    // Timeline (register pokes of hardware-only scenarios).
    {"timeline.actions",               K::counter, U::count,   false, "timeline actions executed"},
    {"timeline.gp_faults",             K::counter, U::count,   false, "timeline register accesses that raised #GP"},
    {"timeline.unclaimed",             K::counter, U::count,   false, "timeline accesses no device claimed"},
    {"timeline.{I}.value",             K::counter, U::count,   false, "value read by timeline entry I (read, rdmsr, in)"},
    // Per workload entry.
    {"workload.{name}.ops",            K::counter, U::count,      false, "completed bursts, probe periods, round trips, I/Os or threads"},
    {"workload.{name}.max_share_deviation", K::gauge, U::ratio, false, "max |CPU time - mean| / mean over the entry's tasks (fairness)"},
    {"workload.{name}.cpu_share_spread", K::gauge, U::ratio, false, "(max - min) / mean CPU time over the entry's tasks"},
    {"workload.{name}.ops_per_s",      K::gauge,   U::per_second, false, "ops per simulated second"},
    {"workload.{name}.latency",        K::histogram, U::seconds,  false, "probe: release -> start of work; I/O: submit -> completion"},
    {"workload.{name}.missed",         K::counter, U::count,      false, "probe releases skipped because the work overran"},
    {"workload.unstarted_tasks",       K::counter, U::count,      false, "workload tasks on CPUs the guest never started"},
};
// clang-format on

std::vector<std::string_view> split_dots(std::string_view text) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto dot = text.find('.', start);
        if (dot == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, dot - start));
        start = dot + 1;
    }
}

bool is_index_placeholder(std::string_view placeholder) {
    return placeholder == "N" || placeholder == "T" || placeholder == "C" || placeholder == "I" ||
           placeholder == "P";
}

bool is_index(std::string_view text) {
    if (text.empty() || text.size() > 9 || (text.size() > 1 && text[0] == '0')) {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_name(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-';
    });
}

using Captures = std::vector<std::pair<std::string, std::string>>;

// One dot-separated segment of a pattern, parsed once: a literal ("fires") or prefix{placeholder}suffix
// ("cpu{N}", "{dev}").
struct PatternSegment {
    std::string_view prefix; // the whole segment when it has no placeholder
    std::string_view placeholder;
    std::string_view suffix;
    bool has_placeholder = false;
};

PatternSegment parse_segment(std::string_view pattern) {
    const auto open = pattern.find('{');
    if (open == std::string_view::npos) {
        return {pattern, {}, {}, false};
    }
    const auto close = pattern.find('}', open);
    return {pattern.substr(0, open), pattern.substr(open + 1, close - open - 1), pattern.substr(close + 1),
            true};
}

// Matches one pattern segment against one name segment; records the placeholder's value.
bool match_segment(const PatternSegment& pattern, std::string_view text, Captures& captures) {
    if (!pattern.has_placeholder) {
        return pattern.prefix == text;
    }
    if (text.size() < pattern.prefix.size() + pattern.suffix.size() || !text.starts_with(pattern.prefix) ||
        !text.ends_with(pattern.suffix)) {
        return false;
    }
    const std::string_view value =
        text.substr(pattern.prefix.size(), text.size() - pattern.prefix.size() - pattern.suffix.size());
    const bool ok = is_index_placeholder(pattern.placeholder) ? is_index(value) : is_name(value);
    if (ok) {
        captures.emplace_back(std::string(pattern.placeholder), std::string(value));
    }
    return ok;
}

// Every row's pattern split at its dots and parsed, once: matching a name runs over all rows, and a
// report matches every metric it prints.
const std::vector<std::vector<PatternSegment>>& row_segments() {
    static const auto split = [] {
        std::vector<std::vector<PatternSegment>> all;
        for (const CatalogRow& row : rows) {
            std::vector<PatternSegment> segments;
            for (const auto segment : split_dots(row.pattern)) {
                segments.push_back(parse_segment(segment));
            }
            all.push_back(std::move(segments));
        }
        return all;
    }();
    return split;
}

// Whether the name's segments match the pattern's, with the placeholders' values.
template <typename Segments>
bool match_pattern(const std::vector<PatternSegment>& pattern_segments, const Segments& segments,
                   Captures& captures) {
    if (pattern_segments.size() != segments.size()) {
        return false;
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (!match_segment(pattern_segments[i], segments[i], captures)) {
            captures.clear();
            return false;
        }
    }
    return true;
}

void expand(std::string pattern, const Instances& instances, std::vector<std::string>& out) {
    const auto open = pattern.find('{');
    if (open == std::string::npos) {
        out.push_back(std::move(pattern));
        return;
    }
    const auto close = pattern.find('}', open);
    const std::string placeholder = pattern.substr(open + 1, close - open - 1);
    auto substitute = [&](const std::string& value) {
        expand(pattern.substr(0, open) + value + pattern.substr(close + 1), instances, out);
    };
    if (placeholder == "N") {
        for (unsigned cpu = 0; cpu < std::min(instances.cpus, 64U); ++cpu) {
            substitute(std::to_string(cpu));
        }
    } else if (placeholder == "T") {
        for (unsigned timer = 0; timer < std::min(instances.hpet_timers, 32U); ++timer) {
            substitute(std::to_string(timer));
        }
    } else if (placeholder == "C") {
        for (unsigned channel = 0; channel < 3; ++channel) {
            substitute(std::to_string(channel));
        }
    } else if (placeholder == "I") {
        for (unsigned entry = 0; entry < std::min(instances.timeline_entries, 256U); ++entry) {
            substitute(std::to_string(entry));
        }
    } else if (placeholder == "P") {
        for (unsigned line = 0; line < 24; ++line) { // IOAPIC pins / 8259 IRQ lines
            substitute(std::to_string(line));
        }
    } else if (placeholder == "dev") {
        for (const auto& device : instances.devices) {
            substitute(device);
        }
    } else {
        for (const auto& workload : instances.workloads) {
            substitute(workload);
        }
    }
}

} // namespace

std::span<const CatalogRow> catalog() {
    return rows;
}

std::optional<CatalogMatch> match_metric(std::string_view name) {
    const auto segments = split_dots(name);
    std::optional<CatalogMatch> best;
    auto consider = [&](CatalogMatch&& candidate) {
        if (!best || candidate.captures.size() < best->captures.size()) {
            best = std::move(candidate);
        }
    };
    // A report matches every metric it prints against every row: the quick rejections below leave one
    // to three rows per name for the full match and its captures.
    const auto& patterns = row_segments();
    for (std::size_t index = 0; index < std::size(rows); ++index) {
        const CatalogRow& row = rows[index];
        // Quick rejections before the full match: most rows differ in their first segment ("cpu{N}",
        // "sched", "irq") or, among one device's or CPU's rows, in their last ("fires", "eoi").
        const auto& pattern = patterns[index];
        if (!segments.front().starts_with(pattern.front().prefix)) {
            continue;
        }
        const bool histogram = row.kind == MetricKind::histogram;
        const auto last = segments.size() - (histogram ? 2 : 1);
        if (segments.size() < (histogram ? 2U : 1U) || pattern.size() != last + 1 ||
            (!pattern.back().has_placeholder && pattern.back().prefix != segments[last])) {
            continue;
        }
        Captures captures;
        if (row.kind != MetricKind::histogram) {
            if (match_pattern(patterns[index], segments, captures)) {
                consider(CatalogMatch{&row, "", std::move(captures), row.unit});
            }
            continue;
        }
        if (segments.size() < 2) {
            continue;
        }
        const std::string_view field = segments.back();
        const auto& fields = Histogram::fields();
        if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
            continue;
        }
        const std::span<const std::string_view> base(segments.data(), segments.size() - 1);
        if (match_pattern(patterns[index], base, captures)) {
            consider(CatalogMatch{&row, std::string(field), std::move(captures),
                                  field == "count" ? UnitKind::count : row.unit});
        }
    }
    return best;
}

std::vector<std::string> instantiate(const Instances& instances) {
    std::vector<std::string> names;
    for (const CatalogRow& row : rows) {
        std::vector<std::string> bases;
        expand(std::string(row.pattern), instances, bases);
        for (auto& base : bases) {
            if (row.kind == MetricKind::histogram) {
                for (std::string_view field : Histogram::fields()) {
                    names.push_back(base + "." + std::string(field));
                }
            } else {
                names.push_back(std::move(base));
            }
        }
    }
    return names;
}

std::optional<std::string> suggest_metric(std::string_view name, const Instances& instances) {
    return closest_match(name, instantiate(instances));
}

void print_catalog(std::ostream& out) {
    std::size_t width = 0;
    std::vector<std::string> shown;
    for (const CatalogRow& row : rows) {
        std::string text(row.pattern);
        if (row.kind == MetricKind::histogram) {
            text += ".{count,min,mean,p50,p99,max}";
        }
        width = std::max(width, text.size());
        shown.push_back(std::move(text));
    }
    for (std::size_t i = 0; i < shown.size(); ++i) {
        const CatalogRow& row = rows[i];
        std::string unit(unit_kind_name(row.unit));
        out << shown[i] << std::string(width + 2 - shown[i].size(), ' ') << unit
            << std::string(unit.size() < 18 ? 18 - unit.size() : 1, ' ') << row.description
            << (row.wall_clock ? " (host-dependent)" : "") << "\n";
    }
}

} // namespace x86sim::metrics
