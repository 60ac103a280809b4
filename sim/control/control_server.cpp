#include "sim/control/control_server.h"

#include "sim/control/core/line_framer.h"
#include "sim/control/core/session.h"
#include "sim/control/engine_process.h"
#include "sim/scenario/diagnostic.h"

#include <atomic>
#include <boost/asio.hpp>
#include <csignal>
#include <deque>
#include <fstream>
#include <memory>
#include <optional>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace x86sim::control {

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

std::atomic<bool> g_stop{false};

void on_signal(int) {
    g_stop = true;
}

std::string first_word(const std::string& line) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos) {
        return "";
    }
    const auto end = line.find_first_of(" \t", start);
    return line.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string diagnostics_text(const scenario::ScenarioError& error) {
    std::string text;
    for (const auto& diagnostic : error.diagnostics) {
        text += (text.empty() ? "" : "; ") + diagnostic.to_string();
    }
    return text;
}

class Server {
  public:
    explicit Server(const ServerOptions& options)
        : options_(options), acceptor_(io_), scenario_(load_source(options.source)), source_(options.source) {
        boost::system::error_code error;
        const auto address = asio::ip::make_address(options.listen_address, error);
        if (error) {
            throw std::runtime_error("--listen " + options.listen_address + ": not an IP address");
        }
        const tcp::endpoint endpoint(address, options.port);
        acceptor_.open(endpoint.protocol(), error);
        if (!error) {
            acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
            acceptor_.bind(endpoint, error);
        }
        if (!error) {
            acceptor_.listen(4, error);
        }
        if (error) {
            throw std::runtime_error("cannot listen on " + options.listen_address + ":" +
                                     std::to_string(options.port) + ": " + error.message());
        }
        engine_.start(scenario_, source_, child_closes());
    }

    int run() {
        if (options_.on_listening) {
            options_.on_listening(options_.listen_address, acceptor_.local_endpoint().port());
        }
        while (!g_stop) {
            std::vector<pollfd> fds;
            fds.push_back({acceptor_.native_handle(), POLLIN, 0});
            fds.push_back({engine_.output_fd(), POLLIN, 0});
            if (client_) {
                fds.push_back({client_->native_handle(), POLLIN, 0});
            }
            if (::poll(fds.data(), fds.size(), 200) < 0) {
                continue; // EINTR: g_stop is checked above
            }
            if (fds[0].revents != 0) {
                accept();
            }
            if (fds[1].revents != 0) {
                read_engine();
            }
            if (client_ && fds.size() > 2 && fds[2].revents != 0) {
                read_client();
            }
            process_queue();
        }
        engine_.stop();
        return 0;
    }

  private:
    std::vector<int> child_closes() {
        std::vector<int> fds{acceptor_.native_handle()};
        if (client_) {
            fds.push_back(client_->native_handle());
        }
        return fds;
    }

    void accept() {
        auto socket = std::make_unique<tcp::socket>(io_);
        boost::system::error_code error;
        acceptor_.accept(*socket, error);
        if (error) {
            return;
        }
        if (client_) {
            asio::write(
                *socket,
                asio::buffer(std::string("FAIL another client is connected to this x86sim server; it serves "
                                         "one client at a time (try again when it disconnects)\n")),
                error);
            socket->close(error);
            return;
        }
        client_ = std::move(socket);
        ++generation_;
        framer_ = LineFramer{};
        queue_.clear();
    }

    void drop_client() {
        boost::system::error_code error;
        client_->close(error);
        client_.reset();
        queue_.clear(); // lines already sent to the engine finish; their replies are dropped
    }

    void send_client(const std::string& text) {
        if (!client_) {
            return;
        }
        boost::system::error_code error;
        asio::write(*client_, asio::buffer(text), error);
        if (error) {
            drop_client();
        }
    }

    void read_client() {
        char buffer[65536];
        boost::system::error_code error;
        const auto got = client_->read_some(asio::buffer(buffer), error);
        if (error || got == 0) {
            drop_client();
            return;
        }
        for (auto& line : framer_.feed(std::string_view(buffer, got))) {
            queue_.push_back(std::move(line));
        }
    }

    void read_engine() {
        std::deque<std::string> lines;
        if (!engine_.read_available(lines)) {
            restart_after_crash();
            return;
        }
        for (const auto& line : lines) {
            // Replies (and the IRQ lines before them) go to the client that sent the command, if it is
            // still connected; a new client never sees an earlier client's replies.
            const bool current = owners_.empty() ? true : owners_.front() == generation_;
            if (line.rfind("IRQ ", 0) != 0 && !owners_.empty()) {
                owners_.pop_front();
            }
            if (current) {
                send_client(line + "\n");
            }
        }
    }

    void restart_after_crash() {
        engine_.stop();
        for (; !owners_.empty(); owners_.pop_front()) {
            if (owners_.front() == generation_) {
                send_client("FAIL the simulation engine exited unexpectedly; restarted at time zero\n");
            }
        }
        engine_.start(scenario_, source_, child_closes());
    }

    void process_queue() {
        while (!queue_.empty()) {
            auto& line = queue_.front();
            const auto word = line.oversized ? std::string() : first_word(line.text);
            const bool local = line.oversized || word == "back" || word == "load";
            if (local) {
                if (!owners_.empty()) {
                    return; // keep replies in order: wait for the engine to finish what it has
                }
                const auto reply =
                    line.oversized ? Session::oversized_reply() : handle_local(word, line.text);
                queue_.pop_front();
                send_client(reply);
                continue;
            }
            if (!engine_.send(line.text)) {
                restart_after_crash();
                return;
            }
            owners_.push_back(generation_);
            queue_.pop_front();
        }
    }

    // Synchronous exchange with the engine (nothing else is outstanding).
    std::string exchange(const std::string& line) {
        std::string reply;
        std::vector<std::string> async;
        if (!engine_.send(line) || !engine_.wait_reply(reply, async)) {
            restart_after_crash();
            return "FAIL the simulation engine exited unexpectedly; restarted at time zero";
        }
        for (const auto& irq : async) {
            send_client(irq + "\n");
        }
        return reply;
    }

    std::string handle_local(const std::string& word, const std::string& text) {
        std::istringstream words(text);
        std::string command;
        std::string argument;
        std::string extra;
        words >> command >> argument >> extra;
        if (!extra.empty()) {
            return "FAIL " + word +
                   ": too many arguments (usage: " + (word == "back" ? "back [N]" : "load FILE") + ")\n";
        }
        if (word == "back") {
            std::uint64_t count = 1;
            if (!argument.empty()) {
                const auto parsed =
                    argument.find_first_not_of("0123456789") == std::string::npos && argument.size() < 19;
                if (!parsed || std::stoull(argument) == 0) {
                    return "FAIL back: invalid count '" + argument + "' (usage: back [N], N >= 1)\n";
                }
                count = std::stoull(argument);
            }
            const auto reply = exchange("__checkpoint");
            if (reply.rfind("OK ", 0) != 0) {
                return reply + "\n";
            }
            Checkpoint checkpoint;
            try {
                checkpoint = checkpoint_from_json(nlohmann::json::parse(reply.substr(3)));
            } catch (const std::exception& error) {
                return std::string("FAIL back: ") + error.what() + "\n";
            }
            if (count > checkpoint.event) {
                return "FAIL back: cannot go back " + std::to_string(count) + " events from event " +
                       std::to_string(checkpoint.event) + "\n";
            }
            checkpoint.event -= count;
            return replay_in_new_engine(checkpoint, scenario_, "back");
        }
        // load FILE
        if (argument.empty()) {
            return "FAIL load: missing argument (usage: load FILE)\n";
        }
        std::ifstream in(argument);
        if (!in) {
            return "FAIL load: cannot read '" + argument + "'\n";
        }
        Checkpoint checkpoint;
        try {
            checkpoint = checkpoint_from_json(nlohmann::json::parse(in));
        } catch (const std::exception& error) {
            return "FAIL load: " + argument + ": " + error.what() + "\n";
        }
        std::optional<scenario::Scenario> loaded;
        try {
            loaded = load_source(checkpoint.source);
        } catch (const scenario::ScenarioError& error) {
            return "FAIL load: " + diagnostics_text(error) + "\n";
        } catch (const std::exception& error) {
            return std::string("FAIL load: ") + error.what() + "\n";
        }
        return replay_in_new_engine(checkpoint, *loaded, "load");
    }

    std::string replay_in_new_engine(const Checkpoint& checkpoint, const scenario::Scenario& scenario,
                                     const std::string& what) {
        engine_.stop();
        scenario_ = scenario;
        source_ = checkpoint.source;
        engine_.start(scenario_, source_, child_closes());
        const auto json = to_json(checkpoint).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        auto reply = exchange("__replay " + json);
        if (reply.rfind("FAIL ", 0) == 0) {
            reply = "FAIL " + what + ": " + reply.substr(5);
        }
        return reply + "\n";
    }

    const ServerOptions& options_;
    asio::io_context io_;
    tcp::acceptor acceptor_;
    scenario::Scenario scenario_;
    ScenarioSource source_;
    EngineProcess engine_;
    std::unique_ptr<tcp::socket> client_;
    LineFramer framer_;
    std::deque<FramedLine> queue_;
    std::deque<std::uint64_t> owners_; // per command at the engine: the client generation that sent it
    std::uint64_t generation_ = 0;
};

} // namespace

int run_control_server(const ServerOptions& options) {
    g_stop = false;
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    Server server(options);
    return server.run();
}

} // namespace x86sim::control
