#include "models/common/time.h"
#include "models/memory/system_memory.h"

#include <array>
#include <cstring>
#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

namespace x86sim::models {
namespace {

struct Initiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket{"socket"};
    explicit Initiator(sc_core::sc_module_name name) : sc_module(name) {}
};

TEST(SystemMemory, UntouchedMemoryReadsZeroAndWritesRoundTrip) {
    SystemMemory memory("ram", {.size_bytes = 1ULL << 30});
    std::array<std::byte, 8> buffer{};
    ASSERT_TRUE(memory.read(0x3FFF'FFF8, buffer));
    for (auto byte : buffer) {
        EXPECT_EQ(byte, std::byte{0});
    }
    const std::array<std::byte, 4> data{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};
    ASSERT_TRUE(memory.write(0x1000, data));
    std::array<std::byte, 4> back{};
    ASSERT_TRUE(memory.read(0x1000, back));
    EXPECT_EQ(back, data);
}

TEST(SystemMemory, OutOfRangeIsRefusedAndCounted) {
    SystemMemory memory("ram", {.size_bytes = 4096});
    std::array<std::byte, 8> buffer{};
    EXPECT_FALSE(memory.read(4092, buffer));
    EXPECT_FALSE(memory.write(~0ULL - 2, buffer));
    EXPECT_EQ(memory.out_of_range_accesses(), 2U);
    EXPECT_EQ(memory.host_pointer(4090, 8), nullptr);
    EXPECT_NE(memory.host_pointer(4088, 8), nullptr);
}

TEST(SystemMemory, TlmAccessAndDmi) {
    SystemMemory memory("ram", {.size_bytes = 1 << 20, .access_latency_ps = 60'000});
    Initiator cpu("cpu");
    cpu.socket.bind(memory.socket);

    std::uint32_t value = 0xCAFEF00D;
    tlm::tlm_generic_payload payload;
    payload.set_command(tlm::TLM_WRITE_COMMAND);
    payload.set_address(0x200);
    payload.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    payload.set_data_length(4);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    cpu.socket->b_transport(payload, delay);
    EXPECT_EQ(payload.get_response_status(), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(to_ps(delay), 60'000U);
    EXPECT_TRUE(payload.is_dmi_allowed());

    tlm::tlm_dmi dmi;
    ASSERT_TRUE(cpu.socket->get_direct_mem_ptr(payload, dmi));
    std::uint32_t through_dmi = 0;
    std::memcpy(&through_dmi, dmi.get_dmi_ptr() + 0x200, 4);
    EXPECT_EQ(through_dmi, 0xCAFEF00DU);

    payload.set_address(1 << 20);
    cpu.socket->b_transport(payload, delay);
    EXPECT_EQ(payload.get_response_status(), tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

} // namespace
} // namespace x86sim::models
