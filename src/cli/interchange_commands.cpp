// `nines import` and `nines export`: fault trees to and from other tools' formats. The readers
// (io) and writers (report) do the translation; this file only chooses them and writes the result.
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "io/galileo_reader.h"
#include "io/mef_reader.h"
#include "io/quantity.h"
#include "io/scenario_reader.h"
#include "report/mef_writer.h"
#include "report/output_files.h"
#include "report/scenario_writer.h"

namespace nines::cli {

namespace {

const SourceLocation kCommandLine{"command line", 0, 0};

std::string extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

// Writes `text` to the output file (whole or not at all), or to stdout.
void emit(const std::string& text, const std::optional<std::string>& output, const std::vector<std::string>& inputs) {
    if (!output) {
        std::cout << text;
        std::cout.flush();
        return;
    }
    report::refuse_to_overwrite_inputs(*output, inputs, "-o");
    std::error_code ec;
    if (std::filesystem::is_directory(*output, ec)) throw InputError(kCommandLine, "-o " + *output + " is a folder, not a file");
    report::write_file_atomically(*output, text);
}

}  // namespace

int import_command(const ImportCommandOptions& options) {
    bool mef = false, galileo = false;
    for (const std::string& f : options.files) {
        const std::string ext = extension(f);
        if (ext == ".xml" || ext == ".opsa") {
            mef = true;
        } else if (ext == ".dft" || ext == ".galileo") {
            galileo = true;
        } else {
            throw InputError(kCommandLine, "import: cannot tell the format of '" + f + "': name it *.xml (Open-PSA MEF) or *.dft (Galileo)");
        }
    }
    if (galileo && (mef || options.files.size() > 1)) throw InputError(kCommandLine, "import: a Galileo model is one .dft file, imported alone");
    if (galileo && !options.top.empty()) throw InputError(kCommandLine, "import: --top is for Open-PSA MEF (a Galileo file names its toplevel)");
    if (galileo && options.mission_time) throw InputError(kCommandLine, "import: --mission-time is for Open-PSA MEF");
    FaultTree tree;
    if (galileo) {
        tree = io::read_galileo_file(options.files.front());
    } else {
        io::MefOptions mef_options;
        mef_options.top = options.top;
        if (options.mission_time) {
            std::string problem;
            if (!io::parse_duration_text(*options.mission_time, mef_options.mission_time_h, problem)) {
                throw InputError(kCommandLine, "--mission-time: " + problem);
            }
            if (!(mef_options.mission_time_h > 0)) throw InputError(kCommandLine, "--mission-time must be a positive time");
        }
        tree = io::read_mef_files(options.files, mef_options);
    }
    const std::string scenario = report::write_scenario(tree);
    // The translation must be a valid scenario; a failure here is nines' bug, not the user's input.
    try {
        (void)io::read_scenario_text(scenario, "the imported scenario");
    } catch (const InputError& e) {
        // Values the source format allows but nines' limits refuse (a rate of a million per hour, say).
        throw InputError(SourceLocation{options.files.front(), 0, 0}, "cannot import: nines refuses the translated scenario: " + e.detail());
    }
    emit(scenario, options.output, options.files);
    return kExitOk;
}

int export_command(const ExportCommandOptions& options) {
    const Model model = io::read_scenario_file(options.scenario);
    emit(report::write_mef(model), options.output, {options.scenario});
    return kExitOk;
}

}  // namespace nines::cli
