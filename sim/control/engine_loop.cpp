#include "sim/control/engine_loop.h"

#include "sim/control/core/line_framer.h"
#include "sim/control/core/session.h"
#include "sim/control/sim_machine.h"

#include <cerrno>
#include <deque>
#include <poll.h>
#include <string>
#include <unistd.h>

namespace x86sim::control {

namespace {

class PipeInput {
  public:
    explicit PipeInput(int fd) : fd_(fd) {}

    // Reads what is available (waiting up to timeout_ms; -1 = until something arrives or EOF).
    void pump(int timeout_ms) {
        pollfd poller{fd_, POLLIN, 0};
        if (::poll(&poller, 1, timeout_ms) <= 0) {
            return;
        }
        char buffer[65536];
        const auto got = ::read(fd_, buffer, sizeof buffer);
        if (got <= 0) {
            if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                eof_ = true;
            }
            return;
        }
        for (auto& line : framer_.feed(std::string_view(buffer, static_cast<std::size_t>(got)))) {
            lines_.push_back(std::move(line));
        }
    }
    bool pause_requested() {
        pump(0);
        if (eof_) {
            return true;
        }
        for (const auto& line : lines_) {
            if (!line.oversized && line.text.find("pause") != std::string::npos) {
                const auto first = line.text.find_first_not_of(" \t");
                const auto last = line.text.find_last_not_of(" \t");
                if (first != std::string::npos && line.text.substr(first, last - first + 1) == "pause") {
                    return true;
                }
            }
        }
        return false;
    }
    bool eof() const { return eof_; }
    std::deque<FramedLine>& lines() { return lines_; }

  private:
    int fd_;
    LineFramer framer_;
    std::deque<FramedLine> lines_;
    bool eof_ = false;
};

std::string dump_line(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

bool write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const auto wrote = ::write(fd, text.data() + done, text.size() - done);
        if (wrote < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        done += static_cast<std::size_t>(wrote);
    }
    return true;
}

int run_engine(const scenario::Config& config, const ScenarioSource& source, int input_fd, int output_fd) {
    SimMachine machine(config, source);
    Session session(machine);
    PipeInput input(input_fd);
    machine.set_pause_poll([&input] { return input.pause_requested(); });

    while (true) {
        while (input.lines().empty() && !input.eof()) {
            input.pump(-1);
        }
        if (input.lines().empty()) {
            return 0; // the server closed the pipe
        }
        const auto line = std::move(input.lines().front());
        input.lines().pop_front();
        std::string reply;
        if (line.oversized) {
            reply = Session::oversized_reply();
        } else if (line.text == "__checkpoint") {
            reply = "OK " + dump_line(to_json(machine.checkpoint())) + "\n";
        } else if (line.text.rfind("__replay ", 0) == 0) {
            try {
                const auto checkpoint = checkpoint_from_json(nlohmann::json::parse(line.text.substr(9)));
                reply = "OK " + dump_line(machine.replay(checkpoint, session)) + "\n";
            } catch (const std::exception& error) {
                reply = std::string("FAIL replay: ") + error.what() + "\n";
            }
        } else {
            reply = session.handle_line(line.text);
        }
        if (!write_all(output_fd, reply)) {
            return 0;
        }
    }
}

} // namespace x86sim::control
