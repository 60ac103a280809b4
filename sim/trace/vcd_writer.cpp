#include "sim/trace/vcd_writer.h"

#include "sim/trace/trace_error.h"

#include <map>
#include <stdexcept>

namespace x86sim::trace {

namespace {

// Identifier codes from the printable range '!'..'~', shortest first.
std::string identifier(std::size_t index) {
    std::string id;
    do {
        id += static_cast<char>('!' + index % 94);
        index /= 94;
    } while (index > 0);
    return id;
}

} // namespace

VcdWriter::VcdWriter(const std::string& path) : out_(path), path_(path) {
    if (!out_) {
        throw TraceError("cannot write " + path);
    }
}

std::size_t VcdWriter::add_signal(const std::string& scope, const std::string& name) {
    if (header_written_) {
        throw std::logic_error("VCD signal added after the first change");
    }
    signals_.push_back({scope, name, identifier(signals_.size()), false});
    return signals_.size() - 1;
}

void VcdWriter::write_header() {
    header_written_ = true;
    out_ << "$date x86sim simulation $end\n$version x86sim $end\n$timescale 1ps $end\n$scope module x86sim "
            "$end\n";
    std::map<std::string, std::vector<const Signal*>> scopes;
    for (const auto& signal : signals_) {
        scopes[signal.scope].push_back(&signal);
    }
    for (const auto& [scope, signals] : scopes) {
        out_ << "$scope module " << scope << " $end\n";
        for (const auto* signal : signals) {
            out_ << "$var wire 1 " << signal->id << " " << signal->name << " $end\n";
        }
        out_ << "$upscope $end\n";
    }
    out_ << "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n";
    for (const auto& signal : signals_) {
        out_ << "0" << signal.id << "\n";
    }
    out_ << "$end\n";
    time_written_ = true;
    last_time_ = 0;
}

void VcdWriter::change(std::size_t signal, std::uint64_t time_ps, bool level) {
    if (!header_written_) {
        write_header();
    }
    if (signal >= signals_.size() || finished_) {
        return;
    }
    auto& state = signals_[signal];
    if (state.level == level) {
        return;
    }
    state.level = level;
    if (time_ps > last_time_ || !time_written_) {
        out_ << "#" << time_ps << "\n";
        last_time_ = time_ps;
        time_written_ = true;
    }
    out_ << (level ? "1" : "0") << state.id << "\n";
    ++changes_;
}

void VcdWriter::finish(std::uint64_t end_ps) {
    if (finished_) {
        return;
    }
    if (!header_written_) {
        write_header();
    }
    if (end_ps > last_time_) {
        out_ << "#" << end_ps << "\n";
    }
    finished_ = true;
    out_.flush();
    if (!out_) {
        throw TraceError("cannot write " + path_);
    }
}

} // namespace x86sim::trace
