// Reading and writing partial files (JSON, format "nines-partial" version 1; README "Shards and merge").
// Every double is written as the shortest decimal that reads back to the same bits (non-finite values
// as the strings "inf", "-inf", "nan"), so a partial read back is bit for bit the partial written.
#pragma once

#include <string>

#include "shard/partial.h"
#include "shard/study_partial.h"

namespace nines::shard {

std::string partial_to_text(const Partial& partial);

// Throws InputError naming `file` (with line and column for malformed JSON) when the text is not a
// partial of a format version this nines reads.
Partial partial_from_text(const std::string& text, const std::string& file);

// Partials of sweeps and compare (format "nines-study-partial" version 1), read and written alike.
std::string study_partial_to_text(const StudyPartial& partial);
StudyPartial study_partial_from_text(const std::string& text, const std::string& file);
// Whether a partial file's text is a sweep's or compare's (nines writes "format" as its first key).
bool is_study_partial_text(const std::string& text);

// The same encoding for one step shard alone (what MPI ranks send to rank 0).
std::string step_shard_to_text(const sim::StepShard& shard);
sim::StepShard step_shard_from_text(const std::string& text);

}  // namespace nines::shard
