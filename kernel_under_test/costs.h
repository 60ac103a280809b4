// costs.h - every per-operation cycle cost the reference kernel declares with hal->spend().
//
// One place, named, with where each figure comes from (design/GUEST-MODEL.md "Time"). Hardware
// accesses (MMIO, ports, MSRs, the ICR write of an IPI, lock acquisition and the time spent spinning
// on a held lock) are charged by the host for every HAL call, so the figures here cover only the
// guest's own instructions around them. None of these values is tuned to reproduce a published
// result: where a published number exists it is cited as the upper bound the estimate must respect.
//
// Figures in cycles of the calling CPU's core clock; "at 3 GHz" conversions are for reading only.
#pragma once

#include <cstdint>

namespace kut::costs {

// Syscall entry + exit path (syscall/sysret pair, swapgs, register save/restore, dispatch on the
// number). No Redox figure is published (redox-kernel.md §8 has none); ~100 cycles is the usual
// figure for the bare syscall/sysret pair on Skylake-class cores, and the kernel's entry stub saves
// the full register frame: estimated 300 cycles (100 ns at 3 GHz).
inline constexpr std::uint64_t kSyscallEntry = 300;

// The architectural half of a context switch (redox-kernel.md §2 "x86_64 switch_to"): TSS rsp0 and
// the I/O-bitmap flag, eager FPU save/restore with xsaveopt/xrstor, FS/GS base, CR3 when the address
// space changes. §8 (rsoc-eevdf.md) measured a whole yield_now switch at 350 ns once run queues were
// per-CPU (QEMU); that includes the run-queue pick and the lock, so it bounds this figure from above.
// Estimate: 700 cycles (233 ns at 3 GHz), about two thirds of that 350 ns.
inline constexpr std::uint64_t kContextSwitch = 700;

// Fixed part of choosing the next context (select_next_context bookkeeping, re-queueing the
// previous one, draining the local wakeup list). Estimate: 150 cycles; with kContextSwitch it stays
// within the §8 350 ns per-CPU yield bound above.
inline constexpr std::uint64_t kRunQueuePick = 150;

// DWRR visits queues cyclically and may skip many before picking (redox-kernel.md §2 DWRR, cap 5000
// iterations); each visit is a few loads and an add/compare. Estimate: 4 cycles per queue visited.
inline constexpr std::uint64_t kDwrrVisit = 4;

// DWRR's switch rescans the global IDLE_CONTEXTS list linearly (redox-kernel.md §2 DWRR): per entry a
// read-lock of the context's RwLock (a locked RMW, ~20 cycles), the status check (a load that
// usually misses L1 for a context not touched since it blocked, ~15 cycles), the unlock (~20) and the
// loop. Estimate: 60 cycles per waiting context. Not fitted to the published ping-pong figures (§8).
inline constexpr std::uint64_t kIdleContextScanPerEntry = 60;

// Moving one context into this CPU's queue from the wakeup list or a steal victim (pointer moves,
// weight bookkeeping). Estimate: 40 cycles per context.
inline constexpr std::uint64_t kQueueMove = 40;

// Software around sending one IPI (building the ICR value, the percpu lookup); the ICR access itself
// and the xAPIC delivery-status poll are host-charged MMIO/MSR accesses. Estimate: 50 cycles.
inline constexpr std::uint64_t kIpiSend = 50;

// tick() bookkeeping (redox-kernel.md §1 "tick()": per-CPU counter, threshold and lock check).
// Estimate: 100 cycles.
inline constexpr std::uint64_t kTickHandler = 100;

// The BSP's timer interrupt body besides tick(): OFFSET += RATE and the relay decision
// (redox-kernel.md §1 "One tick, BSP"). Estimate: 80 cycles.
inline constexpr std::uint64_t kTimerInterrupt = 80;

// timeout::trigger walks the global timeout list linearly on every BSP tick (redox-kernel.md §1):
// fixed part plus a compare per entry. Estimates: 60 cycles + 15 cycles per entry.
inline constexpr std::uint64_t kTimeoutScan = 60;
inline constexpr std::uint64_t kTimeoutScanPerEntry = 15;

// wakeup_context: state change, choosing the target CPU's list (redox-kernel.md §2 "Wakeups").
// Estimate: 120 cycles.
inline constexpr std::uint64_t kWakeup = 120;

// irq_trigger for a device line: COUNTS[irq]++, posting EVENT_READ to the open handles
// (redox-kernel.md §3). The entry/exit stub of the interrupt is host-charged. Estimate: 150 cycles.
inline constexpr std::uint64_t kIrqTrigger = 150;

// The irq: scheme read (count compare) or write (ack compare + unmask decision), besides the
// syscall entry itself and the unmask access. Estimate: 80 cycles.
inline constexpr std::uint64_t kIrqSchemeOp = 80;

// Thread creation (redox-kernel.md §7). An IPC round trip to procmgr is charged, not scheduled (the
// host has no procmgr task): the caller's user-scheme call blocks and procmgr is woken through its
// event queue, i.e. two context switches each with a pick, plus the user-scheme packet copy and
// procmgr's handling of one dup. No published thread-creation figure exists (§8). Estimates:
//   packet copy in and out of the user scheme ([K] src/scheme/user.rs): 400 cycles,
//   procmgr handling one request (a kernel dup/attr write of its own): 1500 cycles,
//   one direct kernel write on a thread fd (steps 4, 7, 9 of §7): 250 cycles besides its syscall entry,
//   allocating and initialising the context itself in the kernel: 2000 cycles.
inline constexpr std::uint64_t kUserSchemePacket = 400;
inline constexpr std::uint64_t kProcmgrRequest = 1500;
inline constexpr std::uint64_t kThreadFdWrite = 250;
inline constexpr std::uint64_t kContextAlloc = 2000;
inline constexpr std::uint64_t kIpcRoundTrip =
    2 * (kContextSwitch + kRunQueuePick) + 2 * kSyscallEntry + kUserSchemePacket + kProcmgrRequest;

} // namespace kut::costs
