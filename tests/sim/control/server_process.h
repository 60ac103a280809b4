// An `x86sim serve` child process for the socket tests, and a line client for it.
#pragma once

#include <string>
#include <vector>

namespace x86sim::test {

class ServerProcess {
  public:
    // Starts `x86sim serve ARGS... --port 0` and waits for "x86sim: listening on 127.0.0.1:PORT".
    explicit ServerProcess(const std::vector<std::string>& args);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;
    int port() const { return port_; }
    bool alive() const;

  private:
    int pid_ = -1;
    int port_ = 0;
};

class Client {
  public:
    explicit Client(int port);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    void send_raw(const std::string& bytes);
    // Sends `line` and returns every line up to and including the reply (async IRQ lines first).
    std::vector<std::string> exchange(const std::string& line);
    // The reply line only.
    std::string command(const std::string& line);
    std::string read_line(int timeout_ms = 60000);
    void close();

  private:
    int fd_ = -1;
    std::string buffer_;
};

} // namespace x86sim::test
