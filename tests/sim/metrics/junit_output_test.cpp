// JUnit XML: parsed back with a small strict XML reader to check structure, escaping and counts.
#include "sim/metrics/junit_output.h"

#include <gtest/gtest.h>
#include <map>
#include <sstream>
#include <stdexcept>

namespace x86sim::metrics {
namespace {

struct Element {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;
    std::vector<Element> children;
};

// Enough XML for what write_junit produces: declaration, elements, attributes, text, the five
// predefined entities. Throws on anything malformed (unbalanced tags, bad entities, raw '<' or '&').
class MiniXml {
  public:
    explicit MiniXml(std::string text) : s_(std::move(text)) {}

    Element parse() {
        skip_space();
        if (s_.compare(pos_, 5, "<?xml") == 0) {
            pos_ = s_.find("?>", pos_);
            if (pos_ == std::string::npos) {
                throw std::runtime_error("unterminated declaration");
            }
            pos_ += 2;
        }
        skip_space();
        Element root = element();
        skip_space();
        if (pos_ != s_.size()) {
            throw std::runtime_error("content after the root element");
        }
        return root;
    }

  private:
    void skip_space() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])) != 0) {
            ++pos_;
        }
    }
    void expect(char c) {
        if (pos_ >= s_.size() || s_[pos_] != c) {
            throw std::runtime_error(std::string("expected '") + c + "' at " + std::to_string(pos_));
        }
        ++pos_;
    }
    std::string name() {
        const std::size_t start = pos_;
        while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) != 0 ||
                                    s_[pos_] == '-' || s_[pos_] == '_')) {
            ++pos_;
        }
        if (start == pos_) {
            throw std::runtime_error("expected a name at " + std::to_string(pos_));
        }
        return s_.substr(start, pos_ - start);
    }
    std::string decode(const std::string& raw) {
        std::string out;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '<') {
                throw std::runtime_error("raw '<' in text");
            }
            if (raw[i] != '&') {
                out += raw[i];
                continue;
            }
            const std::size_t end = raw.find(';', i);
            if (end == std::string::npos) {
                throw std::runtime_error("unterminated entity");
            }
            const std::string entity = raw.substr(i + 1, end - i - 1);
            static const std::map<std::string, char> entities = {
                {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
            auto it = entities.find(entity);
            if (it == entities.end()) {
                throw std::runtime_error("unknown entity &" + entity + ";");
            }
            out += it->second;
            i = end;
        }
        return out;
    }
    Element element() {
        expect('<');
        Element e;
        e.name = name();
        while (true) {
            skip_space();
            if (s_.compare(pos_, 2, "/>") == 0) {
                pos_ += 2;
                return e;
            }
            if (pos_ < s_.size() && s_[pos_] == '>') {
                ++pos_;
                break;
            }
            const std::string key = name();
            expect('=');
            expect('"');
            const std::size_t end = s_.find('"', pos_);
            if (end == std::string::npos) {
                throw std::runtime_error("unterminated attribute");
            }
            if (!e.attributes.emplace(key, decode(s_.substr(pos_, end - pos_))).second) {
                throw std::runtime_error("duplicate attribute " + key);
            }
            pos_ = end + 1;
        }
        while (true) {
            const std::size_t next = s_.find('<', pos_);
            if (next == std::string::npos) {
                throw std::runtime_error("unclosed <" + e.name + ">");
            }
            e.text += decode(s_.substr(pos_, next - pos_));
            pos_ = next;
            if (s_.compare(pos_, 2, "</") == 0) {
                pos_ += 2;
                if (name() != e.name) {
                    throw std::runtime_error("mismatched closing tag for <" + e.name + ">");
                }
                expect('>');
                return e;
            }
            e.children.push_back(element());
        }
    }

    std::string s_;
    std::size_t pos_ = 0;
};

TEST(JunitOutput, WellFormedWithConsistentCounts) {
    std::vector<JunitCase> cases(4);
    cases[0].name = "ok";
    cases[0].classname = "scenarios.ok";
    cases[0].time_s = 1.5;
    cases[1].name = "slow<&>\"'";
    cases[1].classname = "scenarios.slow";
    cases[1].failures = {"sched.tick_hz = 246.2 Hz (expected approx 1000 ± 1%)",
                         "irq.latency.p99: metric not "
                         "produced by this run"};
    cases[1].system_out = "metric  value\n<table> & stuff\n";
    cases[2].name = "broken";
    cases[2].classname = "scenarios.broken";
    cases[2].error = "s.yaml:3:5: error: unknown key 'x'\x01";
    cases[3].name = "skipped";
    cases[3].skipped = "not on this shard";
    std::ostringstream out;
    write_junit(out, cases, "x86sim scenarios");

    const Element root = MiniXml(out.str()).parse();
    EXPECT_EQ(root.name, "testsuites");
    EXPECT_EQ(root.attributes.at("tests"), "4");
    EXPECT_EQ(root.attributes.at("failures"), "1");
    EXPECT_EQ(root.attributes.at("errors"), "1");
    EXPECT_EQ(root.attributes.at("skipped"), "1");
    EXPECT_EQ(root.attributes.at("time"), "1.500");
    ASSERT_EQ(root.children.size(), 1U);
    const Element& suite = root.children[0];
    EXPECT_EQ(suite.name, "testsuite");
    EXPECT_EQ(suite.attributes.at("name"), "x86sim scenarios");
    EXPECT_EQ(suite.attributes.at("tests"), "4");
    ASSERT_EQ(suite.children.size(), 4U);
    EXPECT_TRUE(suite.children[0].children.empty());
    EXPECT_EQ(suite.children[1].attributes.at("name"), "slow<&>\"'");
    ASSERT_EQ(suite.children[1].children.size(), 2U);
    const Element& failure = suite.children[1].children[0];
    EXPECT_EQ(failure.name, "failure");
    EXPECT_EQ(failure.attributes.at("message"), "sched.tick_hz = 246.2 Hz (expected approx 1000 ± 1%)");
    EXPECT_NE(failure.text.find("irq.latency.p99: metric not produced"), std::string::npos);
    EXPECT_EQ(suite.children[1].children[1].text, "metric  value\n<table> & stuff\n");
    EXPECT_EQ(suite.children[2].children.at(0).name, "error");
    EXPECT_EQ(suite.children[2].children.at(0).attributes.at("message"),
              "s.yaml:3:5: error: unknown key 'x'?");
    EXPECT_EQ(suite.children[3].children.at(0).name, "skipped");
}

TEST(JunitOutput, EmptyListIsStillValid) {
    std::ostringstream out;
    write_junit(out, {});
    const Element root = MiniXml(out.str()).parse();
    EXPECT_EQ(root.attributes.at("tests"), "0");
    EXPECT_EQ(root.children.at(0).children.size(), 0U);
}

TEST(JunitOutput, MiniXmlRejectsMalformedInput) {
    // The checker itself must be able to fail.
    EXPECT_THROW(MiniXml("<a><b></a>").parse(), std::runtime_error);
    EXPECT_THROW(MiniXml("<a x=\"1 & 2\"/>").parse(), std::runtime_error);
}

} // namespace
} // namespace x86sim::metrics
