// Chrome trace-event JSON (the "JSON trace format" ui.perfetto.dev and chrome://tracing open), written
// as a stream: {"displayTimeUnit":"ns","traceEvents":[...]}. Tracks are (pid, tid) pairs named with
// metadata events; spans are B/E pairs, instants are "i" events with thread scope. Timestamps are
// simulated microseconds printed with all 6 fractional digits (picosecond resolution), never via
// floating point, so identical runs give byte-identical files.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace x86sim::trace {

class ChromeTraceWriter {
  public:
    // Throws std::runtime_error if `path` cannot be written.
    explicit ChromeTraceWriter(const std::string& path);

    void name_process(int pid, std::string_view name);
    void name_track(int pid, int tid, std::string_view name);
    void begin(int pid, int tid, std::uint64_t time_ps, std::string_view name, std::string_view category,
               std::string_view args_json = {});
    void end(int pid, int tid, std::uint64_t time_ps);
    void instant(int pid, int tid, std::uint64_t time_ps, std::string_view name, std::string_view category,
                 std::string_view args_json = {});
    void finish();
    std::uint64_t events() const { return events_; }
    // `text` as the inside of a JSON string literal (for callers building args_json).
    static std::string escape(std::string_view text);

  private:
    void open_event();
    static std::string timestamp(std::uint64_t time_ps);

    std::ofstream out_;
    std::string path_;
    bool first_ = true;
    bool finished_ = false;
    std::uint64_t events_ = 0;
};

} // namespace x86sim::trace
