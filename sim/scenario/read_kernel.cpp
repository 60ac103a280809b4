#include "sim/scenario/config_reader.h"

namespace x86sim::scenario::detail {

void read_kernel(Reader& r, const YamlNode& node, KernelConfig& out) {
    MapView m(r, node, "kernel", {"tick", "sched", "irq", "dma", "proc"});
    if (const YamlNode* tick = m.get("tick")) {
        MapView tm(r, *tick, m.path("tick"), {"source", "mode", "hz", "divisor"});
        tm.choice<TickSource>(
            "source", out.tick.source,
            {{"pit", TickSource::pit}, {"hpet", TickSource::hpet}, {"lapic", TickSource::lapic}});
        tm.choice<TickMode>("mode", out.tick.mode,
                            {{"periodic", TickMode::periodic},
                             {"oneshot", TickMode::oneshot},
                             {"tsc-deadline", TickMode::tsc_deadline}});
        if (tm.has("hz")) {
            std::uint64_t hz = 0;
            tm.frequency("hz", hz);
            if (hz != 0) {
                out.tick.hz = hz;
            }
        }
        if (tm.has("divisor")) {
            std::uint32_t divisor = 0;
            tm.uint32("divisor", divisor, 1, 65536);
            if (divisor != 0) {
                out.tick.divisor = divisor;
            }
        }
        if (tm.has("hz") && tm.has("divisor")) {
            r.error(tm.key_where("divisor"), "kernel.tick: give either 'hz' or 'divisor', not both");
        }
        if (tm.has("divisor") && out.tick.source != TickSource::pit) {
            r.error(tm.key_where("divisor"), "kernel.tick.divisor: only applies to source: pit (use 'hz')");
        }
        if (out.tick.mode == TickMode::tsc_deadline && out.tick.source != TickSource::lapic) {
            r.error(tm.where("mode"), "kernel.tick.mode: tsc-deadline needs source: lapic");
        }
    }
    if (const YamlNode* sched = m.get("sched")) {
        MapView sm(r, *sched, m.path("sched"), {"lock", "balance", "switch_ticks", "wakeup"});
        sm.choice<SchedLock>("lock", out.sched.lock,
                             {{"global", SchedLock::global}, {"per-cpu", SchedLock::per_cpu}});
        sm.choice<SchedBalance>(
            "balance", out.sched.balance,
            {{"none", SchedBalance::none}, {"work-stealing", SchedBalance::work_stealing}});
        sm.uint32("switch_ticks", out.sched.switch_ticks, 1, 1000);
        sm.choice<SchedWakeup>("wakeup", out.sched.wakeup,
                               {{"lazy-ipi", SchedWakeup::lazy_ipi}, {"targeted", SchedWakeup::targeted}});
    }
    if (const YamlNode* irq = m.get("irq")) {
        MapView im(r, *irq, m.path("irq"), {"delivery", "validate_msi"});
        im.choice<IrqDelivery>(
            "delivery", out.irq.delivery,
            {{"intx", IrqDelivery::intx}, {"msi", IrqDelivery::msi}, {"msix", IrqDelivery::msix}});
        im.choice<ValidateMsi>("validate_msi", out.irq.validate_msi,
                               {{"none", ValidateMsi::none}, {"remap", ValidateMsi::remap}});
    }
    if (const YamlNode* dma = m.get("dma")) {
        MapView dm(r, *dma, m.path("dma"), {"iommu", "streaming"});
        dm.boolean("iommu", out.dma.iommu);
        dm.choice<DmaStreaming>("streaming", out.dma.streaming,
                                {{"direct", DmaStreaming::direct}, {"bounce", DmaStreaming::bounce}});
    }
    if (const YamlNode* proc = m.get("proc")) {
        MapView pm(r, *proc, m.path("proc"), {"thread_create"});
        pm.choice<ThreadCreate>("thread_create", out.proc.thread_create,
                                {{"upstream", ThreadCreate::upstream},
                                 {"ipc3", ThreadCreate::ipc3},
                                 {"ipc2", ThreadCreate::ipc2}});
    }
}

} // namespace x86sim::scenario::detail
