// Register and state dumps of the models as JSON, for `info` and for tests that compare two runs.
// Register values are hex strings ("0x000001ff"); counts and times are numbers; IRR/ISR/TMR are given
// both as the 64-digit hex string (vector 255 leftmost) and as the list of set vectors.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace x86sim::models {
class Lapic;
class Ioapic;
class Pit8254;
class Pic8259Pair;
class PciFunction;
} // namespace x86sim::models

namespace x86sim::control {

std::string hex_string(std::uint64_t value, int digits = 8);

nlohmann::json lapic_json(const models::Lapic& lapic, unsigned cpu);
nlohmann::json ioapic_json(const models::Ioapic& ioapic);
nlohmann::json pit_json(const models::Pit8254& pit);
nlohmann::json pic_json(const models::Pic8259Pair& pic);
// One PCI function: header registers, BARs (as assigned, with sizes), MSI and MSI-X state. Non-const
// because the models' MSI capability view is reached through a non-const accessor; nothing is written
// (configuration reads use the side-effect-free config_peek).
nlohmann::json pci_function_json(models::PciFunction& function, std::string_view kind);

} // namespace x86sim::control
