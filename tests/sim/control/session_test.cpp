// The protocol session on a fake machine (no SystemC): QEMU reply formats, argument checking, journal.
#include "sim/control/core/fake_machine.h"
#include "sim/control/core/line_framer.h"
#include "sim/control/core/numbers.h"
#include "sim/control/core/session.h"

#include <gtest/gtest.h>

namespace x86sim::control {
namespace {

class SessionTest : public ::testing::Test {
  protected:
    std::string run(const std::string& line) { return session.handle_line(line); }
    FakeMachine machine;
    Session session{machine};
};

TEST_F(SessionTest, QemuReplyFormats) {
    EXPECT_EQ(run("writel 0x100 0x12345678"), "OK\n");
    EXPECT_EQ(run("readl 0x100"), "OK 0x0000000012345678\n");
    EXPECT_EQ(run("readb 0x100"), "OK 0x0000000000000078\n");
    EXPECT_EQ(run("writeb 0x100 0x1ff"), "OK\n"); // truncated to the width, as QEMU does
    EXPECT_EQ(run("readw 0x100"), "OK 0x00000000000056ff\n");
    EXPECT_EQ(run("read 0x100 3"), "OK 0xff5634\n");
    EXPECT_EQ(run("write 0x200 4 0xaabb"), "OK\n"); // short data: the rest is zero
    EXPECT_EQ(run("read 0x200 4"), "OK 0xaabb0000\n");
    EXPECT_EQ(run("memset 0x200 2 0x11"), "OK\n");
    EXPECT_EQ(run("readl 0x200"), "OK 0x0000000000001111\n");
    EXPECT_EQ(run("outw 0x80 0x12345"), "OK\n");
    EXPECT_EQ(run("inw 0x80"), "OK 0x2345\n");
    EXPECT_EQ(run("inb 0x81"), "OK 0xffffffff\n");
    EXPECT_EQ(run("clock_step 100"), "OK 100\n");
    EXPECT_EQ(run("clock_step"), "OK 1100\n");
    EXPECT_EQ(run("clock_set 50"), "OK 1100\n");
    EXPECT_EQ(run("endianness"), "OK little\n");
}

TEST_F(SessionTest, AsyncLinesComeBeforeTheReply) {
    EXPECT_EQ(run("irq_intercept_in ioapic"), "IRQ raise 2\nOK\n");
    EXPECT_EQ(run("irq_intercept_in qom/nothing"), "FAIL Unknown device\n");
}

TEST_F(SessionTest, DecimalAndHexNumbers) {
    EXPECT_EQ(parse_number("0x1F"), 31U);
    EXPECT_EQ(parse_number("31"), 31U);
    EXPECT_EQ(parse_number("0xffffffffffffffff"), UINT64_MAX);
    EXPECT_FALSE(parse_number("0x10000000000000000"));
    EXPECT_FALSE(parse_number("18446744073709551616"));
    EXPECT_FALSE(parse_number("-1"));
    EXPECT_FALSE(parse_number(""));
    EXPECT_FALSE(parse_number("0x"));
    EXPECT_EQ(parse_duration_ps("250"), 250'000U);
    EXPECT_EQ(parse_duration_ps("1.5ms"), 1'500'000'000U);
    EXPECT_EQ(parse_duration_ps("20us"), 20'000'000U);
    EXPECT_EQ(parse_duration_ps("7ps"), 7U);
    EXPECT_FALSE(parse_duration_ps("1.5ps"));
    EXPECT_FALSE(parse_duration_ps("soon"));
    EXPECT_FALSE(parse_duration_ps("99999999999999999999s"));
}

TEST_F(SessionTest, MalformedLinesFailAndChangeNothing) {
    EXPECT_EQ(run("readl zzz"), "FAIL readl: invalid address 'zzz' (0x hex or decimal)\n");
    EXPECT_EQ(run("writel 0x100"), "FAIL writel: missing argument (usage: writel ADDR VALUE)\n");
    EXPECT_EQ(run("nonsense"), "FAIL Unknown command 'nonsense'\n");
    EXPECT_EQ(run(""), "FAIL Unknown command ''\n");
    EXPECT_EQ(run("inb 70000"), "FAIL inb: port '70000' out of range (max 65535)\n");
    EXPECT_TRUE(machine.memory.empty());
    EXPECT_TRUE(machine.journal_lines.empty());
}

TEST_F(SessionTest, CpuSelectionAndMsrs) {
    EXPECT_EQ(run("cpu 1"), "OK {\"cpu\":1}\n");
    EXPECT_EQ(session.selected_cpu(), 1U);
    EXPECT_EQ(run("cpu 2"), "FAIL cpu: no CPU 2 (this platform has 2)\n");
    EXPECT_EQ(run("wrmsr 0x808 0x20"), "OK\n");
    EXPECT_EQ(run("rdmsr 0x808"), "OK 0x0000000000000020\n");
    EXPECT_EQ(run("rdmsr 0x12"), "FAIL gp\n");
    EXPECT_EQ(machine.journal_lines,
              (std::vector<std::string>{"cpu 1", "wrmsr 0x808 0x20", "rdmsr 0x808", "rdmsr 0x12"}));
}

TEST_F(SessionTest, DebuggerRequestsAreDecoded) {
    const auto reply = run("break irq 0x30 cpu 1");
    EXPECT_NE(reply.find("\"number\":48"), std::string::npos) << reply;
    EXPECT_NE(reply.find("\"break_cpu\":1"), std::string::npos) << reply;
    EXPECT_NE(run("break storm 100 10us").find("\"time_ps\":10000000"), std::string::npos);
    EXPECT_NE(run("break storm 100").find("\"time_ps\":1000000000"), std::string::npos); // default 1 ms
    EXPECT_NE(run("events").find("\"number\":20"), std::string::npos);
    EXPECT_NE(run("info lapic 1").find("\"name\":\"1\""), std::string::npos);
    EXPECT_EQ(run("break irq 0x30 cpu"), "FAIL break irq: expected 'cpu N' after the arguments\n");
    EXPECT_EQ(run("step 0"), "FAIL step: the count must be at least 1\n");
    // Invalid UTF-8 in a name is replaced in the JSON, never thrown.
    EXPECT_EQ(run("watch \xff\xfe.reg").rfind("OK {", 0), 0U);
}

TEST(LineFramer, SplitsLinesDropsCrAndBoundsOversizedLines) {
    LineFramer framer;
    auto lines = framer.feed("a\r\nb");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].text, "a");
    lines = framer.feed("c\n");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].text, "bc");
    lines = framer.feed(std::string(kMaxLineBytes + 10, 'x'));
    EXPECT_TRUE(lines.empty());
    EXPECT_LE(framer.pending(), kMaxLineBytes);
    lines = framer.feed("yyy\nok\n");
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_TRUE(lines[0].oversized);
    EXPECT_EQ(lines[1].text, "ok");
}

} // namespace
} // namespace x86sim::control
