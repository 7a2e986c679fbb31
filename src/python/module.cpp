// The compiled half of the Python package `nines` (imported as nines._nines). It exposes scenarios,
// runs, analysis, sweeps and checks; results cross the boundary as JSON text (the same documented
// layout as the CLI's) plus numpy arrays for the series. Library errors become Python exceptions
// carrying the file:line:column message. Runs release the GIL and stop on Ctrl-C (KeyboardInterrupt).
#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "analytic/analysis.h"
#include "analytic/bdd.h"
#include "io/expectation_reader.h"
#include "io/quantity.h"
#include "io/scenario_files.h"
#include "io/scenario_overrides.h"
#include "io/scenario_reader.h"
#include "io/sweep_points.h"
#include "io/text_file.h"
#include "model/metric_registry.h"
#include "report/analytic_report.h"
#include "report/check_report.h"
#include "report/compare_report.h"
#include "report/json_report.h"
#include "report/sweep_report.h"
#include "sim/slo_windows.h"
#include "study/command_table.h"
#include "study/compare.h"
#include "study/cost.h"
#include "study/study.h"
#include "study/sweep.h"

namespace py = pybind11;
using namespace nines;

namespace {

// A scenario: its text (so parameters can be overridden) and its validated model.
struct Scenario {
    std::string text;
    std::string name;  // file path, or the name given with the text
    std::shared_ptr<Model> model;
    bool is_file = false;  // read from the file `name`, unchanged (so a study that takes files can read it again)
};

Scenario load_text(const std::string& text, const std::string& name) {
    Scenario s{text, name, std::make_shared<Model>(io::read_scenario_text(text, name))};
    return s;
}

Scenario load_file(const std::string& path) {
    // Regular files of bounded size only: reading /dev/zero or a pipe would never end.
    std::string text = io::read_text_file(path, SourceLocation{path, 0, 0}, "the scenario file");
    Model model = io::read_scenario_text(text, path);
    return Scenario{std::move(text), path, std::make_shared<Model>(std::move(model)), true};
}

Scenario with_values(const Scenario& s, const py::dict& values) {
    std::vector<io::Assignment> assignments;
    std::string label;
    for (auto item : values) {
        const std::string key = py::str(item.first);
        const std::string value = py::str(item.second);
        assignments.push_back({key, value, SourceLocation{"with_values(" + key + ")", 0, 0}});
        label += (label.empty() ? "" : ", ") + key + "=" + value;
    }
    const std::string text = io::apply_assignments(s.text, s.name, assignments);
    // The name keeps the original file (imports resolve relative to it) and says what changed.
    Model model = io::read_scenario_text(text, s.name);
    return Scenario{text, s.name, std::make_shared<Model>(std::move(model))};
}

// The same checks as the CLI's apply_overrides (cli/commands.cpp), naming the Python argument.
void apply(SimulationSettings& settings, std::optional<std::int64_t> replications, std::optional<std::uint64_t> seed,
           std::optional<int> threads, std::optional<std::string> horizon) {
    const SourceLocation where{"argument", 0, 0};
    if (replications) {
        if (*replications < 1) throw InputError(where, "replications must be at least 1");
        settings.replications = *replications;
        settings.precision.reset();  // an explicit count replaces a precision target
        settings.location = where;
    }
    if (seed) settings.seed = *seed;
    if (threads) {
        if (*threads < 0) throw InputError(where, "threads must be 0 (all cores) or more");
        settings.threads = *threads;
    }
    if (horizon) {
        double hours = 0;
        std::string problem;
        if (!io::parse_duration_text(*horizon, hours, problem)) throw InputError(where, "horizon: " + problem);
        if (hours <= 0) throw InputError(where, "horizon must be a positive time");
        if (settings.warmup_h >= hours) throw InputError(where, "horizon must be longer than the warm-up");
        settings.horizon_h = hours;
        settings.location = where;
    }
}

// Runs `work` on a worker thread with the GIL released; every 50 ms checks for Ctrl-C (or any
// pending signal) and, if one arrived, cancels the work and re-raises it in Python.
template <typename Result>
Result run_interruptible(std::atomic<bool>& cancel, std::function<Result()> work) {
    std::future<Result> future = std::async(std::launch::async, std::move(work));
    for (;;) {
        {
            py::gil_scoped_release release;
            if (future.wait_for(std::chrono::milliseconds(50)) == std::future_status::ready) break;
        }
        if (PyErr_CheckSignals() != 0) {
            cancel = true;
            {
                py::gil_scoped_release release;
                future.wait();
            }
            try {
                future.get();
            } catch (...) {
            }
            throw py::error_already_set();
        }
    }
    return future.get();
}

py::array_t<double> array(const std::vector<double>& v) { return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data()); }

py::dict run(const Scenario& s, std::optional<std::int64_t> replications, std::optional<std::uint64_t> seed,
             std::optional<int> threads, std::optional<std::string> horizon) {
    std::atomic<bool> cancel{false};
    study::StudyOptions options;
    options.run.settings = s.model->simulation;
    apply(options.run.settings, replications, seed, threads, horizon);
    options.run.cancel = &cancel;
    auto model = s.model;
    const study::StudyResults r =
        run_interruptible<study::StudyResults>(cancel, [model, options]() { return study::run_study(*model, options); });
    py::dict out;
    // The one builder `nines run --json` uses: the same text, byte for byte (timing aside).
    out["json"] = report::run_to_json_text(r, study::expected_cost(*model, r.simulation));
    out["t_h"] = array(r.simulation.grid_t_h);
    out["availability"] = array(r.simulation.point_availability);
    out["availability_lo"] = array(r.simulation.point_availability_lo);
    out["availability_hi"] = array(r.simulation.point_availability_hi);
    out["reliability"] = array(r.simulation.reliability);
    out["cell_start_h"] = array(r.simulation.cell_start_h);
    out["cell_availability"] = array(r.simulation.cell_availability);
    out["cell_availability_lo"] = array(r.simulation.cell_availability_lo);
    out["cell_availability_hi"] = array(r.simulation.cell_availability_hi);
    out["downtime_per_year_h"] = array(r.simulation.year_downtime_samples_h);
    out["outage_durations_h"] = array(r.simulation.outage_samples_h);
    out["first_failure_h"] = array(r.simulation.first_failure_samples_h);
    out["replication_availability"] = array(r.simulation.replication_availability);
    // Per SLO window kind: every window's downtime (replication order) and the windows' ends, the same
    // in every replication (for charts of the downtime per window and the budget burn over a year).
    py::dict slo_downtime, slo_end, slo_budget;
    for (std::size_t k = 0; k < r.simulation.slos.size() && k < model->slos.size(); ++k) {
        const sim::SloResult& o = r.simulation.slos[k];
        const sim::SloWindowPlan plan = sim::plan_slo_windows(model->slos[k], r.simulation.warmup_h, r.simulation.horizon_h);
        slo_downtime[py::str(o.window)] = array(o.downtime_samples_h);
        slo_end[py::str(o.window)] = array(plan.end);
        slo_budget[py::str(o.window)] = array(plan.budget_h);
    }
    // Every system outage of the window (outages.csv): when it started and ended, hours from its
    // replication's start (for charts by hour of the day or week).
    std::vector<double> outage_start, outage_end;
    for (const sim::OutageResult& o : r.simulation.outage_list) {
        outage_start.push_back(o.start_h);
        outage_end.push_back(o.end_h);
    }
    out["outage_start_h"] = array(outage_start);
    out["outage_end_h"] = array(outage_end);
    out["slo_downtime_h"] = slo_downtime;
    out["slo_window_end_h"] = slo_end;
    out["slo_window_budget_h"] = slo_budget;
    return out;
}

std::string analyze(const Scenario& s, int order, const std::string& method, std::optional<std::string> mission_time,
                    std::optional<std::string> bdd_memory, std::optional<long> bound_branches) {
    analytic::AnalysisOptions options;
    options.max_cut_set_order = order;
    if (bound_branches) {
        if (*bound_branches < 1) throw InputError(SourceLocation{"argument", 0, 0}, "bound_branches takes a positive count of expansions");
        options.bracket_branch_limit = *bound_branches;
    }
    if (bdd_memory) {
        double bytes = 0;
        std::string problem;
        if (io::parse_memory_text(*bdd_memory, bytes, problem)) problem = analytic::bdd_memory_refusal(bytes);
        if (!problem.empty()) throw InputError(SourceLocation{"argument", 0, 0}, "bdd_memory: " + problem);
        options.bdd_node_limit = analytic::bdd_node_limit_for_memory(bytes);
    }
    if (mission_time) {
        double hours = 0;
        std::string problem;
        if (!io::parse_duration_text(*mission_time, hours, problem) || !(hours > 0)) {
            throw InputError(SourceLocation{"argument", 0, 0}, "mission_time takes a positive duration (e.g. \"1y\")" +
                                                                   (problem.empty() ? std::string() : ": " + problem));
        }
        options.mission_time_h = hours;
    }
    if (method == "bdd") {
        options.method = analytic::Method::Bdd;
    } else if (method == "ctmc") {
        options.method = analytic::Method::Ctmc;
    } else if (method != "auto") {
        throw InputError(SourceLocation{"argument", 0, 0}, "method must be auto, bdd or ctmc");
    }
    py::gil_scoped_release release;
    const analytic::AnalyticResults r = analytic::analyze(*s.model, options);
    return report::analytic_to_json(r, s.model->name, s.model->file, /*per_instance=*/true).dump();
}

// One axis from a Python value: a list or tuple of values, or a text range ("2..6", "30min..2h:30min").
io::SweepAxis axis_from_python(const std::string& key, const py::handle& value, const SourceLocation& where) {
    if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
        io::SweepAxis axis{key, {}, where, {}};
        for (auto v : value) axis.values.push_back(py::str(v));
        if (axis.values.empty()) throw InputError(where, "sweep over '" + key + "': no values");
        return axis;
    }
    return io::parse_sweep_spec(key + "=" + std::string(py::str(value)), where);
}

// Keys that move together, as the scenario's `sweep: { link: ... }`: {"db.count": [3, 5], "system.k_of_n.k": [2, 3]}.
io::SweepAxis linked_axis_from_python(const py::handle& group, const SourceLocation& where) {
    if (!py::isinstance<py::dict>(group)) {
        throw InputError(where, "'link' takes a dict of keys to values that move together, as in "
                                "{\"link\": {\"db.count\": [3, 5], \"system.k_of_n.k\": [2, 3]}}, or a list of such dicts");
    }
    std::vector<io::SweepAxis> linked;
    for (auto item : py::reinterpret_borrow<py::dict>(group)) {
        const std::string key = py::str(item.first);
        linked.push_back(axis_from_python(key, item.second, SourceLocation{"sweep(link " + key + ")", 0, 0}));
    }
    if (linked.empty()) throw InputError(where, "'link' has no keys");
    return io::link_axes(std::move(linked), where);
}

std::string sweep(const std::string& path, const py::dict& axes_dict, std::optional<std::int64_t> replications,
                  std::optional<std::uint64_t> seed, std::optional<int> threads, std::optional<std::string> goal_name) {
    std::vector<io::SweepAxis> axes;
    for (auto item : axes_dict) {
        const std::string key = py::str(item.first);
        const SourceLocation where{"sweep(" + key + ")", 0, 0};
        if (key == "link") {
            // As in a scenario's sweep section: one group, or a list of groups.
            if (py::isinstance<py::list>(item.second) || py::isinstance<py::tuple>(item.second)) {
                for (auto group : item.second) axes.push_back(linked_axis_from_python(group, where));
            } else {
                axes.push_back(linked_axis_from_python(item.second, where));
            }
            continue;
        }
        axes.push_back(axis_from_python(key, item.second, where));
    }
    SweepGoal goal = SweepGoal::Cheapest;
    if (goal_name && *goal_name == "smallest") {
        goal = SweepGoal::Smallest;
    } else if (goal_name && *goal_name != "cheapest") {
        throw InputError(SourceLocation{"sweep(goal)", 0, 0}, "sweep goal '" + *goal_name + "' is not known: write smallest or cheapest");
    }
    if (axes.empty()) {
        const Model model = io::read_scenario_file(path);
        for (const Model::SweepAxis& a : model.sweep) axes.push_back(a);
        if (!goal_name) goal = model.sweep_goal;
    } else if (!goal_name) {
        // The file's goal holds unless one is given (as `nines sweep --goal`); a file valid only at
        // some points still sweeps (each point reports its own problem), with the default goal.
        try {
            goal = io::read_scenario_file(path).sweep_goal;
        } catch (const InputError&) {
        }
    }
    std::atomic<bool> cancel{false};
    study::StudyOptions base;
    base.resolve_inconclusive = true;
    base.run.cancel = &cancel;
    auto adjust = [=](SimulationSettings& s) { apply(s, replications, seed, threads, std::nullopt); };
    const study::SweepResults r = run_interruptible<study::SweepResults>(
        cancel, [path, axes, adjust, base, goal]() { return study::run_sweep(axes, io::sweep_point_models(path, axes), adjust, base, goal); });
    return report::sweep_to_json(r).dump();
}

std::string check(const std::vector<std::string>& paths, bool strict, std::optional<std::int64_t> max_replications) {
    std::vector<report::CheckedScenario> checked;
    for (const std::string& file : io::collect_scenario_files(paths)) {  // files and folders, as `nines check`
        report::CheckedScenario c;
        c.file = file;
        try {
            const Model model = io::read_scenario_file(file);
            c.name = model.name;
            std::atomic<bool> cancel{false};
            study::StudyOptions so;
            so.run.settings = model.simulation;
            so.run.cancel = &cancel;
            so.resolve_inconclusive = true;
            so.max_replications = max_replications.value_or(0);
            c.study = run_interruptible<study::StudyResults>(cancel, [&model, so]() { return study::run_study(model, so); });
        } catch (const InputError& e) {
            c.input_error = true;
            c.error = e.what();
        } catch (const UnsupportedError& e) {
            c.input_error = true;
            c.error = file + ": error: " + e.what();
        }
        checked.push_back(std::move(c));
    }
    return report::check_to_json(checked, strict).dump();
}

std::string compare(const std::vector<std::string>& files, std::optional<std::int64_t> replications,
                    std::optional<std::uint64_t> seed, std::optional<int> threads, std::optional<std::string> horizon) {
    if (files.size() < 2) throw InputError(SourceLocation{"argument", 0, 0}, "compare needs two or more scenarios");
    std::atomic<bool> cancel{false};
    study::StudyOptions base;
    base.run.cancel = &cancel;
    auto adjust = [=](SimulationSettings& s) { apply(s, replications, seed, threads, horizon); };
    const study::CompareResults r = run_interruptible<study::CompareResults>(
        cancel, [files, adjust, base]() {
            std::vector<Model> designs;  // reading is io's job; study takes the models
            for (const std::string& file : files) designs.push_back(io::read_scenario_file(file));
            return study::compare_designs(designs, adjust, base);
        });
    return report::compare_to_json(r).dump(2) + "\n";
}

// The metric registry as Python dicts: what nines.metrics() returns and the charts read their keys and
// labels from. Units are those of the JSON values (durations in hours).
py::list metric_registry_rows() {
    py::list out;
    for (const MetricSpec& m : metric_registry()) {
        const char* unit = "";
        switch (m.unit) {
            case MetricUnit::Probability: unit = "probability"; break;
            case MetricUnit::Duration: unit = "hours"; break;
            case MetricUnit::Number: unit = "number"; break;
            case MetricUnit::Verdict: unit = "verdict"; break;
        }
        py::dict row;
        row["name"] = m.name;
        row["written"] = m.written;
        row["alias"] = *m.alias ? py::object(py::str(m.alias)) : py::object(py::none());
        row["unit"] = unit;
        row["scope"] = m.scope == MetricScope::System ? "system" : "component";
        row["json_path"] = m.json_path;
        row["result_key"] = *result_key(m).c_str() ? py::object(py::str(result_key(m))) : py::object(py::none());
        row["label"] = *m.text_label ? m.text_label : m.name;  // the text report's label, or the name where it has no row
        row["column_label"] = *m.column_label ? py::object(py::str(m.column_label)) : py::object(py::none());
        row["csv"] = *m.csv_name ? py::object(py::str(m.csv_name)) : py::object(py::none());
        row["precision_target"] = m.precision_target;
        row["headline"] = m.headline;
        out.append(row);
    }
    return out;
}

}  // namespace

PYBIND11_MODULE(_nines, m) {
    m.doc() = "nines: availability of redundant systems (compiled core)";
    m.attr("__version__") = NINES_VERSION;
    // pybind11 tries the most recently registered translator first: the base class goes first.
    py::register_exception<Error>(m, "Error", PyExc_RuntimeError);
    static py::exception<InputError> input_error_type(m, "InputError", PyExc_ValueError);
    // Every independent mistake of a file: the message lists them one per line (the first first), and
    // `errors` holds them as a list. Registered last, so tried before the generic translators.
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const InputError& e) {
            const std::vector<std::string> lines = diagnostic_lines(e);
            std::string message;
            for (const std::string& line : lines) message += (message.empty() ? "" : "\n") + line;
            py::object error = py::reinterpret_borrow<py::object>(input_error_type.ptr())(message);
            error.attr("errors") = py::cast(lines);
            PyErr_SetObject(input_error_type.ptr(), error.ptr());
        }
    });
    py::register_exception<UnsupportedError>(m, "UnsupportedError", PyExc_RuntimeError);

    py::class_<Scenario>(m, "Scenario", "A validated scenario: its YAML text and the model read from it. Build one with "
                                       "Scenario.from_file(path) or Scenario.from_yaml(text, name).")
        .def_static("from_file", &load_file, py::arg("path"),
                    "Read and validate a scenario file; errors raise InputError naming file:line:column.")
        .def_static("from_yaml", &load_text, py::arg("text"), py::arg("name") = "<string>",
                    "Read and validate a scenario from YAML text; `name` stands for the file in messages.")
        .def("with_values", &with_values, py::arg("values"),
             "A new Scenario with parameters replaced by path, e.g. s.with_values({\"web.count\": 6}).")
        .def_property_readonly("name", [](const Scenario& s) { return s.model->name; }, "The scenario's name: field.")
        .def_property_readonly("file", [](const Scenario& s) { return s.name; }, "The file it was read from (or the name given).")
        .def_property_readonly("text", [](const Scenario& s) { return s.text; }, "The YAML text, overrides applied.")
        .def_property_readonly("components", [](const Scenario& s) {
            std::vector<std::string> names;
            for (const Component& c : s.model->components) names.push_back(c.name);
            return names;
        }, "The component names, in file order.")
        .def_property_readonly("budget_h", [](const Scenario& s) { return s.model->budget_h; },
                               "The downtime budget per year in hours, or None.")
        .def_property_readonly("is_file", [](const Scenario& s) { return s.is_file; },
                               "True when read unchanged from the file `file`.")
        .def_property_readonly("capacity_blocks", [](const Scenario& s) {
            // Each capacity block: its members (instances, with their component and capacity) and its
            // demand hour by hour (24 or 168 values; one value when constant), for capacity charts.
            py::list out;
            const Model& model = *s.model;
            for (const Block& b : model.blocks) {
                if (b.kind != BlockKind::Capacity) continue;
                py::list members;
                for (std::size_t c = 0; c < b.children.size(); ++c) {
                    const Block& child = model.blocks[static_cast<std::size_t>(b.children[c])];
                    if (child.kind != BlockKind::Instance) continue;
                    const Instance& inst = model.instances[static_cast<std::size_t>(child.instance)];
                    py::dict member;
                    member["instance"] = model.instance_name(child.instance);
                    member["component"] = model.components[static_cast<std::size_t>(inst.component)].name;
                    member["capacity"] = c < b.weights.size() ? b.weights[c] : 1;
                    members.append(member);
                }
                py::dict block;
                block["name"] = b.name;
                block["members"] = members;
                block["demand_by_hour"] = b.demand_profile.empty() ? std::vector<double>{b.demand} : b.demand_profile;
                out.append(block);
            }
            return out;
        }, "The capacity blocks: [{'name', 'members': [{'instance', 'component', 'capacity'}], 'demand_by_hour'}].")
        .def_property_readonly("warnings", [](const Scenario& s) { return s.model->warnings; },
                               "Warnings the reader gave (the CLI prints them on stderr).");

    m.def("_run", &run, py::arg("scenario"), py::arg("replications") = py::none(), py::arg("seed") = py::none(),
          py::arg("threads") = py::none(), py::arg("horizon") = py::none());
    m.def("_analyze", &analyze, py::arg("scenario"), py::arg("order") = 4, py::arg("method") = "auto",
          py::arg("mission_time") = std::nullopt, py::arg("bdd_memory") = std::nullopt, py::arg("bound_branches") = std::nullopt);
    m.def("_sweep", &sweep, py::arg("path"), py::arg("axes"), py::arg("replications") = py::none(),
          py::arg("seed") = py::none(), py::arg("threads") = py::none(), py::arg("goal") = py::none());
    m.def("_compare", &compare, py::arg("files"), py::arg("replications") = py::none(), py::arg("seed") = py::none(),
          py::arg("threads") = py::none(), py::arg("horizon") = py::none());
    m.def("_metrics", []() { return io::expectation_metric_names(); }, "The metric names an expectation may use.");
    m.def("_metric_registry", &metric_registry_rows, "The metric registry: one dict per metric.");
    m.def("_commands", []() {
        py::list out;
        for (const study::CommandSpec& c : study::kCommands) {
            out.append(py::make_tuple(c.name, c.summary, *c.python ? py::object(py::str(c.python)) : py::object(py::none())));
        }
        return out;
    }, "The command table (name, summary, Python function or None), as the CLI lists it.");
    m.def("_check", &check, py::arg("paths"), py::arg("strict") = false, py::arg("max_replications") = py::none());
}
