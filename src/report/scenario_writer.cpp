#include "report/scenario_writer.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace nines::report {

namespace {

// The probability cycle of an event given as a probability: long enough to read as hours, and the
// same as the converted benchmark files (bench/fault-trees), so imports compare with them value for value.
constexpr double kCycleHours = 1000.0;

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + "\"";
}

// Free text for a one-line comment: line breaks and other control characters become spaces.
std::string one_line(const std::string& s) {
    std::string out;
    for (char ch : s) out += static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f ? ' ' : ch;
    return out;
}

std::string number(double v) { return fmt::format("{}", v); }

class Writer {
public:
    explicit Writer(const FaultTree& tree) : tree_(tree), gate_names_(tree.gates.size()) {}

    std::string run() {
        name_gates();
        header();
        out_ += "name: " + quoted(tree_.name + " (imported from " + tree_.format + ")") + "\n";
        components();
        blocks();
        out_ += "system: " + quoted(input_name(tree_.top)) + "\n";
        return out_;
    }

private:
    // Named gates keep their names; a nested formula is named after its gate and position
    // (g_2: the second input of g), made unique against every other name.
    void name_gates() {
        std::set<std::string> taken;
        for (const FaultTreeEvent& e : tree_.events) taken.insert(e.name);
        for (const FaultTreeGate& g : tree_.gates) taken.insert(g.name);
        for (std::size_t c = 0; c < tree_.common_causes.size(); ++c) {
            for (int m : tree_.common_causes[c].members) {
                member_group_[m] = static_cast<int>(c);
                independent_names_[m] = unique(tree_.events[static_cast<std::size_t>(m)].name + "_independent", taken);
            }
            ccf_names_.push_back(unique(tree_.common_causes[c].name + "_ccf", taken));
        }
        for (std::size_t g = 0; g < tree_.gates.size(); ++g) {
            if (!tree_.gates[g].name.empty()) {
                gate_names_[g] = tree_.gates[g].name;
                taken.insert(gate_names_[g]);
            }
        }
        // Parents come after their inputs in the gate list: walk it backwards so that a name is known before its inputs need it.
        for (std::size_t g = tree_.gates.size(); g-- > 0;) {
            if (gate_names_[g].empty()) gate_names_[g] = unique("formula", taken);  // not reachable from a named gate
            const FaultTreeGate& gate = tree_.gates[g];
            for (std::size_t i = 0; i < gate.inputs.size(); ++i) {
                const FaultTreeInput& in = gate.inputs[i];
                const auto child = static_cast<std::size_t>(in.index);
                if (in.is_gate && gate_names_[child].empty()) gate_names_[child] = unique(gate_names_[g] + "_" + std::to_string(i + 1), taken);
            }
        }
    }

    static std::string unique(std::string name, std::set<std::string>& taken) {
        while (taken.count(name)) name += "_";
        taken.insert(name);
        return name;
    }

    std::string input_name(const FaultTreeInput& in) const {
        return in.is_gate ? gate_names_[static_cast<std::size_t>(in.index)] : tree_.events[static_cast<std::size_t>(in.index)].name;
    }

    void header() {
        out_ += "# Imported by `nines import` from " + tree_.format + ": " + one_line(tree_.source) + "\n";
        out_ += fmt::format("# top event '{}': {} basic events -> components, {} gates -> blocks{}\n", one_line(input_name(tree_.top)),
                            tree_.events.size(), tree_.gates.size(),
                            tree_.common_causes.empty() ? "" : fmt::format(", {} common-cause groups", tree_.common_causes.size()));
        // Only the rules this tree uses: the header explains the file below it, not the importer.
        bool probabilities = false, rates = false, unrepaired = false, at_least = false, single = false, nested = false;
        for (const FaultTreeEvent& e : tree_.events) {
            probabilities |= e.probability.has_value();
            rates |= e.failure_rate_per_h.has_value();
            unrepaired |= e.failure_rate_per_h.has_value() && !e.repair_rate_per_h;
        }
        for (const FaultTreeGate& g : tree_.gates) {
            at_least |= g.kind == FaultTreeGateKind::AtLeast;
            single |= g.inputs.size() == 1;
            nested |= g.name.empty();
        }
        out_ += "# Translation (nines describes when the system WORKS; a fault tree when it FAILS):\n";
        out_ += "# - a basic event is a component that is down while the event is true;\n";
        if (probabilities) {
            out_ += "# - probability q -> exponential mttf = (1 - q) x 1000 h, mttr = q x 1000 h: steady-state\n";
            out_ += "#   unavailability exactly q (`nines analyze` depends on q only; `nines run` simulates 1000 h cycles;\n";
            out_ += "#   the cycle is 0.001 h / min(q, 1 - q) when that is longer, so that no time is under 3.6 s);\n";
        }
        if (rates) out_ += "# - failure rate lambda and repair rate mu (per hour) -> mttf = 1/lambda, mttr = 1/mu (exponential);\n";
        if (unrepaired) out_ += "# - a failure rate without a repair rate -> a component that is never repaired (steady state: down);\n";
        out_ += "# - OR (fails if any input fails) -> series; AND (fails if all inputs fail) -> parallel;\n";
        if (at_least) out_ += "# - at least k of n inputs failed -> k_of_n with n - k + 1 of n inputs up;\n";
        if (single) out_ += "# - a gate that only names another event -> a series of that one event (the same event);\n";
        if (nested) out_ += "# - a formula nested in a gate -> a block named <gate>_<position of the formula>;\n";
        if (!tree_.common_causes.empty()) {
            out_ += "# - beta-factor CCF group (members of total probability q) -> as MEF tools expand it: each member\n";
            out_ += "#   becomes a block, a series of its independent failure <member>_independent (q x (1 - beta)) and\n";
            out_ += "#   the group's common failure <group>_ccf (q x beta), one component shared by every member;\n";
        }
        out_ += "# - system: the top event's gate: nines' unavailability is the probability of the top event.\n";
        for (const std::string& note : tree_.notes) out_ += "# - " + one_line(note) + "\n";
    }

    void components() {
        out_ += "components:\n";
        for (std::size_t i = 0; i < tree_.events.size(); ++i) {
            const FaultTreeEvent& e = tree_.events[i];
            auto group = member_group_.find(static_cast<int>(i));
            if (group != member_group_.end()) {
                const FaultTreeCommonCause& c = tree_.common_causes[static_cast<std::size_t>(group->second)];
                const double q = *e.probability * (1 - c.beta);
                check_probability(e, q);
                check_probability(e, *e.probability * c.beta);
                out_ += "  " + quoted(independent_names_.at(static_cast<int>(i))) + ": { " + probability_law(q) + " }  # " +
                        fmt::format("q x (1 - beta) = {} x (1 - {}): '{}' failing alone", number(*e.probability), number(c.beta), one_line(e.name)) + "\n";
                continue;
            }
            std::string law;
            std::string why;
            if (e.probability) {
                const double q = *e.probability;
                check_probability(e, q);
                law = probability_law(q);
                why = "q = " + number(q) + (e.origin == "probability" ? "" : " from " + e.origin);
            } else {
                law = fmt::format("failure: {{ mttf: {} }}", number(1.0 / *e.failure_rate_per_h));
                if (e.repair_rate_per_h) law += fmt::format(", repair: {{ mttr: {} }}", number(1.0 / *e.repair_rate_per_h));
                why = e.origin;
            }
            out_ += "  " + quoted(e.name) + ": { " + law + " }  # " + one_line(why) + (e.label.empty() ? "" : "; " + one_line(e.label)) + "\n";
        }
        common_causes();
    }

    // The cycle is longer than 1000 h when q or 1 - q is below 1e-6, so that neither duration is
    // under 3.6 s (nines refuses durations under 1 ns); q or 1 - q below 1e-18 would need a cycle
    // beyond nines' 1e12-year limit on durations (refused by the readers' callers, see check_probability).
    static double cycle_hours(double q) { return std::max(kCycleHours, 1e-3 / std::min(q, 1 - q)); }

    static std::string probability_law(double q) {
        const double cycle = cycle_hours(q);
        return fmt::format("failure: {{ mttf: {} }}, repair: {{ mttr: {} }}", number((1 - q) * cycle), number(q * cycle));
    }

    static void check_probability(const FaultTreeEvent& e, double q) {
        if (std::min(q, 1 - q) < 1e-18) {
            throw InputError(e.location, "basic event '" + e.name + "': probability " + number(q) +
                                             " is within 1e-18 of 0 or 1; nines cannot write it as failure and repair times (at most 1e12 years)");
        }
    }

    void blocks() {
        out_ += "blocks:\n";
        for (const auto& [member, group] : member_group_) {
            out_ += "  " + quoted(tree_.events[static_cast<std::size_t>(member)].name) + ": { series: [" + quoted(independent_names_.at(member)) + ", " +
                    quoted(ccf_names_[static_cast<std::size_t>(group)]) + "] }  # member of CCF group '" +
                    one_line(tree_.common_causes[static_cast<std::size_t>(group)].name) + "': fails alone or with the group\n";
        }
        for (std::size_t g = 0; g < tree_.gates.size(); ++g) {
            const FaultTreeGate& gate = tree_.gates[g];
            std::string members;
            for (std::size_t i = 0; i < gate.inputs.size(); ++i) members += (i ? ", " : "") + quoted(input_name(gate.inputs[i]));
            const int n = static_cast<int>(gate.inputs.size());
            std::string block;
            std::string why;
            switch (gate.kind) {
                case FaultTreeGateKind::Or:
                    block = "series: [" + members + "]";
                    why = n == 1 ? "the same event as its input" : "OR";
                    break;
                case FaultTreeGateKind::And:
                    block = "parallel: [" + members + "]";
                    why = "AND";
                    break;
                case FaultTreeGateKind::AtLeast:
                    block = fmt::format("k_of_n: {{ k: {}, of: [{}] }}", n - gate.at_least + 1, members);
                    why = fmt::format("at least {} of {} failed", gate.at_least, n);
                    break;
            }
            out_ += "  " + quoted(gate_names_[g]) + ": { " + block + " }  # " + why + (gate.label.empty() ? "" : "; " + one_line(gate.label)) + "\n";
        }
    }

    // The group's common failure: one component per group, after the members' independent parts.
    void common_causes() {
        for (std::size_t c = 0; c < tree_.common_causes.size(); ++c) {
            const FaultTreeCommonCause& group = tree_.common_causes[c];
            const double q = *tree_.events[static_cast<std::size_t>(group.members.front())].probability * group.beta;
            out_ += "  " + quoted(ccf_names_[c]) + ": { " + probability_law(q) + " }  # " +
                    fmt::format("q x beta = {}: every member of CCF group '{}' failing together", number(q), one_line(group.name)) + "\n";
        }
    }

    const FaultTree& tree_;
    std::vector<std::string> gate_names_;
    std::map<int, int> member_group_;                // event -> its CCF group
    std::map<int, std::string> independent_names_;   // event -> its independent part's component
    std::vector<std::string> ccf_names_;             // group -> its common failure's component
    std::string out_;
};

}  // namespace

std::string write_scenario(const FaultTree& tree) { return Writer(tree).run(); }

}  // namespace nines::report
