#include "io/yaml_document.h"

#include <limits>
#include <sstream>
#include <unordered_map>

#include <yaml.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace nines::io {

// --- the handle ---------------------------------------------------------------------------------

void YamlNode::require_defined() const {
    // yaml-cpp throws on any use of the result of looking up a missing key but the truth test.
    if (state_ == State::Missing) throw YAML::InvalidNode("");
}

YAML::NodeType::value YamlNode::Type() const {
    require_defined();
    if (state_ == State::FreeNull) return YAML::NodeType::Null;
    return doc_->nodes_[index_].type;
}

std::string_view YamlNode::scalar_view() const {
    if (Type() != YAML::NodeType::Scalar) return {};
    const YamlDocument::Record& r = doc_->nodes_[index_];
    return std::string_view(doc_->chars_).substr(r.first, r.count);
}

std::string YamlNode::Scalar() const { return std::string(scalar_view()); }

YAML::Mark YamlNode::Mark() const {
    require_defined();
    if (state_ == State::FreeNull || doc_->nodes_[index_].line < 0) return YAML::Mark::null_mark();
    YAML::Mark mark;
    mark.pos = 0;  // not kept: nothing reports it
    mark.line = doc_->nodes_[index_].line;
    mark.column = doc_->nodes_[index_].column;
    return mark;
}

bool YamlNode::document_has_aliases() const { return state_ == State::Node && doc_->has_aliases_; }

std::size_t YamlNode::size() const {
    const YAML::NodeType::value type = Type();
    return type == YAML::NodeType::Map || type == YAML::NodeType::Sequence ? doc_->nodes_[index_].count : 0;
}

YamlNode YamlNode::operator[](std::string_view key) const {
    const YAML::NodeType::value type = Type();
    if (type == YAML::NodeType::Scalar) throw YAML::BadSubscript(Mark(), std::string(key));
    if (type != YAML::NodeType::Map) return missing();
    const YamlDocument::Record& r = doc_->nodes_[index_];
    const std::uint32_t* pair = doc_->children_.data() + r.first;
    for (std::uint32_t i = 0; i < r.count; ++i, pair += 2) {
        const YamlDocument::Record& k = doc_->nodes_[pair[0]];
        if (k.type == YAML::NodeType::Scalar && std::string_view(doc_->chars_).substr(k.first, k.count) == key) {
            return YamlNode(doc_, pair[1]);
        }
    }
    return missing();
}

YamlNode YamlNode::item(std::size_t index) const {
    const YAML::NodeType::value type = Type();
    if (type == YAML::NodeType::Scalar) throw YAML::BadSubscript(Mark(), index);
    if (type != YAML::NodeType::Sequence) return missing();
    const YamlDocument::Record& r = doc_->nodes_[index_];
    if (index >= r.count) return missing();
    return YamlNode(doc_, doc_->children_[r.first + index]);
}

YamlNode::Iterator YamlNode::begin() const {
    const YAML::NodeType::value type = Type();
    if (type != YAML::NodeType::Map && type != YAML::NodeType::Sequence) return Iterator(nullptr, nullptr, false);
    const YamlDocument::Record& r = doc_->nodes_[index_];
    return Iterator(doc_, doc_->children_.data() + r.first, type == YAML::NodeType::Map);
}

YamlNode::Iterator YamlNode::end() const {
    const YAML::NodeType::value type = Type();
    if (type != YAML::NodeType::Map && type != YAML::NodeType::Sequence) return Iterator(nullptr, nullptr, false);
    const YamlDocument::Record& r = doc_->nodes_[index_];
    const bool map = type == YAML::NodeType::Map;
    return Iterator(doc_, doc_->children_.data() + r.first + (map ? 2 * r.count : r.count), map);
}

YamlNode::IteratorValue YamlNode::Iterator::operator*() const {
    if (map_) return IteratorValue(YamlNode::missing(), YamlNode(doc_, at_[0]), YamlNode(doc_, at_[1]));
    return IteratorValue(YamlNode(doc_, at_[0]), YamlNode(), YamlNode());
}

std::size_t YamlDocument::bytes() const {
    return nodes_.bytes() + children_.capacity() * sizeof(std::uint32_t) + chars_.capacity();
}

std::string YamlDocument::first_difference(const YamlDocument& other) const {
    if (nodes_.size() != other.nodes_.size()) {
        return std::to_string(nodes_.size()) + " nodes against " + std::to_string(other.nodes_.size());
    }
    if (!nodes_.empty() && root_ != other.root_) return "different roots";
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const Record& a = nodes_[i];
        const Record& b = other.nodes_[i];
        const std::string at = "node " + std::to_string(i) + " (line " + std::to_string(a.line + 1) + ", column " +
                               std::to_string(a.column + 1) + "): ";
        if (a.type != b.type) return at + "type " + std::to_string(a.type) + " against " + std::to_string(b.type);
        if (a.line != b.line || a.column != b.column) {
            return at + "mark against line " + std::to_string(b.line + 1) + ", column " + std::to_string(b.column + 1);
        }
        if (a.count != b.count) return at + "size " + std::to_string(a.count) + " against " + std::to_string(b.count);
        if (a.type == YAML::NodeType::Scalar) {
            const std::string_view ta = std::string_view(chars_).substr(a.first, a.count);
            const std::string_view tb = std::string_view(other.chars_).substr(b.first, b.count);
            if (ta != tb) return at + "text '" + std::string(ta) + "' against '" + std::string(tb) + "'";
        } else if (a.type == YAML::NodeType::Map || a.type == YAML::NodeType::Sequence) {
            const std::size_t n = a.type == YAML::NodeType::Map ? 2 * a.count : a.count;
            for (std::size_t c = 0; c < n; ++c) {
                if (children_[a.first + c] != other.children_[b.first + c]) return at + "child " + std::to_string(c) + " differs";
            }
        }
    }
    return "";
}

// --- building -----------------------------------------------------------------------------------

// Receives the nodes in document order from either parser; keeps the open containers' children on one
// stack and moves each container's range into the children array when it closes.
class YamlDocumentBuilder {
public:
    explicit YamlDocumentBuilder(YamlDocument& doc) : doc_(doc) {}

    std::uint32_t scalar(int line, int column, std::string_view text, bool null) {
        YamlDocument::Record r;
        r.line = line;
        r.column = column;
        r.type = null ? YAML::NodeType::Null : YAML::NodeType::Scalar;
        if (!null) {
            r.first = checked(doc_.chars_.size());
            r.count = checked(text.size());
            doc_.chars_.append(text);
        }
        return add(r);
    }
    std::uint32_t open(int line, int column, YAML::NodeType::value type) {
        YamlDocument::Record r;
        r.line = line;
        r.column = column;
        r.type = type;
        const std::uint32_t index = add(r);
        open_.push_back({index, pending_.size()});
        return index;
    }
    void close() {
        const Open top = open_.back();
        open_.pop_back();
        YamlDocument::Record& r = doc_.nodes_[top.index];
        const std::size_t n = pending_.size() - top.first_pending;
        r.first = checked(doc_.children_.size());
        r.count = checked(r.type == YAML::NodeType::Map ? n / 2 : n);
        doc_.children_.insert(doc_.children_.end(), pending_.begin() + static_cast<std::ptrdiff_t>(top.first_pending),
                              pending_.end());
        pending_.resize(top.first_pending);
    }
    // An alias: the node it names, once more as a child.
    void alias(std::uint32_t index) {
        doc_.has_aliases_ = true;
        attach(index);
    }
    std::size_t depth() const { return open_.size(); }
    void finish() {
        doc_.children_.shrink_to_fit();
        doc_.chars_.shrink_to_fit();
    }

private:
    struct Open {
        std::uint32_t index;
        std::size_t first_pending;
    };
    static std::uint32_t checked(std::size_t n) {
        if (n >= std::numeric_limits<std::uint32_t>::max()) throw YAML::ParserException(YAML::Mark::null_mark(), "the file is too large");
        return static_cast<std::uint32_t>(n);
    }
    std::uint32_t add(const YamlDocument::Record& r) {
        const std::uint32_t index = checked(doc_.nodes_.size());
        doc_.nodes_.push_back(r);
        attach(index);
        return index;
    }
    void attach(std::uint32_t index) {
        if (open_.empty()) {
            doc_.root_ = index;
        } else {
            pending_.push_back(index);
        }
    }

    YamlDocument& doc_;
    std::vector<Open> open_;
    std::vector<std::uint32_t> pending_;
};

namespace {

bool is_null_text(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

// yaml-cpp's events, as YAML::Load's NodeBuilder receives them.
class YamlCppEvents : public YAML::EventHandler {
public:
    explicit YamlCppEvents(YamlDocumentBuilder& builder) : builder_(builder) {}
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        remember(anchor, builder_.scalar(mark.line, mark.column, {}, true));
    }
    void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override { builder_.alias(anchors_.at(anchor)); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
        remember(anchor, builder_.scalar(mark.line, mark.column, value, false));
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
        remember(anchor, builder_.open(mark.line, mark.column, YAML::NodeType::Sequence));
    }
    void OnSequenceEnd() override { builder_.close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
        remember(anchor, builder_.open(mark.line, mark.column, YAML::NodeType::Map));
    }
    void OnMapEnd() override { builder_.close(); }

private:
    void remember(YAML::anchor_t anchor, std::uint32_t index) {
        if (anchor == YAML::NullAnchor) return;
        if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
        anchors_[anchor] = index;
    }
    YamlDocumentBuilder& builder_;
    std::vector<std::uint32_t> anchors_;
};

// Nesting beyond this goes to yaml-cpp, whose depth limit (2000 levels of its recursive parser) then
// gives the error it always gave; the readers refuse far less (kMaxNesting).
constexpr std::size_t kLibyamlMaxDepth = 400;

// Converts libyaml's column (characters) to yaml-cpp's (bytes from the start of the line).
class ColumnMap {
public:
    explicit ColumnMap(const std::string& text) : text_(text) {
        for (unsigned char c : text) {
            if (c >= 0x80) {
                ascii_ = false;
                break;
            }
        }
    }
    int byte_column(const yaml_mark_t& mark) const {
        if (ascii_) return static_cast<int>(mark.column);
        return static_cast<int>(byte_offset(mark) - line_start_of(static_cast<std::size_t>(mark.line)));
    }
    // An empty value (`key:` with nothing after it) has, in yaml-cpp, the mark of the token after it:
    // the next character that is not a space, a line break or in a comment (or the end of the text).
    // libyaml marks the place where the value would have been. False at the end of a text that does
    // not end with a line break, where yaml-cpp's mark is not that rule's (the caller falls back).
    bool mark_of_next_token(const yaml_mark_t& mark, int& line, int& column) const {
        std::size_t at = byte_offset(mark);
        std::size_t l = static_cast<std::size_t>(mark.line);
        std::size_t start = line_start_of(l);
        while (at < text_.size()) {
            const char c = text_[at];
            if (c == ' ' || c == '\t') {
                ++at;
            } else if (c == '#') {
                while (at < text_.size() && text_[at] != '\n' && text_[at] != '\r') ++at;
            } else if (c == '\n' || c == '\r') {
                at += c == '\r' && at + 1 < text_.size() && text_[at + 1] == '\n' ? 2 : 1;
                start = line_start_of(++l);
            } else {
                break;
            }
        }
        line = static_cast<int>(l);
        column = static_cast<int>(at - start);
        return at < text_.size() || (!text_.empty() && (text_.back() == '\n' || text_.back() == '\r'));
    }

private:
    // The byte offset of a libyaml mark (whose column counts characters).
    std::size_t byte_offset(const yaml_mark_t& mark) const {
        if (ascii_) return line_start_of(static_cast<std::size_t>(mark.line)) + mark.column;
        std::size_t at = line_start_of(static_cast<std::size_t>(mark.line));
        for (std::size_t c = 0; c < mark.column && at < text_.size(); ++c) {
            ++at;
            while (at < text_.size() && (static_cast<unsigned char>(text_[at]) & 0xC0) == 0x80) ++at;
        }
        return at;
    }

    std::size_t line_start_of(std::size_t line) const {
        while (starts_.size() <= line) {
            if (starts_.empty()) {
                starts_.push_back(0);
                continue;
            }
            // Line breaks as YAML counts them: \n, \r\n, or a lone \r.
            std::size_t i = starts_.back();
            while (i < text_.size() && text_[i] != '\n' && text_[i] != '\r') ++i;
            if (i < text_.size() && text_[i] == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') ++i;
            starts_.push_back(i < text_.size() ? i + 1 : text_.size());
        }
        return starts_[line];
    }
    const std::string& text_;
    bool ascii_ = true;
    mutable std::vector<std::size_t> starts_;
};

struct LibyamlParser {
    yaml_parser_t parser{};
    LibyamlParser() { yaml_parser_initialize(&parser); }
    ~LibyamlParser() { yaml_parser_delete(&parser); }
    LibyamlParser(const LibyamlParser&) = delete;
    LibyamlParser& operator=(const LibyamlParser&) = delete;
};

struct LibyamlEvent {
    yaml_event_t event{};
    bool held = false;
    ~LibyamlEvent() {
        if (held) yaml_event_delete(&event);
    }
};

}  // namespace

std::unique_ptr<YamlDocument> YamlDocument::parse_libyaml(const std::string& text) {
    auto doc = std::make_unique<YamlDocument>();
    YamlDocumentBuilder builder(*doc);
    const ColumnMap columns(text);
    LibyamlParser p;
    yaml_parser_set_input_string(&p.parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    yaml_parser_set_encoding(&p.parser, YAML_UTF8_ENCODING);
    std::unordered_map<std::string, std::uint32_t> anchors;
    auto remember = [&](const yaml_char_t* anchor, std::uint32_t index) {
        if (anchor) anchors[reinterpret_cast<const char*>(anchor)] = index;
    };
    for (;;) {
        LibyamlEvent e;
        if (!yaml_parser_parse(&p.parser, &e.event)) return nullptr;
        e.held = true;
        const yaml_event_t& ev = e.event;
        const int line = static_cast<int>(ev.start_mark.line);
        switch (ev.type) {
            case YAML_NO_EVENT:
            case YAML_STREAM_START_EVENT:
            case YAML_DOCUMENT_START_EVENT:
                break;
            case YAML_STREAM_END_EVENT:
            case YAML_DOCUMENT_END_EVENT:  // YAML::Load reads the first document only
                builder.finish();
                return doc;
            case YAML_ALIAS_EVENT: {
                auto it = anchors.find(reinterpret_cast<const char*>(ev.data.alias.anchor));
                if (it == anchors.end()) return nullptr;  // yaml-cpp words this error
                builder.alias(it->second);
                break;
            }
            case YAML_SCALAR_EVENT: {
                if (ev.data.scalar.tag) return nullptr;  // explicit tags: rare, and yaml-cpp decides what they mean
                const std::string_view value(reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length);
                const bool null = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && is_null_text(value);
                int scalar_line = line;
                int column = 0;
                if (null && value.empty()) {
                    if (!columns.mark_of_next_token(ev.start_mark, scalar_line, column)) return nullptr;
                } else {
                    column = columns.byte_column(ev.start_mark);
                }
                remember(ev.data.scalar.anchor, builder.scalar(scalar_line, column, value, null));
                break;
            }
            case YAML_SEQUENCE_START_EVENT:
                if (ev.data.sequence_start.tag || builder.depth() >= kLibyamlMaxDepth) return nullptr;
                remember(ev.data.sequence_start.anchor,
                         builder.open(line, columns.byte_column(ev.start_mark), YAML::NodeType::Sequence));
                break;
            case YAML_MAPPING_START_EVENT:
                if (ev.data.mapping_start.tag || builder.depth() >= kLibyamlMaxDepth) return nullptr;
                remember(ev.data.mapping_start.anchor, builder.open(line, columns.byte_column(ev.start_mark), YAML::NodeType::Map));
                break;
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT:
                builder.close();
                break;
        }
    }
}

std::unique_ptr<YamlDocument> YamlDocument::parse_yaml_cpp(const std::string& text) {
    auto doc = std::make_unique<YamlDocument>();
    YamlDocumentBuilder builder(*doc);
    std::istringstream in(text);
    YAML::Parser parser(in);
    YamlCppEvents events(builder);
    parser.HandleNextDocument(events);
    builder.finish();
    return doc;
}

std::unique_ptr<YamlDocument> YamlDocument::of_scalar(const std::string& text) {
    auto doc = std::make_unique<YamlDocument>();
    YamlDocumentBuilder builder(*doc);
    builder.scalar(-1, -1, text, false);
    builder.finish();
    return doc;
}

std::unique_ptr<YamlDocument> YamlDocument::of_scalars(const std::vector<std::string>& items) {
    auto doc = std::make_unique<YamlDocument>();
    YamlDocumentBuilder builder(*doc);
    builder.open(-1, -1, YAML::NodeType::Sequence);
    for (const std::string& item : items) builder.scalar(-1, -1, item, false);
    builder.close();
    builder.finish();
    return doc;
}

std::unique_ptr<YamlDocument> YamlDocument::parse(const std::string& text) {
    if (auto doc = parse_libyaml(text)) return doc;
    return parse_yaml_cpp(text);
}

}  // namespace nines::io
