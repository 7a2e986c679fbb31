#include "model/error.h"

#include <cstdio>
#include <mutex>
#include <unordered_set>

namespace nines {

FileName::FileName(const std::string& name) : name_(intern(name)) {}

FileName::FileName(const char* name) : name_(intern(name)) {}

const std::string* FileName::intern(const std::string& name) {
    // A reader makes every location of a file from the same name: the last one found is tried first,
    // without the lock. The table is never destroyed (locations may outlive static destruction) and
    // grows by the few distinct file names a process reads; its nodes never move.
    thread_local const std::string* last = nullptr;
    if (last != nullptr && *last == name) return last;
    static std::mutex mutex;
    static auto* names = new std::unordered_set<std::string>();
    std::lock_guard<std::mutex> lock(mutex);
    last = &*names->insert(name).first;
    return last;
}

std::string SourceLocation::str() const {
    std::string s = file.empty() ? std::string("<input>") : file.str();
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

InputErrors::InputErrors(std::vector<InputError> errors, std::size_t not_shown)
    : InputError(errors.front().where(), errors.front().detail()), errors_(std::move(errors)), not_shown_(not_shown) {}

std::vector<std::string> diagnostic_lines(const InputError& e) {
    const auto* several = dynamic_cast<const InputErrors*>(&e);
    if (!several) return {e.what()};
    std::vector<std::string> lines;
    for (const InputError& one : several->all()) lines.push_back(one.what());
    if (several->not_shown() > 0) {
        lines.push_back("... and " + std::to_string(several->not_shown()) + " more error" + (several->not_shown() == 1 ? "" : "s") +
                        " (the first " + std::to_string(InputErrors::kMaxReported) + " are shown)");
    }
    return lines;
}

void Diagnostics::add(const InputError& e) {
    // An InputErrors from a part (an imported library, say) contributes each of its diagnostics.
    if (const auto* several = dynamic_cast<const InputErrors*>(&e)) {
        for (const InputError& one : several->all()) add(one);
        not_shown_ += several->not_shown();
        return;
    }
    if (errors_.size() < InputErrors::kMaxReported) {
        errors_.push_back(e);
    } else {
        ++not_shown_;
    }
}

void Diagnostics::throw_if_any() const {
    if (errors_.empty()) return;
    if (errors_.size() == 1 && not_shown_ == 0) throw errors_.front();
    throw InputErrors(errors_, not_shown_);
}

}  // namespace nines
