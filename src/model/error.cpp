#include "model/error.h"

#include <cstdio>

namespace nines {

std::string SourceLocation::str() const {
    std::string s = file.empty() ? std::string("<input>") : file;
    if (line > 0) {
        s += ":" + std::to_string(line);
        if (column > 0) s += ":" + std::to_string(column);
    }
    return s;
}

namespace {
// A message is one line whatever the input echoed in it: control characters (a line break in a
// quoted value, an escape sequence) are written as \n, \t, \r or \xHH.
std::string one_line(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        const unsigned char u = static_cast<unsigned char>(ch);
        if (ch == '\n') {
            out += "\\n";
        } else if (ch == '\t') {
            out += "\\t";
        } else if (ch == '\r') {
            out += "\\r";
        } else if (u < 0x20 || u == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", u);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out;
}

std::string format_input_error(const SourceLocation& where, const std::string& what) {
    return one_line(where.str()) + ": error: " + what;
}
}  // namespace

InputError::InputError(SourceLocation where, const std::string& what)
    : Error(format_input_error(where, one_line(what))), where_(std::move(where)), detail_(one_line(what)) {}

}  // namespace nines
