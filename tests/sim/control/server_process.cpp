#include "tests/sim/control/server_process.h"

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace x86sim::test {

ServerProcess::ServerProcess(const std::vector<std::string>& args) {
    int out[2];
    if (::pipe(out) != 0) {
        throw std::runtime_error("pipe");
    }
    pid_ = ::fork();
    if (pid_ == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::close(out[0]);
        ::close(out[1]);
        std::vector<std::string> all{X86SIM_BINARY, "serve"};
        all.insert(all.end(), args.begin(), args.end());
        all.push_back("--port");
        all.push_back("0");
        std::vector<char*> argv;
        for (auto& arg : all) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);
        ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    std::string text;
    char buffer[256];
    while (text.find('\n') == std::string::npos) {
        pollfd poller{out[0], POLLIN, 0};
        if (::poll(&poller, 1, 30000) <= 0) {
            break;
        }
        const auto got = ::read(out[0], buffer, sizeof buffer);
        if (got <= 0) {
            break;
        }
        text.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(out[0]);
    const auto colon = text.rfind(':');
    if (text.rfind("x86sim: listening on 127.0.0.1:", 0) != 0 || colon == std::string::npos) {
        throw std::runtime_error("x86sim serve did not start: " + text);
    }
    port_ = std::stoi(text.substr(colon + 1));
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

bool ServerProcess::alive() const {
    int status = 0;
    return pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == 0;
}

Client::Client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error("connect failed");
    }
}

Client::~Client() {
    close();
}

void Client::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

void Client::send_raw(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto wrote = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (wrote <= 0) {
            throw std::runtime_error("send failed");
        }
        done += static_cast<std::size_t>(wrote);
    }
}

std::string Client::read_line(int timeout_ms) {
    while (buffer_.find('\n') == std::string::npos) {
        pollfd poller{fd_, POLLIN, 0};
        if (::poll(&poller, 1, timeout_ms) <= 0) {
            return "<timeout>";
        }
        char chunk[65536];
        const auto got = ::recv(fd_, chunk, sizeof chunk, 0);
        if (got <= 0) {
            return "<closed>";
        }
        buffer_.append(chunk, static_cast<std::size_t>(got));
    }
    const auto newline = buffer_.find('\n');
    auto line = buffer_.substr(0, newline);
    buffer_.erase(0, newline + 1);
    return line;
}

std::vector<std::string> Client::exchange(const std::string& line) {
    send_raw(line + "\n");
    std::vector<std::string> lines;
    while (true) {
        lines.push_back(read_line());
        if (lines.back().rfind("IRQ ", 0) != 0) {
            return lines;
        }
    }
}

std::string Client::command(const std::string& line) {
    return exchange(line).back();
}

} // namespace x86sim::test
