// Finding the guest: the reference kernel linked into x86sim (kernel_under_test, `kut_guest_entry`), or a
// shared library given with `x86sim run --guest PATH.so` (design/GUEST-MODEL.md "Guests other than the
// reference kernel"). Either way the table is checked before the simulation starts: the symbol exists,
// abi_version == KUT_ABI_VERSION, the table is as large as this host's kut_guest, and every entry point
// is non-null; every problem is named.
#pragma once

#include "kut/guest.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace x86sim::sim::guest {

class GuestLoadError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// What is wrong with a guest table (empty: nothing).
std::vector<std::string> check_guest(const kut_guest* guest);

// check_guest as one message "guest NAME: problem; problem", or throws nothing when fine.
void require_valid_guest(const kut_guest* guest, const std::string& what);

// The reference kernel linked into this binary, or nullptr when the build has none yet.
const kut_guest* reference_guest();

// A guest shared library, loaded with dlopen (RTLD_NOW | RTLD_LOCAL) and kept loaded for the life of the
// process (a guest may have thread-local or static state the run still uses).
class GuestLibrary {
  public:
    // Throws GuestLoadError naming the path and everything that is missing.
    static std::shared_ptr<GuestLibrary> open(const std::string& path);

    const kut_guest* table() const { return table_; }
    const std::string& path() const { return path_; }

  private:
    GuestLibrary(std::string path, void* handle, const kut_guest* table)
        : path_(std::move(path)), handle_(handle), table_(table) {}

    std::string path_;
    void* handle_ = nullptr;
    const kut_guest* table_ = nullptr;
};

} // namespace x86sim::sim::guest
