#include "models/memory/system_memory.h"

#include "models/common/time.h"

#include <cstring>
#include <new>
#include <string>
#include <sys/mman.h>

namespace x86sim::models {

SystemMemory::SystemMemory(sc_core::sc_module_name name, SystemMemoryConfig config)
    : sc_module(name), socket("socket"), config_(config) {
    if (config_.size_bytes == 0) {
        throw std::invalid_argument(std::string(this->name()) + ": memory size must be > 0");
    }
    void* mapping = ::mmap(nullptr, config_.size_bytes, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) {
        throw std::bad_alloc();
    }
    base_ = static_cast<std::byte*>(mapping);
    socket.register_b_transport(this, &SystemMemory::b_transport);
    socket.register_get_direct_mem_ptr(this, &SystemMemory::get_direct_mem_ptr);
    socket.register_transport_dbg(this, &SystemMemory::transport_dbg);
}

SystemMemory::~SystemMemory() {
    ::munmap(base_, config_.size_bytes);
}

bool SystemMemory::in_range(std::uint64_t address, std::uint64_t length) const {
    return address < config_.size_bytes && length <= config_.size_bytes - address;
}

bool SystemMemory::read(std::uint64_t address, std::span<std::byte> out) const {
    if (!in_range(address, out.size())) {
        ++out_of_range_;
        return false;
    }
    std::memcpy(out.data(), base_ + address, out.size());
    return true;
}

bool SystemMemory::write(std::uint64_t address, std::span<const std::byte> in) {
    if (!in_range(address, in.size())) {
        ++out_of_range_;
        return false;
    }
    std::memcpy(base_ + address, in.data(), in.size());
    return true;
}

std::byte* SystemMemory::host_pointer(std::uint64_t address, std::uint64_t length) {
    return in_range(address, length) ? base_ + address : nullptr;
}

void SystemMemory::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    const auto address = payload.get_address();
    const auto length = payload.get_data_length();
    if (payload.get_byte_enable_ptr() != nullptr) {
        payload.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    if (!in_range(address, length)) {
        ++out_of_range_;
        payload.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (payload.is_read()) {
        std::memcpy(payload.get_data_ptr(), base_ + address, length);
    } else if (payload.is_write()) {
        std::memcpy(base_ + address, payload.get_data_ptr(), length);
    }
    delay += from_ps(config_.access_latency_ps);
    payload.set_dmi_allowed(true);
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool SystemMemory::get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
    dmi.set_dmi_ptr(reinterpret_cast<unsigned char*>(base_));
    dmi.set_start_address(0);
    dmi.set_end_address(config_.size_bytes - 1);
    dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
    dmi.set_read_latency(from_ps(config_.access_latency_ps));
    dmi.set_write_latency(from_ps(config_.access_latency_ps));
    return true;
}

unsigned SystemMemory::transport_dbg(tlm::tlm_generic_payload& payload) {
    const auto address = payload.get_address();
    const auto length = payload.get_data_length();
    if (!in_range(address, length)) {
        return 0;
    }
    if (payload.is_read()) {
        std::memcpy(payload.get_data_ptr(), base_ + address, length);
    } else if (payload.is_write()) {
        std::memcpy(base_ + address, payload.get_data_ptr(), length);
    }
    return length;
}

} // namespace x86sim::models
