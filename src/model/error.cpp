#include "model/error.h"

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
std::string format_input_error(const SourceLocation& where, const std::string& what) {
    return where.str() + ": error: " + what;
}
}  // namespace

InputError::InputError(SourceLocation where, const std::string& what)
    : Error(format_input_error(where, what)), where_(std::move(where)), detail_(what) {}

}  // namespace nines
