#include "io/xml_document.h"

#include <expat.h>

#include <climits>

namespace nines::io {

const std::string* XmlElement::attribute(const std::string& key) const {
    for (const auto& [k, v] : attributes) {
        if (k == key) return &v;
    }
    return nullptr;
}

namespace {

struct ParseState {
    XML_Parser parser = nullptr;
    std::string file;
    std::unique_ptr<XmlElement> root;
    std::vector<XmlElement*> open;  // the elements being read, innermost last
    std::string error;              // set by a handler that stopped the parser
    SourceLocation error_at;

    SourceLocation here() const {
        return SourceLocation{file, static_cast<int>(XML_GetCurrentLineNumber(parser)),
                              static_cast<int>(XML_GetCurrentColumnNumber(parser)) + 1};
    }
    void stop(const std::string& why) {
        if (error.empty()) {
            error = why;
            error_at = here();
        }
        XML_StopParser(parser, XML_FALSE);
    }
};

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

extern "C" void on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
    auto* state = static_cast<ParseState*>(data);
    if (static_cast<int>(state->open.size()) >= kMaxXmlDepth) {
        state->stop("elements nested more than " + std::to_string(kMaxXmlDepth) + " deep");
        return;
    }
    auto element = std::make_unique<XmlElement>();
    element->name = name;
    element->location = state->here();
    for (int i = 0; attributes[i] != nullptr; i += 2) element->attributes.emplace_back(attributes[i], attributes[i + 1]);
    XmlElement* raw = element.get();
    if (state->open.empty()) {
        state->root = std::move(element);
    } else {
        state->open.back()->children.push_back(std::move(element));
    }
    state->open.push_back(raw);
}

extern "C" void on_end(void* data, const XML_Char*) {
    auto* state = static_cast<ParseState*>(data);
    if (state->open.empty()) return;
    state->open.back()->text = trim(state->open.back()->text);
    state->open.pop_back();
}

extern "C" void on_text(void* data, const XML_Char* s, int length) {
    auto* state = static_cast<ParseState*>(data);
    if (!state->open.empty()) state->open.back()->text.append(s, static_cast<std::size_t>(length));
}

// Entities declared in a DTD can expand exponentially ("billion laughs"); no interchange file needs one.
extern "C" void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<ParseState*>(data)->stop("a document type declaration (DTD) is not accepted");
}

}  // namespace

std::unique_ptr<XmlElement> parse_xml(const std::string& text, const std::string& file) {
    if (text.size() > static_cast<std::size_t>(INT_MAX)) throw InputError(SourceLocation{file, 0, 0}, "the file is too large");
    ParseState state;
    state.file = file;
    state.parser = XML_ParserCreate("UTF-8");
    if (state.parser == nullptr) throw Error("cannot create an XML parser (out of memory)");
    XML_SetUserData(state.parser, &state);
    XML_SetElementHandler(state.parser, on_start, on_end);
    XML_SetCharacterDataHandler(state.parser, on_text);
    XML_SetStartDoctypeDeclHandler(state.parser, on_doctype);
    const XML_Status status = XML_Parse(state.parser, text.data(), static_cast<int>(text.size()), XML_TRUE);
    if (status != XML_STATUS_OK) {
        SourceLocation where = state.error_at;
        std::string why = state.error;
        if (why.empty()) {
            where = state.here();
            why = std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(state.parser));
        }
        XML_ParserFree(state.parser);
        throw InputError(where, why);
    }
    XML_ParserFree(state.parser);
    if (!state.root) throw InputError(SourceLocation{file, 1, 1}, "no XML element in the file");
    return std::move(state.root);
}

}  // namespace nines::io
