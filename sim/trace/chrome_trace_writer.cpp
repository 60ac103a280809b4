#include "sim/trace/chrome_trace_writer.h"

#include "sim/trace/trace_error.h"

#include <cstdio>
#include <stdexcept>

namespace x86sim::trace {

ChromeTraceWriter::ChromeTraceWriter(const std::string& path) : out_(path), path_(path) {
    if (!out_) {
        throw TraceError("cannot write " + path);
    }
    out_ << "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"x86sim\",\"clock\":\"simulated "
            "time\"},"
            "\"traceEvents\":[";
}

std::string ChromeTraceWriter::escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20 || byte >= 0x7f) {
            char code[8];
            std::snprintf(code, sizeof code, "\\u%04x", byte);
            out += code;
        } else {
            out += c;
        }
    }
    return out;
}

std::string ChromeTraceWriter::timestamp(std::uint64_t time_ps) {
    char text[48];
    std::snprintf(text, sizeof text, "%llu.%06llu", static_cast<unsigned long long>(time_ps / 1'000'000),
                  static_cast<unsigned long long>(time_ps % 1'000'000));
    return text;
}

void ChromeTraceWriter::open_event() {
    out_ << (first_ ? "\n" : ",\n");
    first_ = false;
    ++events_;
}

void ChromeTraceWriter::name_process(int pid, std::string_view name) {
    open_event();
    out_ << "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" << pid << ",\"tid\":0,\"args\":{\"name\":\""
         << escape(name) << "\"}}";
    open_event();
    out_ << "{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":" << pid
         << ",\"tid\":0,\"args\":{\"sort_index\":" << pid << "}}";
}

void ChromeTraceWriter::name_track(int pid, int tid, std::string_view name) {
    open_event();
    out_ << "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" << pid << ",\"tid\":" << tid
         << ",\"args\":{\"name\":\"" << escape(name) << "\"}}";
    open_event();
    out_ << "{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":" << pid << ",\"tid\":" << tid
         << ",\"args\":{\"sort_index\":" << tid << "}}";
}

void ChromeTraceWriter::begin(int pid, int tid, std::uint64_t time_ps, std::string_view name,
                              std::string_view category, std::string_view args_json) {
    open_event();
    out_ << "{\"ph\":\"B\",\"pid\":" << pid << ",\"tid\":" << tid << ",\"ts\":" << timestamp(time_ps)
         << ",\"name\":\"" << escape(name) << "\",\"cat\":\"" << escape(category) << "\"";
    if (!args_json.empty()) {
        out_ << ",\"args\":" << args_json;
    }
    out_ << "}";
}

void ChromeTraceWriter::end(int pid, int tid, std::uint64_t time_ps) {
    open_event();
    out_ << "{\"ph\":\"E\",\"pid\":" << pid << ",\"tid\":" << tid << ",\"ts\":" << timestamp(time_ps) << "}";
}

void ChromeTraceWriter::instant(int pid, int tid, std::uint64_t time_ps, std::string_view name,
                                std::string_view category, std::string_view args_json) {
    open_event();
    out_ << "{\"ph\":\"i\",\"s\":\"t\",\"pid\":" << pid << ",\"tid\":" << tid
         << ",\"ts\":" << timestamp(time_ps) << ",\"name\":\"" << escape(name) << "\",\"cat\":\""
         << escape(category) << "\"";
    if (!args_json.empty()) {
        out_ << ",\"args\":" << args_json;
    }
    out_ << "}";
}

void ChromeTraceWriter::finish() {
    if (finished_) {
        return;
    }
    finished_ = true;
    out_ << "\n]}\n";
    out_.flush();
    if (!out_) {
        throw TraceError("cannot write " + path_);
    }
}

} // namespace x86sim::trace
