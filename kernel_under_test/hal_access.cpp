#include "hal_access.h"

#include <cstdio>

namespace kut {

const char* Hal::missing_entry() const {
    if (t_ == nullptr) {
        return "the table itself";
    }
    struct Entry {
        const char* name;
        bool present;
    };
    const Entry entries[] = {
        {"mmio_read", t_->mmio_read != nullptr},
        {"mmio_write", t_->mmio_write != nullptr},
        {"port_in", t_->port_in != nullptr},
        {"port_out", t_->port_out != nullptr},
        {"rdmsr", t_->rdmsr != nullptr},
        {"wrmsr", t_->wrmsr != nullptr},
        {"cpuid", t_->cpuid != nullptr},
        {"rdtsc", t_->rdtsc != nullptr},
        {"cli", t_->cli != nullptr},
        {"sti", t_->sti != nullptr},
        {"hlt", t_->hlt != nullptr},
        {"spend", t_->spend != nullptr},
        {"lock_create", t_->lock_create != nullptr},
        {"spin_lock", t_->spin_lock != nullptr},
        {"spin_unlock", t_->spin_unlock != nullptr},
        {"spin_trylock", t_->spin_trylock != nullptr},
        {"switch_to", t_->switch_to != nullptr},
        {"now_ps", t_->now_ps != nullptr},
        {"log", t_->log != nullptr},
        {"metric_add", t_->metric_add != nullptr},
        {"metric_set", t_->metric_set != nullptr},
        {"metric_sample", t_->metric_sample != nullptr},
    };
    for (const auto& entry : entries) {
        if (!entry.present) {
            return entry.name;
        }
    }
    return nullptr;
}

void Hal::log(std::uint32_t cpu, int level, const char* format, ...) const {
    if (t_ == nullptr || t_->log == nullptr) {
        return;
    }
    char buffer[256];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    t_->log(t_->host, cpu, level, buffer);
}

} // namespace kut
