// The raw SystemC cost every model benchmark is compared with: two SC_METHODs, each statically sensitive
// to its own event, each notifying the other 1 ns later (notes/systemc-on-debian.md §2, benchmark a).
// One operation = one method activation that advances simulated time.
#include "bench/bench_cases.h"
#include "models/common/time.h"

#include <systemc>

namespace x86sim::bench {
namespace {

struct PingPong : sc_core::sc_module {
    sc_core::sc_event ping_event;
    sc_core::sc_event pong_event;
    std::uint64_t activations = 0;
    std::uint64_t limit = 0;

    SC_HAS_PROCESS(PingPong);
    explicit PingPong(sc_core::sc_module_name name) : sc_module(name) {
        SC_METHOD(ping);
        sensitive << ping_event;
        dont_initialize();
        SC_METHOD(pong);
        sensitive << pong_event;
        dont_initialize();
    }
    void ping() { bounce(pong_event); }
    void pong() { bounce(ping_event); }
    void bounce(sc_core::sc_event& other) {
        if (++activations < limit) {
            other.notify(models::from_ps(1000));
        }
    }
};

std::uint64_t run_ping_pong(std::uint64_t ops) {
    static PingPong* model = new PingPong("pingpong");
    const auto start = model->activations;
    model->limit = start + ops;
    model->ping_event.notify(models::from_ps(1000));
    sc_core::sc_start();
    return model->activations - start;
}

const RegisterBenchCase registered("systemc_timed_event", "one SC_METHOD activation that advances time",
                                   run_ping_pong);

} // namespace
} // namespace x86sim::bench
