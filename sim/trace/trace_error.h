// A trace file that cannot be written (bad --out directory, full disk): reported as bad input.
#pragma once

#include <stdexcept>

namespace x86sim::trace {

class TraceError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

} // namespace x86sim::trace
