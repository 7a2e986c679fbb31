// A parsed YAML document kept compactly (issue 14: a 10^6-component scenario is 8 million nodes): every
// node is one 20-byte record in one array, scalars live in one character arena, and a container's
// children are a contiguous range of one index array. YamlNode is a handle into it with the small part
// of yaml-cpp's YAML::Node API the readers use (same names, same meaning), so the readers are unchanged
// but for the type name.
//
// Parsing takes libyaml's event parser (about 5 times faster than yaml-cpp's scanner, and no node tree
// of shared pointers). Every file libyaml does not accept exactly as yaml-cpp would (a syntax error,
// an unknown alias, nesting near yaml-cpp's depth limit) is parsed again by yaml-cpp's own event parser
// into the same arena: its exceptions (message and mark) are the ones users saw before, and the two
// parsers are tested to build identical documents (structure, text and marks) from every YAML file in
// the repository (tests/test_yaml_document.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <yaml-cpp/mark.h>
#include <yaml-cpp/node/type.h>

namespace nines::io {

class YamlDocument;

class YamlNode {
public:
    YamlNode() = default;  // a null node that belongs to no document, as a default YAML::Node

    explicit operator bool() const { return IsDefined(); }
    bool IsDefined() const { return state_ != State::Missing; }
    YAML::NodeType::value Type() const;
    bool IsNull() const { return Type() == YAML::NodeType::Null; }
    bool IsScalar() const { return Type() == YAML::NodeType::Scalar; }
    bool IsSequence() const { return Type() == YAML::NodeType::Sequence; }
    bool IsMap() const { return Type() == YAML::NodeType::Map; }
    // The text of a scalar; "" for anything else (as yaml-cpp).
    std::string Scalar() const;
    std::string_view scalar_view() const;
    YAML::Mark Mark() const;
    // Pairs of a map, items of a list, 0 otherwise.
    std::size_t size() const;

    // The value of the first key equal to `key` (a missing node when there is none, or when this is
    // not a map); a scalar throws YAML::BadSubscript, as yaml-cpp does.
    YamlNode operator[](std::string_view key) const;
    YamlNode operator[](const char* key) const { return (*this)[std::string_view(key)]; }
    YamlNode operator[](const std::string& key) const { return (*this)[std::string_view(key)]; }
    // The item at `index` of a list (a missing node past the end or when this is not a list).
    template <class Integer, std::enable_if_t<std::is_integral_v<Integer>, int> = 0>
    YamlNode operator[](Integer index) const {
        return item(static_cast<std::size_t>(index));
    }
    YamlNode item(std::size_t index) const;

    // Iteration as yaml-cpp's: over a map, `it->first` and `it->second`; over a list, `*it` is the item.
    struct IteratorValue;
    class Iterator;
    Iterator begin() const;
    Iterator end() const;

    // The same node (of the same document).
    bool is(const YamlNode& other) const { return doc_ == other.doc_ && index_ == other.index_ && state_ == other.state_; }
    std::uint32_t index() const { return index_; }
    // False when the node's document has no alias: then no node is reached twice (no memo needed).
    bool document_has_aliases() const;

private:
    friend class YamlDocument;
    enum class State : std::uint8_t { Node, FreeNull, Missing };
    YamlNode(const YamlDocument* doc, std::uint32_t index) : doc_(doc), index_(index), state_(State::Node) {}
    static YamlNode missing() {
        YamlNode n;
        n.state_ = State::Missing;
        return n;
    }
    void require_defined() const;

    const YamlDocument* doc_ = nullptr;
    std::uint32_t index_ = 0;
    State state_ = State::FreeNull;
};

struct YamlNode::IteratorValue : YamlNode {
    IteratorValue() = default;
    IteratorValue(const YamlNode& item, const YamlNode& key, const YamlNode& value) : YamlNode(item), first(key), second(value) {}
    YamlNode first;
    YamlNode second;
};

class YamlNode::Iterator {
public:
    Iterator(const YamlDocument* doc, const std::uint32_t* at, bool map) : doc_(doc), at_(at), map_(map) {}
    IteratorValue operator*() const;
    struct Arrow {
        IteratorValue value;
        const IteratorValue* operator->() const { return &value; }
    };
    Arrow operator->() const { return Arrow{**this}; }
    Iterator& operator++() {
        at_ += map_ ? 2 : 1;
        return *this;
    }
    bool operator==(const Iterator& other) const { return at_ == other.at_; }
    bool operator!=(const Iterator& other) const { return at_ != other.at_; }

private:
    const YamlDocument* doc_;
    const std::uint32_t* at_;
    bool map_;
};

class YamlDocument {
public:
    // Parses the first document of `text` (as YAML::Load): libyaml, or yaml-cpp where libyaml does not
    // agree with it (see the header comment). Throws what YAML::Load throws (YAML::Exception and its
    // subclasses, YAML::DeepRecursion) for text yaml-cpp refuses.
    static std::unique_ptr<YamlDocument> parse(const std::string& text);
    // The two parsers alone (for the tests that hold them equal). parse_libyaml returns null where
    // parse() would fall back to yaml-cpp.
    static std::unique_ptr<YamlDocument> parse_libyaml(const std::string& text);
    static std::unique_ptr<YamlDocument> parse_yaml_cpp(const std::string& text);
    // Documents built in code, whose nodes have no mark (as a YAML::Node built from a value): one
    // scalar, or a list of scalars.
    static std::unique_ptr<YamlDocument> of_scalar(const std::string& text);
    static std::unique_ptr<YamlDocument> of_scalars(const std::vector<std::string>& items);

    YamlDocument() = default;
    YamlDocument(const YamlDocument&) = delete;
    YamlDocument& operator=(const YamlDocument&) = delete;

    // The document's root: a null node for a text with no document (as YAML::Load).
    YamlNode root() const { return nodes_.empty() ? YamlNode() : YamlNode(this, root_); }
    std::size_t node_count() const { return nodes_.size(); }
    // Bytes held (nodes, children, characters): for the memory figures of the benchmark.
    std::size_t bytes() const;
    // "" when `other` holds the same nodes (types, marks, text, children, aliases) in the same order;
    // otherwise the first difference, in words (for the tests that hold the two parsers equal).
    std::string first_difference(const YamlDocument& other) const;

    // One node: 20 bytes (line -1: no mark). For a scalar, `first`/`count` are its characters in chars_; for a list, its
    // items in children_; for a map, its pairs (2 x count entries: key, value, key, value...).
    struct Record {
        std::int32_t line = 0;
        std::int32_t column = 0;
        std::uint32_t first = 0;
        std::uint32_t count = 0;
        YAML::NodeType::value type = YAML::NodeType::Null;
    };

private:
    // The records in chunks of 65,536: growing never copies them, as a vector would (at 8 million
    // nodes, 160 MB copied into 320 MB).
    class Records {
    public:
        std::size_t size() const { return size_; }
        bool empty() const { return size_ == 0; }
        Record& operator[](std::size_t i) { return chunks_[i >> kShift][i & kMask]; }
        const Record& operator[](std::size_t i) const { return chunks_[i >> kShift][i & kMask]; }
        void push_back(const Record& r) {
            if ((size_ >> kShift) == chunks_.size()) chunks_.push_back(std::make_unique<Record[]>(std::size_t{1} << kShift));
            (*this)[size_++] = r;
        }
        std::size_t bytes() const { return chunks_.size() * (sizeof(Record) << kShift) + chunks_.capacity() * sizeof(chunks_[0]); }

    private:
        static constexpr unsigned kShift = 16;
        static constexpr std::size_t kMask = (std::size_t{1} << kShift) - 1;
        std::vector<std::unique_ptr<Record[]>> chunks_;
        std::size_t size_ = 0;
    };

    friend class YamlNode;
    friend class YamlNode::Iterator;
    friend class YamlDocumentBuilder;
    Records nodes_;
    std::vector<std::uint32_t> children_;
    std::string chars_;
    std::uint32_t root_ = 0;
    bool has_aliases_ = false;
};

}  // namespace nines::io
