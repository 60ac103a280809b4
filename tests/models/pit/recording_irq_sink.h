// A test fake for the far end of an IrqLine: records every level change with its simulated time, so
// tests can assert exact edge times. Shared by the PIT and HPET tests.
#pragma once

#include "models/common/irq_line.h"
#include "tests/support/sim_test.h"

#include <cstdint>
#include <vector>

namespace x86sim::test {

struct IrqChange {
    unsigned input = 0;
    bool asserted = false;
    std::uint64_t time_ps = 0;
};

class RecordingIrqSink : public models::IrqLineSink {
  public:
    void set_irq_input(unsigned input, bool asserted) override {
        changes.push_back({input, asserted, now_ps()});
    }

    std::vector<std::uint64_t> times(unsigned input, bool asserted) const {
        std::vector<std::uint64_t> result;
        for (const auto& change : changes) {
            if (change.input == input && change.asserted == asserted) {
                result.push_back(change.time_ps);
            }
        }
        return result;
    }
    std::vector<std::uint64_t> rising(unsigned input = 0) const { return times(input, true); }
    std::vector<std::uint64_t> falling(unsigned input = 0) const { return times(input, false); }
    // The level the sink last saw on `input` (false if never driven).
    bool level(unsigned input = 0) const {
        bool result = false;
        for (const auto& change : changes) {
            if (change.input == input) {
                result = change.asserted;
            }
        }
        return result;
    }
    void clear() { changes.clear(); }

    std::vector<IrqChange> changes;
};

} // namespace x86sim::test
