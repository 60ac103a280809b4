#include "sim/guest/guest_library.h"

#include <dlfcn.h>

namespace x86sim::sim::guest {

std::vector<std::string> check_guest(const kut_guest* guest) {
    std::vector<std::string> problems;
    if (guest == nullptr) {
        problems.emplace_back("kut_guest_entry() returned no table");
        return problems;
    }
    if (guest->abi_version != KUT_ABI_VERSION) {
        problems.push_back("built against guest ABI version " + std::to_string(guest->abi_version) +
                           ", this x86sim implements version " + std::to_string(KUT_ABI_VERSION));
        return problems; // the rest of the table cannot be trusted
    }
    if (guest->size < sizeof(kut_guest)) {
        problems.push_back("its kut_guest table has " + std::to_string(guest->size) +
                           " bytes, this x86sim needs " + std::to_string(sizeof(kut_guest)));
        return problems;
    }
    std::string missing;
    auto need = [&](bool present, const char* name) {
        if (!present) {
            missing += missing.empty() ? name : std::string(", ") + name;
        }
    };
    need(guest->init != nullptr, "init");
    need(guest->boot != nullptr, "boot");
    need(guest->ap_start != nullptr, "ap_start");
    need(guest->interrupt != nullptr, "interrupt");
    need(guest->syscall != nullptr, "syscall");
    need(guest->task_new != nullptr, "task_new");
    need(guest->idle != nullptr, "idle");
    if (!missing.empty()) {
        problems.push_back("missing entry points: " + missing);
    }
    return problems;
}

void require_valid_guest(const kut_guest* guest, const std::string& what) {
    const auto problems = check_guest(guest);
    if (problems.empty()) {
        return;
    }
    std::string message = what + ": ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
        message += (i > 0 ? "; " : "") + problems[i];
    }
    throw GuestLoadError(message);
}

// Defined by kernel_under_test when it is built, otherwise by the fallback library linked after it
// (sim/guest/no_reference_guest.cpp), which returns nullptr.
const kut_guest* reference_guest() {
    return kut_guest_entry();
}

std::shared_ptr<GuestLibrary> GuestLibrary::open(const std::string& path) {
    // dlopen searches the library path for names without a slash; a path given on the command line
    // means that file.
    const auto file = path.find('/') == std::string::npos ? "./" + path : path;
    void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* error = ::dlerror();
        throw GuestLoadError("guest " + path +
                             ": cannot load it: " + (error != nullptr ? error : "dlopen failed"));
    }
    ::dlerror();
    void* symbol = ::dlsym(handle, "kut_guest_entry");
    if (symbol == nullptr) {
        throw GuestLoadError("guest " + path +
                             ": no symbol kut_guest_entry (a guest library exports `const kut_guest* "
                             "kut_guest_entry(void)`, kut/guest.h)");
    }
    using Entry = const kut_guest* (*)();
    const auto entry = reinterpret_cast<Entry>(symbol);
    const kut_guest* table = entry();
    require_valid_guest(table, "guest " + path);
    return std::shared_ptr<GuestLibrary>(new GuestLibrary(path, handle, table));
}

} // namespace x86sim::sim::guest
