// The commands of nines, as data both front ends derive from: the CLI makes one subcommand per row
// (its name and the summary `nines --help` prints) and defines and runs each in one `switch` over
// CommandId without `default:` (src/cli/commands.cpp, define_command), so a row without its command
// is a compile error; the Python module lists the rows in help(nines) and a test checks that every
// row with a Python name has that function (tests/python/test_module.py). Where to add a command:
// README, "How it is built".
#pragma once

namespace nines::study {

enum class CommandId { Run, Merge, Analyze, Check, Sweep, Compare, Report, Validate, Import, Export };

struct CommandSpec {
    CommandId id;
    const char* name;     // as typed after `nines`
    const char* summary;  // one line, for `nines --help` and help(nines)
    const char* python;   // the function of the Python package (nines.<python>), or "" when the CLI alone has it
};

// In the order `nines --help` lists them.
inline constexpr CommandSpec kCommands[] = {
    {CommandId::Run, "run", "simulate a scenario and print availability with confidence intervals", "run"},
    {CommandId::Merge, "merge", "merge the partials of `nines run --shard` into the results of the whole run", ""},
    {CommandId::Analyze, "analyze", "compute availability exactly (no simulation): method, importance, cut sets", "analyze"},
    {CommandId::Check, "check", "run scenarios and judge their expectations (exit 1 when one fails)", "check"},
    {CommandId::Sweep, "sweep", "run a scenario at every combination of parameter values", "sweep"},
    {CommandId::Compare, "compare", "compare designs side by side, with paired differences", "compare"},
    {CommandId::Report, "report", "write an HTML and a Markdown report with charts into a folder", "report"},
    // Python validates on reading: Scenario.from_file raises InputError.
    {CommandId::Validate, "validate", "check scenario files without running them", ""},
    {CommandId::Import, "import", "translate a fault tree (Open-PSA MEF .xml, Galileo .dft) into a scenario", ""},
    {CommandId::Export, "export", "write a fault-tree-shaped scenario in another tool's format", ""},
};

}  // namespace nines::study
