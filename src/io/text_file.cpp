#include "io/text_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace nines::io {

std::string read_text_file(const std::string& path, const SourceLocation& where, const std::string& what) {
    if (path.find('\0') != std::string::npos) throw InputError(where, "cannot open " + what + ": the path contains a NUL byte");
    // stat first: opening a directory succeeds on Linux, and reading /dev/zero or a pipe never ends.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        throw InputError(where, "cannot open " + what + ": " + std::strerror(err));
    }
    if (S_ISDIR(st.st_mode)) throw InputError(where, "cannot read " + what + ": it is a directory, not a file");
    if (!S_ISREG(st.st_mode)) {
        throw InputError(where, "cannot read " + what + ": it is not a regular file (a device, pipe or socket)");
    }
    if (static_cast<std::size_t>(st.st_size) > kMaxTextFileBytes) {
        throw InputError(where, "cannot read " + what + ": it has " + std::to_string(st.st_size) + " bytes, more than the " +
                                    std::to_string(kMaxTextFileBytes / (1024 * 1024)) + " MiB a scenario may have");
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        throw InputError(where, "cannot open " + what + (err ? std::string(": ") + std::strerror(err) : std::string()));
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw InputError(where, "cannot read " + what);
    std::string text = buffer.str();
    // The file may have grown between stat and read.
    if (text.size() > kMaxTextFileBytes) throw InputError(where, "cannot read " + what + ": it grew past the size limit while read");
    return text;
}

std::size_t decode_utf8(const std::string& text, std::size_t i, char32_t& code_point) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (lead < 0x80) {
        code_point = lead;
        return 1;
    } else if ((lead >> 5) == 0x6) {
        len = 2, cp = lead & 0x1f, min = 0x80;
    } else if ((lead >> 4) == 0xe) {
        len = 3, cp = lead & 0x0f, min = 0x800;
    } else if ((lead >> 3) == 0x1e) {
        len = 4, cp = lead & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > text.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) >> 6) != 0x2) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates (yaml-cpp writes "\ud800" as such bytes) and values past U+10FFFF.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return 0;
    code_point = cp;
    return len;
}

std::string code_point_name(char32_t code_point) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(code_point));
    return buf;
}

std::string find_forbidden_character(const std::string& text, bool allow_line_breaks) {
    std::size_t position = 1;  // in characters, for the message
    for (std::size_t i = 0; i < text.size(); ++position) {
        char32_t cp = 0;
        const std::size_t len = decode_utf8(text, i, cp);
        if (len == 0) {
            return "invalid UTF-8 (or a UTF-16 surrogate) at character " + std::to_string(position);
        }
        const bool line_break = cp == '\n' || cp == '\t' || cp == '\r';
        if ((cp < 0x20 && !(allow_line_breaks && line_break)) || (cp >= 0x7f && cp <= 0x9f)) {
            return "control character " + code_point_name(cp) + " at character " + std::to_string(position);
        }
        i += len;
    }
    return "";
}

void check_text(const std::string& text, const std::string& name) {
    int line = 1;
    int column = 1;
    for (unsigned char ch : text) {
        if (ch == 0 || (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t')) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "0x%02x", ch);
            throw InputError(SourceLocation{name, line, column},
                             std::string("not a text file: control byte ") + buf + " (is this a binary file?)");
        }
        if (ch == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    // Invalid UTF-8 (truncated or overlong sequences, surrogates) also means a binary or wrongly encoded file.
    line = 1;
    column = 1;
    for (std::size_t i = 0; i < text.size();) {
        char32_t code_point = 0;
        const std::size_t len = decode_utf8(text, i, code_point);
        if (len == 0) {
            throw InputError(SourceLocation{name, line, column}, "not a UTF-8 text file (is this a binary file?)");
        }
        if (code_point == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += len;
    }
}

}  // namespace nines::io
