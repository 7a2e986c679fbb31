#pragma once
// What run merges and study merges both check before they add anything: that two partial files were
// written by the same command on the same inputs, and that the steps they hold run 1, 2, 3 ... with
// none missing. Templates over the file type (PartialFile, StudyPartialFile): each has `file` (its
// path, for messages) and `partial.step`.
#include <map>
#include <string>
#include <vector>

#include "model/error.h"

namespace nines::shard {

// Throws unless the two files agree on one field; the message names the second file and both values.
template <class File>
void require_same(const File& first, const File& other, const char* field, const std::string& in_first,
                  const std::string& in_other) {
    if (in_first == in_other) return;
    throw InputError(SourceLocation{other.file, 0, 0}, "does not belong with " + first.file + ": " + field + ": " +
                                                           in_other + " here but " + in_first + " there");
}

// The files grouped by step, in step order. Steps run in order (a step's replication count depends on the
// steps before it), so a gap means a partial is missing: refused, naming the first file past the gap.
template <class File>
std::vector<std::vector<const File*>> partials_by_step(const std::vector<File>& files) {
    std::map<int, std::vector<const File*>> steps;
    for (const File& f : files) steps[f.partial.step].push_back(&f);
    std::vector<std::vector<const File*>> ordered;
    int expected_step = 1;
    for (auto& [step, group] : steps) {
        if (step != expected_step) {
            throw InputError(SourceLocation{group.front()->file, 0, 0},
                             "holds step " + std::to_string(step) + " but no partial holds step " + std::to_string(expected_step) +
                                 " (steps run in order: merge the partials of every step before it)");
        }
        ++expected_step;
        ordered.push_back(std::move(group));
    }
    return ordered;
}

}  // namespace nines::shard
