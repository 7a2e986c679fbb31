#include "cli/command_support.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "io/scenario_overrides.h"
#include "io/sweep_points.h"
#include "model/units_format.h"
#include "report/analytic_report.h"
#include "report/check_report.h"
#include "report/check_wording.h"
#include "report/compare_report.h"
#include "report/csv_report.h"
#include "report/json_report.h"
#include "report/output_files.h"
#include "report/rare_event_report.h"
#include "report/sweep_report.h"
#include "report/text_report.h"
#include "io/scenario_reader.h"
#include "study/cost.h"

namespace nines::cli {

std::atomic<bool> g_cancel{false};

namespace {
extern "C" void on_interrupt(int) { g_cancel.store(true); }
}  // namespace

InterruptGuard::InterruptGuard() {
    g_cancel = false;
    struct sigaction action{};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, &previous_int_);
    sigaction(SIGTERM, &action, &previous_term_);
    // A signal the parent chose to ignore (SIGINT of a background job in a script) stays ignored.
    if (previous_int_.sa_handler == SIG_IGN) sigaction(SIGINT, &previous_int_, nullptr);
    if (previous_term_.sa_handler == SIG_IGN) sigaction(SIGTERM, &previous_term_, nullptr);
}

InterruptGuard::~InterruptGuard() {
    sigaction(SIGINT, &previous_int_, nullptr);
    sigaction(SIGTERM, &previous_term_, nullptr);
}

void refuse_inputs(const std::optional<std::string>& output, const std::vector<std::string>& inputs, const char* option) {
    if (!output) return;
    report::refuse_to_overwrite_inputs(*output, inputs, option);
    std::error_code ec;
    if (std::filesystem::is_directory(*output, ec)) {
        throw InputError(SourceLocation{"command line", 0, 0}, std::string(option) + " " + *output + " is a folder, not a file");
    }
}

void print_warnings(const Model& model) {
    for (const std::string& w : model.warnings) std::cerr << w << '\n';
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) != 0; }

ProgressLine::ProgressLine() : enabled_(stderr_is_terminal()) {}

void ProgressLine::update(std::int64_t done, std::int64_t total) {
    if (!enabled_) return;
    if (total != total_) {
        total_ = total;
        ++round_;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200) && done < total) return;
    if (now - start_ < std::chrono::milliseconds(500) && done < total) return;  // short runs stay silent
    last_ = now;
    shown_ = true;
    if (round_ <= 1) {
        std::fprintf(stderr, "\r  simulating: %5.1f %% (%lld of %lld replications)", 100.0 * static_cast<double>(done) / static_cast<double>(total),
                     static_cast<long long>(done), static_cast<long long>(total));
    } else {
        std::fprintf(stderr, "\r  simulating: %lld replications (round %d toward the precision target: up to %lld)  ",
                     static_cast<long long>(done), round_, static_cast<long long>(total));
    }
    std::fflush(stderr);
}

void ProgressLine::finish() {
    if (shown_) std::fprintf(stderr, "\r%90s\r", "");
}

void write_run_outputs(const Model& model, const study::StudyResults& study, const RunOutputs& outputs,
                       const std::optional<NextStepNote>& next_step) {
    const sim::SimulationResults& results = study.simulation;
    const analytic::CrossCheck& check = study.crosscheck;
    const study::CostEstimate cost = study::expected_cost(model, results);

    // Files first (all or none, see report/output_files.h), then the terminal.
    auto json_text = [&]() {
        if (!next_step) return report::run_to_json_text(study, cost);
        nlohmann::ordered_json j = report::run_to_json(study, cost);
        j["precision"] = next_step->precision_line;
        j["next_step"] = {{"step", next_step->step}, {"begin", next_step->begin}, {"end", next_step->end}};
        return j.dump(2) + "\n";
    };
    const bool json_to_stdout = outputs.json && *outputs.json == "-";
    report::OutputFiles files(&g_cancel);
    if (outputs.json && !json_to_stdout) {
        if (next_step) {
            files.add(*outputs.json, json_text());
        } else {
            files.add_streamed(*outputs.json, [&](const report::OutputFiles::PieceSink& sink) { report::write_run_json(study, cost, sink); });
        }
    }
    if (outputs.csv) report::write_csv_directory(results, *outputs.csv, files);
    files.commit();
    if (json_to_stdout) {
        if (next_step) {
            std::cout << json_text();
        } else {
            report::write_run_json(study, cost, [](const std::string& piece) { std::cout << piece; });
        }
    } else if (!outputs.quiet) {
        std::string extra = report::crosscheck_to_text(check);
        if (study.served_crosscheck) {
            std::string served = report::crosscheck_to_text(*study.served_crosscheck);
            served.replace(served.find("cross-check"), 11, "served-fraction cross-check");
            extra += served;
        }
        if (cost.defined) {
            // Operations appear only when priced, so that other scenarios' lines stay as they were.
            const std::string operations =
                cost.operations_per_year > 0
                    ? fmt::format(" + operations {} (crews {}, spares {}, response contracts {})", format_sig(cost.operations_per_year, 4),
                                  format_sig(cost.crews_per_year, 4), format_sig(cost.spares_per_year, 4),
                                  format_sig(cost.logistics_per_year, 4))
                    : std::string();
            extra += fmt::format("  expected cost per year: {} (95% CI {} .. {}): ownership {}{} + downtime {}\n",
                                 format_sig(cost.total_per_year.mean, 4), format_sig(cost.total_per_year.lo, 4),
                                 format_sig(cost.total_per_year.hi, 4), format_sig(cost.ownership_per_year, 4), operations,
                                 format_sig(cost.downtime_per_year.mean, 4));
        }
        if (next_step) {
            extra += "  " + next_step->precision_line + "\n";
        } else if (study.precision) {
            extra += "  " + report::describe(*study.precision) + "\n";
        }
        if (study.rare_event) extra += report::rare_event_to_text(*study.rare_event);
        std::cout << report::results_to_text(results, extra) << '\n';
        if (!study.expectations.empty()) {
            std::cout << "expectations\n" << report::expectations_to_text(study.expectations, false) << '\n';
        }
        std::cout << report::timing_to_text(results) << '\n';
    }
    std::cout.flush();
}

sim::RunOptions run_options_for(const Model& model, const SettingsOverrides& overrides, ProgressLine* progress) {
    sim::RunOptions run;
    run.settings = model.simulation;
    apply_overrides(overrides, run.settings);
    run.cancel = &g_cancel;
    if (progress) run.progress = [progress](std::int64_t done, std::int64_t total) { progress->update(done, total); };
    return run;
}

std::vector<SweepAxis> sweep_axes_for(const std::string& scenario, const std::vector<std::string>& sets,
                                      const std::vector<std::string>& links) {
    std::vector<SweepAxis> axes;
    for (const std::string& spec : sets) {
        axes.push_back(io::parse_sweep_spec(spec, SourceLocation{"command line (--set " + spec + ")", 0, 0}));
    }
    for (const std::string& spec : links) {
        axes.push_back(io::parse_linked_spec(spec, SourceLocation{"command line (--link " + spec + ")", 0, 0}));
    }
    if (axes.empty()) {
        const Model model = io::read_scenario_file(scenario);
        for (const Model::SweepAxis& a : model.sweep) axes.push_back(a);
        if (axes.empty()) {
            throw InputError(SourceLocation{scenario, 0, 0},
                             "nothing to sweep: give --set KEY=VALUES (for example --set web.count=2..6) or a 'sweep:' section");
        }
    }
    return axes;
}

SweepGoal sweep_goal_for(const std::string& scenario, const std::optional<std::string>& option) {
    if (option) {
        if (*option == "smallest") return SweepGoal::Smallest;
        if (*option == "cheapest") return SweepGoal::Cheapest;
        throw InputError(SourceLocation{"command line (--goal)", 0, 0},
                         "sweep goal '" + *option + "' is not known: write smallest or cheapest");
    }
    try {
        return io::read_scenario_file(scenario).sweep_goal;
    } catch (const InputError&) {
        return SweepGoal::Cheapest;
    }
}

void write_sweep_outputs(const study::SweepResults& result, const std::optional<std::string>& csv,
                         const std::optional<std::string>& json, bool quiet) {
    report::OutputFiles files(&g_cancel);
    if (csv) files.add(*csv, report::sweep_to_csv(result));
    const bool json_to_stdout = json && *json == "-";
    if (json && !json_to_stdout) files.add(*json, report::sweep_to_json(result).dump(2) + "\n");
    files.commit();
    if (json_to_stdout) std::cout << report::sweep_to_json(result).dump(2) << "\n";
    if (!json_to_stdout && !quiet) std::cout << report::sweep_to_text(result);
}

void write_compare_outputs(const study::CompareResults& result, const std::optional<std::string>& json, bool quiet) {
    const bool json_to_stdout = json && *json == "-";
    if (json) {
        const std::string text = report::compare_to_json(result).dump(2) + "\n";
        if (json_to_stdout) {
            std::cout << text;
        } else {
            report::write_file_atomically(*json, text, &g_cancel);
        }
    }
    if (!json_to_stdout && !quiet) std::cout << report::compare_to_text(result);
}

}  // namespace nines::cli
