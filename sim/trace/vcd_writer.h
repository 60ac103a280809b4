// A Value Change Dump writer (IEEE 1364 §18) for 1-bit wires, for GTKWave: declare the signals, then
// report changes in time order. Timescale 1 ps, timestamps are simulated time, so the file is
// byte-identical for identical runs. Several changes at one timestamp are all written (a zero-width
// pulse shows as 1 then 0 at the same time).
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace x86sim::trace {

class VcdWriter {
  public:
    // Throws std::runtime_error if `path` cannot be written.
    explicit VcdWriter(const std::string& path);

    // Before the first change only. Returns the signal's index.
    std::size_t add_signal(const std::string& scope, const std::string& name);
    void change(std::size_t signal, std::uint64_t time_ps, bool level);
    void finish(std::uint64_t end_ps);
    std::uint64_t changes() const { return changes_; }

  private:
    void write_header();

    struct Signal {
        std::string scope;
        std::string name;
        std::string id;
        bool level = false;
    };
    std::ofstream out_;
    std::string path_;
    std::vector<Signal> signals_;
    bool header_written_ = false;
    bool finished_ = false;
    std::uint64_t last_time_ = 0;
    bool time_written_ = false;
    std::uint64_t changes_ = 0;
};

} // namespace x86sim::trace
