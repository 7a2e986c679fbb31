// The scenario files a command is given: files as named, folders searched (recursively) for *.yaml and
// *.yml in sorted order. Shared by `check`, `validate` and the Python module.
#pragma once

#include <string>
#include <vector>

namespace nines::io {

// Throws InputError for a folder holding no scenario file. Files are not opened here: a missing or
// unreadable file is reported when it is read, with the others still judged.
std::vector<std::string> collect_scenario_files(const std::vector<std::string>& paths);

}  // namespace nines::io
