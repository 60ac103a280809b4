// Runs the scenario's timeline: each action at its simulated time, in file order for equal times.
// Hardware-only actions (register pokes) act as the named CPU with no cost: the simulated machine sees
// them at exactly `at`. Values read (read/rdmsr/in) become metrics `timeline.<index>.value`; refused
// accesses (#GP, unclaimed addresses) are counted, never fatal.
#pragma once

#include "sim/platform/platform.h"
#include "sim/scenario/config.h"

#include <cstdint>
#include <map>
#include <systemc>
#include <vector>

namespace x86sim::sim {

class TimelineDriver : public sc_core::sc_module {
  public:
    SC_HAS_PROCESS(TimelineDriver);
    TimelineDriver(sc_core::sc_module_name name, Platform& platform,
                   const std::vector<scenario::TimelineEvent>& events);

    void report_metrics(models::MetricSink& sink) const;

  private:
    void run();
    void execute(std::size_t index, const scenario::TimelineAction& action);

    Platform& platform_;
    std::vector<std::pair<std::size_t, const scenario::TimelineEvent*>> order_; // (file index, event)
    std::map<std::size_t, std::uint64_t> values_;                               // file index -> value read
    std::uint64_t executed_ = 0;
    std::uint64_t gp_faults_ = 0;
    std::uint64_t unclaimed_ = 0;
};

} // namespace x86sim::sim
