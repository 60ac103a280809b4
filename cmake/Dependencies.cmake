# Every dependency is a Debian 12 package (tools/install-deps.sh installs them).
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMC REQUIRED IMPORTED_TARGET systemc>=2.3.3)
pkg_check_modules(TLM REQUIRED IMPORTED_TARGET tlm)
find_package(Threads REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(Boost 1.74 REQUIRED)

# One target for "SystemC + TLM, compiled the way Debian's library was built".
add_library(x86sim_systemc INTERFACE)
target_link_libraries(x86sim_systemc INTERFACE PkgConfig::SYSTEMC PkgConfig::TLM Threads::Threads)
target_compile_definitions(x86sim_systemc INTERFACE SC_CPLUSPLUS=201703L)
# SystemC headers are not warning-clean under our flags: include them as system headers.
get_target_property(_sc_inc PkgConfig::SYSTEMC INTERFACE_INCLUDE_DIRECTORIES)
if(_sc_inc)
  target_include_directories(x86sim_systemc SYSTEM INTERFACE ${_sc_inc})
endif()

if(NOT X86SIM_FUZZ)
  find_package(GTest REQUIRED)
  if(X86SIM_BUILD_BENCH AND NOT X86SIM_SANITIZE)
    find_package(benchmark REQUIRED)
  endif()
endif()
