// kerrno.h - the error numbers system calls return (negated, as Redox syscalls do).
#pragma once

#include <cstdint>

namespace kut::err {
inline constexpr std::int64_t kSrch = -3;   // ESRCH: no such task
inline constexpr std::int64_t kExist = -17; // EEXIST
inline constexpr std::int64_t kInval = -22; // EINVAL
inline constexpr std::int64_t kNoSys = -38; // ENOSYS
} // namespace kut::err
