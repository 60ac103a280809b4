#include "models/common/mmio.h"

#include "models/common/time.h"

#include <cstring>

namespace x86sim::models {

TlmMmioTarget::TlmMmioTarget(sc_core::sc_module_name name, MmioDevice& device)
    : sc_module(name), socket("socket"), device_(device) {
    socket.register_b_transport(this, &TlmMmioTarget::b_transport);
    socket.register_transport_dbg(this, &TlmMmioTarget::transport_dbg);
}

void TlmMmioTarget::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
    const unsigned size = payload.get_data_length();
    if (size != 1 && size != 2 && size != 4 && size != 8) {
        payload.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    std::uint64_t value = 0;
    MmioResult result;
    if (payload.is_read()) {
        result = device_.mmio_read(payload.get_address(), size, value);
        std::memcpy(payload.get_data_ptr(), &value, size);
    } else if (payload.is_write()) {
        std::memcpy(&value, payload.get_data_ptr(), size);
        result = device_.mmio_write(payload.get_address(), size, value);
    }
    delay += from_ps(result.delay_ps);
    payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned TlmMmioTarget::transport_dbg(tlm::tlm_generic_payload& payload) {
    sc_core::sc_time ignored = sc_core::SC_ZERO_TIME;
    b_transport(payload, ignored);
    return payload.get_data_length();
}

} // namespace x86sim::models
