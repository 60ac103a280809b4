#include "sim/control/core/hop_text.h"

namespace x86sim::control {

const char* hop_kind_name(models::HopKind kind) {
    return models::to_string(kind);
}

HopRecord make_record(const models::InterruptHop& hop, std::uint64_t event, std::uint64_t hop_number) {
    return {event,     hop_number, hop.time_ps, hop.kind, hop.cpu, hop.vector, hop.source ? hop.source : "",
            hop.detail};
}

nlohmann::json to_json(const HopRecord& record) {
    nlohmann::json json;
    json["event"] = record.event;
    json["hop"] = record.hop;
    json["time_ps"] = record.time_ps;
    json["kind"] = hop_kind_name(record.kind);
    json["cpu"] = record.cpu;
    json["vector"] = record.vector;
    json["source"] = record.source;
    json["detail"] = record.detail;
    return json;
}

} // namespace x86sim::control
