// x86sim entry point. Our own main() (instead of SystemC's) so that the SystemC banner is disabled
// before the library prints it; sc_elab_and_sim() then calls sc_main() as usual.
#include "sim/cli/cli_app.h"

#include <cstdlib>
#include <systemc>

int sc_main(int argc, char* argv[]) {
    // Keep SystemC's informational reports (e.g. deprecation notes) out of user-facing output.
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    return x86sim::cli::run_cli(argc, argv);
}

int main(int argc, char* argv[]) {
    ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
