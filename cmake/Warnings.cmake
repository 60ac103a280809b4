# Project-wide warning set; applied per target with x86sim_warnings(target).
function(x86sim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                           -Wimplicit-fallthrough)
  if(X86SIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
