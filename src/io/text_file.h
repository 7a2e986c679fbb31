// Text input that nines accepts: whole regular files of bounded size, valid UTF-8 without control
// characters. Every refusal is an InputError that names the place and the reason.
#pragma once

#include <cstddef>
#include <string>

#include "model/error.h"

namespace nines::io {

// Larger files are refused before they are read: no scenario or model library comes near this.
constexpr std::size_t kMaxTextFileBytes = 64u * 1024u * 1024u;

// Reads a whole regular file. Directories, devices, pipes, files above kMaxTextFileBytes and files
// that cannot be opened (with the system's reason: permission, missing, symbolic-link loop) are
// refused with an InputError at `where` (the file itself, or the import entry that names it).
// `what` names the file in messages ("the scenario file", "the imported file '...'").
std::string read_text_file(const std::string& path, const SourceLocation& where, const std::string& what);

// Refuses bytes that cannot be YAML text before yaml-cpp sees them (control bytes, invalid UTF-8),
// so garbage gets a clear message naming `name`:line:column.
void check_text(const std::string& text, const std::string& name);

// Decodes the UTF-8 sequence that starts at text[i]. Returns its length in bytes and sets `code_point`,
// or returns 0 when the bytes are not UTF-8 (truncated, overlong, a surrogate, above U+10FFFF).
std::size_t decode_utf8(const std::string& text, std::size_t i, char32_t& code_point);

// "U+0007" and the like.
std::string code_point_name(char32_t code_point);

// The first character of `text` that cannot appear in a value read from a scenario: invalid UTF-8,
// a control character (C0 except tab and line feed when `allow_line_breaks`, DEL, C1), or a
// surrogate. Returns "" when the text is clean, otherwise a description such as
// "control character U+001B at character 5". Such characters would break the JSON, JUnit and
// terminal output that repeat names.
std::string find_forbidden_character(const std::string& text, bool allow_line_breaks);

}  // namespace nines::io
