// CSV files for spreadsheets and plotting tools: summary.csv, time_series.csv, components.csv,
// year_downtime.csv, outages.csv in one directory.
#pragma once

#include <string>

#include "sim/results.h"

namespace nines::report {

// Writes the files into `directory` (created if missing). Each file is written to a temporary name and
// renamed, so a failure never leaves a partial file. Throws nines::Error on I/O failure.
void write_csv_directory(const sim::SimulationResults& r, const std::string& directory);

// A CSV field, quoted when it holds a comma, a quote or a newline.
std::string csv_quote(const std::string& s);

// Writes `content` to `path` atomically (temporary file + rename). Throws nines::Error.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace nines::report
