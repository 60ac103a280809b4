#include "sim/control/engine_process.h"

#include "sim/control/engine_loop.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace x86sim::control {

namespace {

// `x86sim serve` without FILE: one CPU, 64 MiB, PIT and IOAPIC, nothing programmed (the test owns the
// machine). The duration only bounds `continue`.
constexpr const char* kDefaultPlatform = R"(name: serve-default
description: x86sim serve without a scenario file
duration: 3600s
platform:
  cpus: 1
  memory: 64MiB
  pit: { enabled: true }
  ioapic: { enabled: true }
)";

} // namespace

scenario::Scenario load_source(const ScenarioSource& source) {
    scenario::LoadOptions options;
    options.overrides = source.overrides;
    options.variant = source.variant;
    options.seed = source.seed;
    if (!source.path) {
        return scenario::load_scenario_text(kDefaultPlatform, "<default platform>", options);
    }
    return scenario::load_scenario_file(*source.path, options);
}

EngineProcess::~EngineProcess() {
    stop();
}

void EngineProcess::start(const scenario::Scenario& scenario, const ScenarioSource& source,
                          const std::vector<int>& close_in_child) {
    int to_child[2];
    int from_child[2];
    if (::pipe(to_child) != 0) {
        throw std::runtime_error("cannot create a pipe for the simulation engine");
    }
    if (::pipe(from_child) != 0) {
        ::close(to_child[0]);
        ::close(to_child[1]);
        throw std::runtime_error("cannot create a pipe for the simulation engine");
    }
    std::fflush(nullptr);
    const auto pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("cannot start the simulation engine (fork failed)");
    }
    if (pid == 0) {
        for (const int fd : close_in_child) {
            ::close(fd);
        }
        ::close(to_child[1]);
        ::close(from_child[0]);
        if (to_engine_ >= 0) {
            ::close(to_engine_);
        }
        if (from_engine_ >= 0) {
            ::close(from_engine_);
        }
        std::signal(SIGPIPE, SIG_IGN);
        int code = 0;
        try {
            code = run_engine(scenario.config, source, to_child[0], from_child[1]);
        } catch (const std::exception& error) {
            // Reported as the reply to whatever the server sends first.
            const std::string reply = std::string("FAIL simulation engine: ") + error.what() + "\n";
            [[maybe_unused]] const auto ignored = ::write(from_child[1], reply.data(), reply.size());
            code = 3;
        }
        std::fflush(nullptr);
        ::_exit(code);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    pid_ = pid;
    to_engine_ = to_child[1];
    from_engine_ = from_child[0];
    framer_ = LineFramer{};
    pending_.clear();
}

void EngineProcess::stop() {
    if (pid_ <= 0) {
        return;
    }
    ::close(to_engine_);
    ::close(from_engine_);
    to_engine_ = from_engine_ = -1;
    // A running engine notices EOF between slices; give it a moment, then make sure.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
}

bool EngineProcess::send(const std::string& line) {
    return write_all(to_engine_, line + "\n");
}

bool EngineProcess::read_available(std::deque<std::string>& lines) {
    char buffer[65536];
    const auto got = ::read(from_engine_, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) {
        return true;
    }
    if (got <= 0) {
        return false;
    }
    for (auto& line : framer_.feed(std::string_view(buffer, static_cast<std::size_t>(got)))) {
        lines.push_back(line.oversized ? "FAIL reply too long" : std::move(line.text));
    }
    return true;
}

bool EngineProcess::wait_reply(std::string& reply, std::vector<std::string>& async) {
    while (true) {
        while (!pending_.empty()) {
            auto line = std::move(pending_.front());
            pending_.pop_front();
            if (line.rfind("IRQ ", 0) == 0) {
                async.push_back(std::move(line));
            } else {
                reply = std::move(line);
                return true;
            }
        }
        pollfd poller{from_engine_, POLLIN, 0};
        if (::poll(&poller, 1, -1) < 0 && errno != EINTR) {
            return false;
        }
        if (!read_available(pending_)) {
            return false;
        }
    }
}

} // namespace x86sim::control
