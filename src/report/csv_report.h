// CSV files for spreadsheets and plotting tools: summary.csv, time_series.csv, components.csv,
// year_downtime.csv, outages.csv in one directory.
#pragma once

#include <string>

#include "report/output_files.h"
#include "sim/results.h"

namespace nines::report {

// Stages the files in `directory` (created if missing) into `files`; they are written when `files` is
// committed, all or none (report/output_files.h). Throws nines::Error on I/O failure.
void write_csv_directory(const sim::SimulationResults& r, const std::string& directory, OutputFiles& files);

// A CSV field, quoted when it holds a comma, a quote or a newline.
std::string csv_quote(const std::string& s);

}  // namespace nines::report
