// A small XML element tree with the position of every element, for the interchange readers
// (Open-PSA MEF). Parsed with expat, which reports line and column numbers; DTDs (and so entity
// expansion bombs) are refused, and nesting deeper than kMaxXmlDepth is refused before it can
// exhaust the stack of a recursive walk.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/error.h"

namespace nines::io {

inline constexpr int kMaxXmlDepth = 1000;

struct XmlElement {
    std::string name;                                         // as written, prefix included ("xi:include")
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<std::unique_ptr<XmlElement>> children;
    std::string text;                                         // character data directly inside, trimmed
    SourceLocation location;                                  // of the start tag

    const std::string* attribute(const std::string& key) const;  // null when absent
};

// Parses `text` (the contents of `file`) into its root element. Malformed XML is an InputError at
// the place expat stopped, with expat's description.
std::unique_ptr<XmlElement> parse_xml(const std::string& text, const std::string& file);

}  // namespace nines::io
