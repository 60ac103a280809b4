#include "sim/scenario/yaml_tree.h"

#include <map>
#include <sstream>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

namespace x86sim::scenario {
namespace {

// Aborts event handling; carries the diagnostics out through yaml-cpp's parser.
struct AbortParse {
    std::vector<Diagnostic> diagnostics;
};

class TreeBuilder final : public YAML::EventHandler {
  public:
    TreeBuilder(std::string file, int column_offset)
        : file_(std::move(file)), column_offset_(column_offset) {}

    NodePtr root() const { return root_; }
    std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
    SourceLocation location(const YAML::Mark& mark) const {
        if (mark.is_null()) {
            return SourceLocation{file_, 1, 1};
        }
        const int column = mark.column + 1 + (mark.line == 0 ? column_offset_ : 0);
        return SourceLocation{file_, mark.line + 1, column};
    }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto node = std::make_shared<YamlNode>();
        node->kind = YamlNode::Kind::null;
        node->where = location(mark);
        add(node, anchor);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = anchors_.find(anchor);
        if (it == anchors_.end()) {
            // yaml-cpp knows the anchor but we have not finished building it: the alias is inside
            // the node it refers to, which would make the document infinite.
            fail(location(mark), "alias refers to a node that contains it (recursive alias)");
        }
        add(it->second, 0, location(mark));
    }

    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  const std::string& value) override {
        auto node = std::make_shared<YamlNode>();
        node->kind = YamlNode::Kind::scalar;
        node->where = location(mark);
        node->scalar = value;
        add(node, anchor);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(YamlNode::Kind::sequence, mark, anchor);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(YamlNode::Kind::map, mark, anchor);
    }
    void OnMapEnd() override { close(); }

  private:
    struct Frame {
        std::shared_ptr<YamlNode> node;
        YAML::anchor_t anchor = 0;
        bool have_key = false;
        std::string key;
        SourceLocation key_where;
    };

    [[noreturn]] void fail(SourceLocation where, std::string message) {
        diagnostics_.push_back(Diagnostic{std::move(where), std::move(message)});
        throw AbortParse{diagnostics_};
    }

    void open(YamlNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
        const SourceLocation where = location(mark);
        if (!stack_.empty() && stack_.back().node->kind == YamlNode::Kind::map && !stack_.back().have_key) {
            fail(where, "map keys must be plain scalars, not " +
                            std::string(kind == YamlNode::Kind::map ? "maps" : "sequences"));
        }
        if (static_cast<int>(stack_.size()) >= max_yaml_depth) {
            fail(where, "nesting deeper than " + std::to_string(max_yaml_depth) + " levels");
        }
        auto node = std::make_shared<YamlNode>();
        node->kind = kind;
        node->where = where;
        stack_.push_back(Frame{node, anchor, false, {}, {}});
    }

    void close() {
        Frame frame = std::move(stack_.back());
        stack_.pop_back();
        // A map that ended with a key but no value cannot happen (yaml-cpp emits a null value).
        add(frame.node, frame.anchor);
    }

    void add(const NodePtr& node, YAML::anchor_t anchor, const SourceLocation& use_where = {}) {
        if (anchor != 0) {
            anchors_[anchor] = node;
        }
        if (stack_.empty()) {
            root_ = node;
            return;
        }
        Frame& top = stack_.back();
        if (top.node->kind == YamlNode::Kind::sequence) {
            top.node->items.push_back(node);
            return;
        }
        if (!top.have_key) {
            const SourceLocation where = use_where.file.empty() ? node->where : use_where;
            if (node->kind != YamlNode::Kind::scalar) {
                fail(where, "map keys must be plain scalars, not " + describe(*node));
            }
            top.have_key = true;
            top.key = node->scalar;
            top.key_where = where;
            return;
        }
        top.have_key = false;
        if (const MapEntry* first = top.node->find(top.key)) {
            diagnostics_.push_back(
                Diagnostic{top.key_where, "duplicate key '" + top.key + "' (first at line " +
                                              std::to_string(first->key_where.line) + ")"});
            if (diagnostics_.size() >= max_diagnostics) {
                throw AbortParse{diagnostics_};
            }
            return;
        }
        top.node->entries.push_back(MapEntry{std::move(top.key), top.key_where, node});
    }

    std::string file_;
    int column_offset_;
    NodePtr root_;
    std::vector<Frame> stack_;
    std::map<YAML::anchor_t, NodePtr> anchors_;
    std::vector<Diagnostic> diagnostics_;
};

// yaml-cpp messages start lowercase already ("illegal map value"); keep them, they are precise.
std::string yaml_message(const YAML::Exception& error) {
    return error.msg.empty() ? std::string("YAML syntax error") : "YAML syntax error: " + error.msg;
}

} // namespace

const MapEntry* YamlNode::find(std::string_view key) const {
    for (const MapEntry& entry : entries) {
        if (entry.key == key) {
            return &entry;
        }
    }
    return nullptr;
}

std::string describe(const YamlNode& node) {
    switch (node.kind) {
    case YamlNode::Kind::null:
        return "nothing (null)";
    case YamlNode::Kind::scalar: {
        constexpr std::size_t max_shown = 40;
        std::string text =
            node.scalar.size() > max_shown ? node.scalar.substr(0, max_shown) + "..." : node.scalar;
        return "'" + text + "'";
    }
    case YamlNode::Kind::sequence:
        return "a list";
    case YamlNode::Kind::map:
        return "a map";
    }
    return "?";
}

NodePtr parse_yaml(std::string_view text, const std::string& file_name, int column_offset) {
    std::istringstream stream{std::string(text)};
    TreeBuilder builder(file_name, column_offset);
    try {
        YAML::Parser parser(stream);
        if (!parser.HandleNextDocument(builder)) {
            auto empty = std::make_shared<YamlNode>();
            empty->where = SourceLocation{file_name, 1, 1 + column_offset};
            return empty;
        }
        if (!builder.diagnostics().empty()) {
            throw ScenarioError(builder.diagnostics());
        }
        // A second document would be ignored silently by most tools; say so instead. Its events go
        // to a throwaway builder.
        TreeBuilder rest(file_name, column_offset);
        if (parser.HandleNextDocument(rest)) {
            NodePtr second = rest.root();
            const SourceLocation where = second ? second->where : SourceLocation{file_name, 1, 1};
            throw ScenarioError(where, "a scenario holds exactly one YAML document; remove the second one "
                                       "(or the '---' line)");
        }
    } catch (const AbortParse& abort) {
        throw ScenarioError(abort.diagnostics);
    } catch (const YAML::Exception& error) {
        throw ScenarioError(builder.location(error.mark), yaml_message(error));
    }
    NodePtr root = builder.root();
    if (!root) {
        auto empty = std::make_shared<YamlNode>();
        empty->where = SourceLocation{file_name, 1, 1 + column_offset};
        return empty;
    }
    return root;
}

} // namespace x86sim::scenario
