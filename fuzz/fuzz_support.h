// What every fuzz target checks about an InputError: one line, "PLACE: error: REASON", naming the
// fuzzed file (or, for a problem inside an imported file, that file).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/error.h"

namespace nines::fuzz {

inline void check_message(const InputError& e, const std::string& file) {
    const std::string m = e.what();
    const bool names_file = m.rfind(file, 0) == 0 || e.where().file != file;
    if (!names_file || e.where().file.empty() || m.find('\n') != std::string::npos || m.find('\0') != std::string::npos ||
        m.find(": error: ") == std::string::npos || e.detail().empty()) {
        std::fprintf(stderr, "badly formed message: %s\n", m.c_str());
        std::abort();
    }
}

}  // namespace nines::fuzz
