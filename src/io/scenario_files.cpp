#include "io/scenario_files.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "model/error.h"

namespace nines::io {

std::vector<std::string> collect_scenario_files(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const std::string& p : paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(p, ec)) {
            files.push_back(p);
            continue;
        }
        std::vector<std::string> found;
        std::filesystem::recursive_directory_iterator it(p, ec), end;
        for (; !ec && it != end; it.increment(ec)) {
            const std::string ext = it->path().extension().string();
            std::error_code type_ec;
            if (it->is_regular_file(type_ec) && (ext == ".yaml" || ext == ".yml")) found.push_back(it->path().string());
        }
        if (ec) throw InputError(SourceLocation{p, 0, 0}, "cannot list this folder: " + ec.message());
        std::sort(found.begin(), found.end());
        if (found.empty()) throw InputError(SourceLocation{p, 0, 0}, "no scenario files (*.yaml) in this folder");
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

}  // namespace nines::io
