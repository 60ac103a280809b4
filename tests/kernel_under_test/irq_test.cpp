// irq: scheme semantics (redox-kernel.md §3): legacy lines masked at delivery and unmasked only by
// writing back the exact count; MSI vectors never masked.
#include "tests/kernel_under_test/kernel_fixture.h"

#include <algorithm>

namespace kut_test {
namespace {

using PortWrite = std::pair<std::uint16_t, std::uint8_t>;
using kut::sched::TaskState;

class IrqTest : public KernelTest {
  protected:
    void start_one_task() {
        set_cpus(1);
        add(0, 1, KUT_CLASS_NORMAL, 0);
        boot();
        guest->idle(0);
        ASSERT_EQ(running(0), 1u);
    }
};

TEST_F(IrqTest, LegacyLineIsMaskedAtDeliveryAndUnmaskedByTheExactCount) {
    start_one_task();
    EXPECT_EQ(sys(0, KUT_SYS_IRQ_WAIT, 11), 0); // nothing yet: blocks
    EXPECT_EQ(task(1)->state, TaskState::irq_wait);
    EXPECT_EQ(running(0), KUT_IDLE_TASK);

    hal.clear_records();
    guest->interrupt(0, 32 + 11);
    // Mask IRQ11 in the slave IMR, then EOI slave and master.
    EXPECT_EQ(hal.port_writes(), (std::vector<PortWrite>{{0xA1, 0x08}, {0xA0, 0x20}, {0x20, 0x20}}));
    EXPECT_EQ(task(1)->state, TaskState::runnable);
    EXPECT_EQ(kernel->irq_scheme().count(11), 1u);
    guest->idle(0);
    ASSERT_EQ(running(0), 1u);

    EXPECT_EQ(sys(0, KUT_SYS_IRQ_WAIT, 11), 1); // the read: count 1, no blocking
    hal.clear_records();
    EXPECT_EQ(sys(0, KUT_SYS_IRQ_ACK, 11, 0), 0); // stale count: stays masked
    EXPECT_TRUE(hal.port_writes().empty());
    EXPECT_EQ(sys(0, KUT_SYS_IRQ_ACK, 11, 1), 8);
    EXPECT_EQ(hal.port_writes(), (std::vector<PortWrite>{{0xA1, 0x00}}));
    EXPECT_EQ(sys(0, KUT_SYS_IRQ_WAIT, 11), 0); // acked: the next wait blocks again
    EXPECT_EQ(task(1)->state, TaskState::irq_wait);
}

TEST_F(IrqTest, IoapicLineIsMaskedInItsRte) {
    cfg.have_ioapic = 1;
    cfg.irq_delivery = KUT_IRQ_MSIX; // Red Bear
    start_one_task();
    hal.clear_records();
    guest->interrupt(0, 32 + 11);
    EXPECT_EQ(hal.ioapic_regs[0x10 + 2 * 11], 0x2Bu | (1u << 16));
    EXPECT_EQ(hal.filter(Kind::mmio_write).back().address, 0xFEE000B0u); // LAPIC EOI last
    EXPECT_TRUE(hal.port_writes().empty());
    EXPECT_EQ(sys(0, KUT_SYS_IRQ_WAIT, 11), 1);
    EXPECT_EQ(sys(0, KUT_SYS_IRQ_ACK, 11, 1), 8);
    EXPECT_EQ(hal.ioapic_regs[0x10 + 2 * 11], 0x2Bu);
}

TEST_F(IrqTest, MsiVectorsAreCountedAndNeverMasked) {
    start_one_task();
    hal.clear_records();
    guest->interrupt(0, 50);
    guest->interrupt(0, 50);
    EXPECT_EQ(kernel->irq_scheme().count(18), 2u); // IRQ 18 = vector 50
    EXPECT_TRUE(hal.port_writes().empty());
    const auto writes = hal.filter(Kind::mmio_write);
    ASSERT_EQ(writes.size(), 2u);
    EXPECT_EQ(writes[0].address, 0xFEE000B0u);
    EXPECT_EQ(sys(0, KUT_SYS_IRQ_WAIT, 18), 2);
    EXPECT_EQ(sys(0, KUT_SYS_IRQ_ACK, 18, 2), 8);
    EXPECT_TRUE(hal.port_writes().empty());
}

TEST_F(IrqTest, KernelHandledLinesAreNotMasked) {
    start_one_task();
    hal.clear_records();
    guest->interrupt(0, 32 + 1); // keyboard
    EXPECT_EQ(hal.port_writes(), (std::vector<PortWrite>{{0x20, 0x20}}));
    EXPECT_EQ(kernel->irq_scheme().count(1), 1u);
}

TEST_F(IrqTest, SpuriousIrq7IsDetectedThroughTheIsr) {
    start_one_task();
    hal.clear_records();
    guest->interrupt(0, 32 + 7); // the fake's ISR reads 0: spurious
    EXPECT_EQ(hal.counter("kernel.spurious_vectors"), 1u);
    EXPECT_EQ(hal.port_writes(), (std::vector<PortWrite>{{0x20, 0x0B}})); // OCW3 read ISR, no EOI
    EXPECT_EQ(kernel->irq_scheme().count(7), 0u);
}

TEST_F(IrqTest, WaiterOnAnotherLineIsNotWoken) {
    start_one_task();
    EXPECT_EQ(sys(0, KUT_SYS_IRQ_WAIT, 5), 0);
    guest->interrupt(0, 32 + 6);
    EXPECT_EQ(task(1)->state, TaskState::irq_wait);
    EXPECT_EQ(guest->syscall(0, 1, KUT_SYS_IRQ_ACK, 6, 1, 0), -3); // blocked task cannot call
}

} // namespace
} // namespace kut_test
