#include "sim/control/prompt.h"

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <thread>
#include <unistd.h>
#include <utility>
// readline after the standard headers: it needs <cstdio>.
#include <readline/history.h>
#include <readline/readline.h>

namespace x86sim::control {

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

std::atomic<bool> g_interrupted{false};

void on_sigint(int) {
    g_interrupted = true;
}

const char* const kCommands[] = {"readb",
                                 "readw",
                                 "readl",
                                 "readq",
                                 "writeb",
                                 "writew",
                                 "writel",
                                 "writeq",
                                 "inb",
                                 "inw",
                                 "inl",
                                 "outb",
                                 "outw",
                                 "outl",
                                 "read",
                                 "write",
                                 "memset",
                                 "clock_step",
                                 "clock_set",
                                 "irq_intercept_in",
                                 "irq_intercept_out",
                                 "endianness",
                                 "cpu",
                                 "rdmsr",
                                 "wrmsr",
                                 "info",
                                 "break",
                                 "watch",
                                 "delete",
                                 "breakpoints",
                                 "continue",
                                 "pause",
                                 "step",
                                 "stepi",
                                 "back",
                                 "events",
                                 "where",
                                 "save",
                                 "load",
                                 "quit",
                                 nullptr};
const char* const kInfoTopics[] = {"cpu", "lapic", "ioapic", "pit",   "pic",
                                   "pci", "iommu", "nvme",   "sched", nullptr};
const char* const kBreakKinds[] = {"irq", "msi", "coalesce", "storm", "fault", "time", nullptr};

const char* const* g_candidates = kCommands;

char* complete_word(const char* text, int state) {
    static int index = 0;
    if (state == 0) {
        index = 0;
    }
    const auto length = std::strlen(text);
    while (const char* word = g_candidates[index]) {
        ++index;
        if (std::strncmp(word, text, length) == 0) {
            return ::strdup(word);
        }
    }
    return nullptr;
}

char** complete(const char* text, int start, int) {
    ::rl_attempted_completion_over = 1;
    const std::string before(::rl_line_buffer, static_cast<std::size_t>(start));
    if (before.find_first_not_of(' ') == std::string::npos) {
        g_candidates = kCommands;
    } else if (before.rfind("info ", 0) == 0 && before.find(' ', 5) == std::string::npos) {
        g_candidates = kInfoTopics;
    } else if (before.rfind("break ", 0) == 0 && before.find(' ', 6) == std::string::npos) {
        g_candidates = kBreakKinds;
    } else {
        return nullptr;
    }
    return ::rl_completion_matches(text, complete_word);
}

std::string describe_record(const nlohmann::json& record) {
    if (!record.is_object()) {
        return "";
    }
    char text[256];
    const int vector = record.value("vector", -1);
    const int cpu = record.value("cpu", -1);
    std::snprintf(text, sizeof text, "event %llu hop %llu at %.6f us: %s%s%s%s from %s",
                  static_cast<unsigned long long>(record.value("event", 0ULL)),
                  static_cast<unsigned long long>(record.value("hop", 0ULL)),
                  static_cast<double>(record.value("time_ps", 0ULL)) / 1e6,
                  record.value("kind", std::string("?")).c_str(),
                  cpu >= 0 ? (" cpu " + std::to_string(cpu)).c_str() : "", vector >= 0 ? " vector " : "",
                  vector >= 0 ? std::to_string(vector).c_str() : "",
                  record.value("source", std::string("?")).c_str());
    return text;
}

// One command line: readline on a terminal; std::getline on a pipe or file, echoed after the prompt so
// that a scripted session's output reads like the terminal transcript (readline would write terminal
// control sequences into it, depending on TERM). False at end of input.
bool read_command(bool terminal, std::string& line) {
    constexpr const char* kPrompt = "(x86sim) ";
    if (!terminal) {
        if (!std::getline(std::cin, line)) {
            return false;
        }
        std::cout << kPrompt << line << "\n" << std::flush;
        return true;
    }
    char* raw = ::readline(kPrompt);
    if (raw == nullptr) {
        return false;
    }
    line = raw;
    std::free(raw);
    return true;
}

} // namespace

std::string format_reply(const std::string& line) {
    if (line.rfind("OK {", 0) != 0) {
        return line;
    }
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(line.substr(3));
    } catch (const std::exception&) {
        return line;
    }
    if (json.contains("stopped")) {
        std::string text =
            "stopped (" + json.value("stopped", std::string()) + "): " + json.value("reason", std::string()) +
            "\n  at " + json.value("time", std::string()) + ", event " +
            std::to_string(json.value("event", 0ULL)) + ", hop " + std::to_string(json.value("hops", 0ULL));
        if (json.contains("record") && !json["record"].is_null()) {
            text += "\n  record: " + describe_record(json["record"]);
        }
        if (json.contains("detail")) {
            text += "\n  detail: " + json["detail"].dump();
        }
        if (json.contains("stepped")) {
            for (const auto& record : json["stepped"]) {
                text += "\n    " + describe_record(record);
            }
        }
        return text;
    }
    if (json.contains("events") && json["events"].is_array()) {
        std::string text;
        for (const auto& record : json["events"]) {
            text += (text.empty() ? "" : "\n") + describe_record(record);
        }
        return text.empty() ? "(no interrupt-path events yet)" : text;
    }
    return json.dump(2);
}

int run_prompt(const std::string& address, std::uint16_t port) {
    asio::io_context io;
    tcp::socket socket(io);
    boost::system::error_code error;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    do {
        socket.close(error);
        socket.connect(tcp::endpoint(asio::ip::make_address(address, error), port), error);
        if (error) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    } while (error && std::chrono::steady_clock::now() < deadline);
    if (error) {
        std::cerr << "x86sim: cannot connect to " << address << ":" << port << ": " << error.message()
                  << "\n";
        return 2;
    }
    std::cout << "x86sim debugger on " << address << ":" << port
              << " - type a command (tab completes, 'quit' leaves, Ctrl-C pauses a run)\n";

    // Scripted sessions (stdin not a terminal) neither read nor add to the user's history.
    const bool terminal = ::isatty(STDIN_FILENO) != 0;
    std::string history_file;
    if (const char* home = std::getenv("HOME"); home != nullptr && terminal) {
        history_file = std::string(home) + "/.x86sim_history";
        ::read_history(history_file.c_str());
    }
    ::rl_attempted_completion_function = complete;
    std::string received;
    int status = 0;
    while (true) {
        std::string line;
        if (!read_command(terminal, line)) {
            if (terminal) {
                std::cout << "\n"; // Ctrl-D leaves the cursor after the prompt
            }
            break;
        }
        if (line.find_first_not_of(" \t") == std::string::npos) {
            continue;
        }
        if (terminal) {
            ::add_history(line.c_str());
        }
        if (line == "quit" || line == "exit") {
            break;
        }
        asio::write(socket, asio::buffer(line + "\n"), error);
        if (error) {
            std::cerr << "x86sim: connection lost: " << error.message() << "\n";
            status = 1;
            break;
        }
        g_interrupted = false;
        auto* previous = std::signal(SIGINT, on_sigint);
        bool paused = false;
        bool done = false;
        while (!done) {
            const auto newline = received.find('\n');
            if (newline != std::string::npos) {
                const auto reply = received.substr(0, newline);
                received.erase(0, newline + 1);
                std::cout << format_reply(reply) << "\n" << std::flush;
                done = reply.rfind("IRQ ", 0) != 0;
                continue;
            }
            if (g_interrupted && !paused) {
                paused = true;
                asio::write(socket, asio::buffer(std::string("pause\n")), error);
            }
            pollfd poller{socket.native_handle(), POLLIN, 0};
            if (::poll(&poller, 1, 100) <= 0) {
                continue;
            }
            char buffer[65536];
            const auto got = socket.read_some(asio::buffer(buffer), error);
            if (error) {
                std::cerr << "x86sim: connection closed by the server\n";
                std::signal(SIGINT, previous);
                return 1;
            }
            received.append(buffer, got);
        }
        if (paused) {
            // The reply of the `pause` itself.
            while (received.find('\n') == std::string::npos) {
                char buffer[4096];
                const auto got = socket.read_some(asio::buffer(buffer), error);
                if (error) {
                    break;
                }
                received.append(buffer, got);
            }
            const auto newline = received.find('\n');
            if (newline != std::string::npos) {
                received.erase(0, newline + 1);
            }
        }
        std::signal(SIGINT, previous);
    }
    if (!history_file.empty()) {
        ::write_history(history_file.c_str());
    }
    return status;
}

} // namespace x86sim::control
