#include "tests/kernel_under_test/fake_hal.h"

#include "muldiv.h"

namespace kut_test {

namespace {

FakeHal& self(void* host) {
    return *static_cast<FakeHal*>(host);
}

constexpr std::uint64_t kLapicBase = 0xFEE00000;
constexpr std::uint64_t kIoapicBase = 0xFEC00000;
constexpr std::uint64_t kHpetBase = 0xFED00000;

} // namespace

kut_config upstream_config(std::uint32_t cpus) {
    kut_config config{};
    config.size = sizeof config;
    config.cpus = cpus;
    config.cpu_hz = 3'000'000'000;
    config.tick_source = KUT_TICK_PIT;
    config.switch_ticks = 3;
    return config;
}

FakeHal::FakeHal(std::uint32_t cpu_count) : cpus(cpu_count) {
    table.abi_version = KUT_ABI_VERSION;
    table.size = sizeof(kut_hal);
    table.host = this;
    table.mmio_read = [](void* h, uint32_t cpu, uint64_t a, uint32_t s) {
        return self(h).mmio_read(cpu, a, s);
    };
    table.mmio_write = [](void* h, uint32_t cpu, uint64_t a, uint32_t s, uint64_t v) {
        self(h).mmio_write(cpu, a, s, v);
    };
    table.port_in = [](void* h, uint32_t cpu, uint16_t p, uint32_t) { return self(h).port_in(cpu, p); };
    table.port_out = [](void* h, uint32_t cpu, uint16_t p, uint32_t, uint32_t v) {
        self(h).port_out(cpu, p, v);
    };
    table.rdmsr = [](void* h, uint32_t cpu, uint32_t i, uint64_t* v) { return self(h).rdmsr(cpu, i, v); };
    table.wrmsr = [](void* h, uint32_t cpu, uint32_t i, uint64_t v) { return self(h).wrmsr(cpu, i, v); };
    table.cpuid = [](void* h, uint32_t cpu, uint32_t leaf, uint32_t, uint32_t out[4]) {
        out[0] = out[1] = out[2] = out[3] = 0;
        if (leaf == 1) {
            out[1] = cpu << 24;
            out[2] = (1u << 21) | (self(h).tsc_deadline ? (1u << 24) : 0u);
            out[3] = 1u << 9;
        }
    };
    table.rdtsc = [](void* h, uint32_t) {
        FakeHal& f = self(h);
        return kut::mul_div(f.time_fs, f.tsc_hz, kFsPerSecond);
    };
    table.cli = [](void*, uint32_t) {};
    table.sti = [](void*, uint32_t) {};
    table.interrupts_enabled = [](void*, uint32_t) { return 1; };
    table.hlt = [](void* h, uint32_t cpu) {
        ++self(h).hlts[cpu];
        if (self(h).on_hlt) {
            auto hook = std::move(self(h).on_hlt); // one-shot
            self(h).on_hlt = nullptr;
            hook(cpu);
        }
    };
    table.spend = [](void* h, uint32_t, uint64_t cycles) {
        FakeHal& f = self(h);
        f.spent_cycles += cycles;
        f.time_fs += kut::mul_div(cycles, kFsPerSecond, f.cpu_hz);
    };
    table.lock_create = [](void* h, const char* name) {
        FakeHal& f = self(h);
        f.lock_names.emplace_back(name);
        return static_cast<kut_lock_id>(f.lock_names.size());
    };
    table.spin_lock = [](void*, uint32_t, kut_lock_id) {};
    table.spin_unlock = [](void*, uint32_t, kut_lock_id) {};
    table.spin_trylock = [](void* h, uint32_t, kut_lock_id id) {
        FakeHal& f = self(h);
        return f.busy_locks.count(f.lock_names.at(id - 1)) != 0 ? 0 : 1;
    };
    table.phys_alloc = [](void*, uint64_t, uint64_t) { return uint64_t{0}; };
    table.host_pointer = [](void*, uint64_t, uint64_t) -> void* { return nullptr; };
    table.switch_to = [](void* h, uint32_t cpu, kut_task_id task) {
        self(h).switched_to[cpu] = task;
        self(h).switch_log.emplace_back(cpu, task);
    };
    table.now_ps = [](void* h) { return self(h).now_ps(); };
    table.log = [](void* h, uint32_t, int, const char* message) { self(h).logs.emplace_back(message); };
    table.metric_add = [](void* h, const char* name, uint64_t delta) { self(h).counters[name] += delta; };
    table.metric_set = [](void* h, const char* name, double value) { self(h).gauges[name] = value; };
    table.metric_sample = [](void* h, const char* name, uint64_t ps) { self(h).samples[name].push_back(ps); };
}

std::vector<Access> FakeHal::filter(Kind kind) const {
    std::vector<Access> out;
    for (const auto& a : accesses) {
        if (a.kind == kind) {
            out.push_back(a);
        }
    }
    return out;
}

std::vector<std::pair<std::uint16_t, std::uint8_t>> FakeHal::port_writes() const {
    std::vector<std::pair<std::uint16_t, std::uint8_t>> out;
    for (const auto& a : accesses) {
        if (a.kind == Kind::port_out) {
            out.emplace_back(static_cast<std::uint16_t>(a.address), static_cast<std::uint8_t>(a.value));
        }
    }
    return out;
}

std::uint64_t FakeHal::counter(const std::string& name) const {
    const auto it = counters.find(name);
    return it == counters.end() ? 0 : it->second;
}

std::uint32_t FakeHal::lapic_reg(std::uint32_t cpu, std::uint32_t reg) const {
    const auto it = lapic_regs.find((std::uint64_t{cpu} << 32) | reg);
    return it == lapic_regs.end() ? 0 : it->second;
}

void FakeHal::clear_records() {
    accesses.clear();
    ipis.clear();
    switch_log.clear();
    counters.clear();
    samples.clear();
    logs.clear();
}

std::uint64_t FakeHal::hpet_counter() const {
    return hpet_enabled ? (time_fs - hpet_enabled_since_fs) / hpet_period_fs : 0;
}

std::uint32_t FakeHal::lapic_read(std::uint32_t cpu, std::uint32_t reg) {
    switch (reg) {
    case 0x020:
        return x2apic_mode ? cpu : cpu << 24;
    case 0x300:
        return lapic_reg(cpu, reg) & ~(1u << 12); // never busy
    case 0x390: {
        const std::uint32_t initial = lapic_reg(cpu, 0x380);
        const std::uint64_t elapsed =
            kut::mul_div(time_fs - lapic_timer_start_fs[cpu], lapic_timer_hz, kFsPerSecond);
        return elapsed >= initial ? 0 : static_cast<std::uint32_t>(initial - elapsed);
    }
    default:
        return lapic_reg(cpu, reg);
    }
}

void FakeHal::lapic_write(std::uint32_t cpu, std::uint32_t reg, std::uint64_t value) {
    lapic_regs[(std::uint64_t{cpu} << 32) | reg] = static_cast<std::uint32_t>(value);
    if (reg == 0x380) {
        lapic_timer_start_fs[cpu] = time_fs;
    } else if (reg == 0x310) {
        icr_high[cpu] = static_cast<std::uint32_t>(value);
    } else if (reg == 0x300) {
        const std::uint32_t destination =
            x2apic_mode ? static_cast<std::uint32_t>(value >> 32) : icr_high[cpu] >> 24;
        ipis.push_back({cpu, destination, static_cast<std::uint32_t>(value)});
    }
}

std::uint64_t FakeHal::mmio_read(std::uint32_t cpu, std::uint64_t address, std::uint32_t) {
    time_fs += mmio_cost_fs;
    std::uint64_t value = 0;
    if (address >= kLapicBase && address < kLapicBase + 0x1000) {
        value = lapic_read(cpu, static_cast<std::uint32_t>(address - kLapicBase));
    } else if (address == kIoapicBase + 0x10) {
        value = ioregsel == 1 ? 0x00170020u : ioapic_regs[ioregsel];
    } else if (address >= kHpetBase && address < kHpetBase + 0x400) {
        const auto reg = static_cast<std::uint32_t>(address - kHpetBase);
        if (reg == 0x000) {
            value = (hpet_period_fs << 32) | (hpet_legacy_capable ? (1u << 15) : 0u) | (1u << 13) |
                    (2u << 8) | 1u;
        } else if (reg == 0x0F0) {
            value = hpet_counter();
        } else if (reg == 0x100) {
            value = (hpet_regs[reg] & ~0x30ull) | 0x30; // periodic- and 64-bit-capable
        } else {
            value = hpet_regs[reg];
        }
    }
    accesses.push_back({Kind::mmio_read, cpu, address, value});
    return value;
}

void FakeHal::mmio_write(std::uint32_t cpu, std::uint64_t address, std::uint32_t, std::uint64_t value) {
    time_fs += mmio_cost_fs;
    accesses.push_back({Kind::mmio_write, cpu, address, value});
    if (address >= kLapicBase && address < kLapicBase + 0x1000) {
        lapic_write(cpu, static_cast<std::uint32_t>(address - kLapicBase), value);
    } else if (address == kIoapicBase) {
        ioregsel = static_cast<std::uint32_t>(value);
    } else if (address == kIoapicBase + 0x10) {
        ioapic_regs[ioregsel] = static_cast<std::uint32_t>(value);
    } else if (address >= kHpetBase && address < kHpetBase + 0x400) {
        const auto reg = static_cast<std::uint32_t>(address - kHpetBase);
        hpet_regs[reg] = value;
        if (reg == 0x010) {
            const bool enable = (value & 1) != 0;
            if (enable && !hpet_enabled) {
                hpet_enabled_since_fs = time_fs;
            }
            hpet_enabled = enable;
        }
    }
}

std::uint32_t FakeHal::port_in(std::uint32_t cpu, std::uint16_t port) {
    time_fs += port_cost_fs;
    std::uint32_t value = 0;
    if (port == 0x61) {
        const bool out2 = pit_ch2_armed && time_fs >= pit_ch2_start_fs + (pit_ch2_count + 1) * kPitPeriodFs;
        value = (port61 & 0x0F) | (out2 ? 0x20u : 0u);
    } else if (port == 0x40 && pit_ch0_latch_byte >= 0) {
        value = pit_ch0_latch_byte == 0 ? (pit_ch0_latch & 0xFF) : (pit_ch0_latch >> 8);
        pit_ch0_latch_byte = pit_ch0_latch_byte == 0 ? 1 : -1;
    }
    accesses.push_back({Kind::port_in, cpu, port, value});
    return value;
}

void FakeHal::port_out(std::uint32_t cpu, std::uint16_t port, std::uint32_t value) {
    time_fs += port_cost_fs;
    accesses.push_back({Kind::port_out, cpu, port, value});
    if (port == 0x61) {
        port61 = static_cast<std::uint8_t>(value);
    } else if (port == 0x43) {
        if (value == 0x34) {
            pit_ch0_byte = 0;
        } else if (value == 0x00) {
            const std::uint64_t clocks = (time_fs - pit_ch0_start_fs) / kPitPeriodFs;
            pit_ch0_latch = static_cast<std::uint16_t>(pit_ch0_reload - clocks % pit_ch0_reload);
            pit_ch0_latch_byte = 0;
        } else if (value == 0xB0) {
            pit_ch2_byte = 0;
            pit_ch2_armed = false;
        }
    } else if (port == 0x40) {
        if (pit_ch0_byte == 0) {
            pit_ch0_reload = value & 0xFF;
            pit_ch0_byte = 1;
        } else {
            pit_ch0_reload |= (value & 0xFF) << 8;
            if (pit_ch0_reload == 0) {
                pit_ch0_reload = 0x10000;
            }
            pit_ch0_start_fs = time_fs;
            pit_ch0_byte = 0;
        }
    } else if (port == 0x42) {
        if (pit_ch2_byte == 0) {
            pit_ch2_count = value & 0xFF;
            pit_ch2_byte = 1;
        } else {
            pit_ch2_count |= (value & 0xFF) << 8;
            pit_ch2_start_fs = time_fs;
            pit_ch2_armed = (port61 & 1) != 0;
            pit_ch2_byte = 0;
        }
    }
}

int FakeHal::rdmsr(std::uint32_t cpu, std::uint32_t index, std::uint64_t* value) {
    time_fs += msr_cost_fs;
    if (index == 0x1B) {
        const auto it = apic_base.find(cpu);
        *value = it != apic_base.end() ? it->second
                                       : (0xFEE00000ull | (1u << 11) | (x2apic_mode ? (1u << 10) : 0u) |
                                          (cpu == 0 ? (1u << 8) : 0u));
    } else if (index >= 0x800 && index <= 0x8FF) {
        if (!x2apic_mode) {
            return KUT_GP;
        }
        *value = lapic_read(cpu, (index - 0x800) << 4);
    } else if (index == 0x6E0) {
        *value = tsc_deadline_msr[cpu];
    } else {
        *value = 0;
    }
    accesses.push_back({Kind::rdmsr, cpu, index, *value});
    return KUT_OK;
}

int FakeHal::wrmsr(std::uint32_t cpu, std::uint32_t index, std::uint64_t value) {
    time_fs += msr_cost_fs;
    accesses.push_back({Kind::wrmsr, cpu, index, value});
    if (index == 0x1B) {
        apic_base[cpu] = value;
        x2apic_mode = (value & (1u << 10)) != 0;
    } else if (index >= 0x800 && index <= 0x8FF) {
        if (!x2apic_mode) {
            return KUT_GP;
        }
        lapic_write(cpu, (index - 0x800) << 4, value);
    } else if (index == 0x6E0) {
        tsc_deadline_msr[cpu] = value;
    }
    return KUT_OK;
}

} // namespace kut_test
