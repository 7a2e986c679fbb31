#include "io/mef_reader.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "io/text_file.h"
#include "io/xml_document.h"

namespace nines::io {

namespace {

constexpr int kMaxIncludeDepth = 16;
constexpr int kMaxParameterDepth = 100;

std::string describe(const XmlElement& e) { return "<" + e.name + ">"; }

bool is_annotation(const XmlElement& e) { return e.name == "label" || e.name == "attributes"; }

bool is_reference(const XmlElement& e) {
    return e.name == "gate" || e.name == "event" || e.name == "basic-event" || e.name == "house-event";
}

const std::string& required_attribute(const XmlElement& e, const std::string& key) {
    const std::string* value = e.attribute(key);
    if (value == nullptr) throw InputError(e.location, describe(e) + " needs the attribute '" + key + "'");
    if (value->empty()) throw InputError(e.location, describe(e) + ": attribute '" + key + "' is empty");
    return *value;
}

double parse_number(const XmlElement& e, const std::string& key) {
    const std::string& text = required_attribute(e, key);
    // Finite decimals only: strtod also reads "nan", "inf" and hex floats, which no MEF tool writes.
    for (char ch : text) {
        if (!(std::isdigit(static_cast<unsigned char>(ch)) || ch == '.' || ch == 'e' || ch == 'E' || ch == '+' || ch == '-')) {
            throw InputError(e.location, describe(e) + ": " + key + "=\"" + text + "\" is not a decimal number");
        }
    }
    errno = 0;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value)) {
        throw InputError(e.location, describe(e) + ": " + key + "=\"" + text + "\" is not a finite decimal number");
    }
    return value;
}

std::string label_of(const XmlElement& e) {
    for (const auto& child : e.children) {
        if (child->name == "label") return child->text;
    }
    return {};
}

// The definition elements of the files, by name.
struct Definitions {
    std::vector<std::unique_ptr<XmlElement>> documents;
    std::map<std::string, const XmlElement*> gates, events, parameters, houses;
    std::map<std::string, const XmlElement*> ccf_member_of;  // basic event name -> its CCF group
    std::vector<const XmlElement*> ccf_groups;
    std::map<std::string, std::string> fault_tree_of;         // gate name -> the <define-fault-tree> holding it
    std::vector<std::string> files;
};

// Gates, basic events and house events share one namespace (a reference <event name="x"/> must name
// one thing); parameters have their own. Names become nines component and block names, which cannot
// hold spaces, commas or brackets.
void define(std::map<std::string, const XmlElement*>& table, const XmlElement& e, const std::string& kind, const Definitions& defs) {
    const std::string& name = required_attribute(e, "name");
    for (char ch : name) {
        if (ch == '[' || ch == ']' || ch == ',' || std::isspace(static_cast<unsigned char>(ch))) {
            throw InputError(e.location, kind + " name '" + name + "' contains a space, comma or bracket, which a nines name cannot hold");
        }
    }
    const bool parameter = &table == &defs.parameters;
    std::vector<const std::map<std::string, const XmlElement*>*> namespace_tables;
    if (parameter) {
        namespace_tables = {&defs.parameters};
    } else {
        namespace_tables = {&defs.gates, &defs.events, &defs.houses};
    }
    for (const auto* other : namespace_tables) {
        auto it = other->find(name);
        if (it != other->end()) {
            throw InputError(e.location, kind + " '" + name + "' is defined twice (first at " + it->second->location.str() + ")");
        }
    }
    table.emplace(name, &e);
}

void collect(const XmlElement& container, Definitions& defs, int include_depth, const std::string& fault_tree);

void include(const XmlElement& e, Definitions& defs, int include_depth) {
    const std::string& href = required_attribute(e, "href");
    const std::string* pointer = e.attribute("xpointer");
    if (pointer != nullptr && *pointer != "xpointer(/opsa-mef/*)") {
        throw InputError(e.location, "xi:include: only whole files are included (xpointer(/opsa-mef/*)), not '" + *pointer + "'");
    }
    if (include_depth >= kMaxIncludeDepth) {
        throw InputError(e.location, "xi:include nested more than " + std::to_string(kMaxIncludeDepth) + " deep (an include cycle?)");
    }
    const std::filesystem::path base = std::filesystem::path(e.location.file.str()).parent_path();
    const std::string path = (base / href).lexically_normal().string();
    const std::string text = read_text_file(path, e.location, "the included file '" + href + "'");
    defs.documents.push_back(parse_xml(text, path));
    defs.files.push_back(path);
    const XmlElement& root = *defs.documents.back();
    if (root.name != "opsa-mef") throw InputError(root.location, "the root element is " + describe(root) + ", not <opsa-mef>");
    collect(root, defs, include_depth + 1, "");
}

// Reads the definitions in <opsa-mef>, <define-fault-tree>, <define-component> and <model-data>.
void collect(const XmlElement& container, Definitions& defs, int include_depth, const std::string& fault_tree) {
    for (const auto& child : container.children) {
        const XmlElement& e = *child;
        if (is_annotation(e)) continue;
        if (e.name == "define-fault-tree") {
            collect(e, defs, include_depth, required_attribute(e, "name"));
        } else if (e.name == "define-component" || e.name == "model-data") {
            collect(e, defs, include_depth, fault_tree);
        } else if (e.name == "define-gate") {
            define(defs.gates, e, "gate", defs);
            if (!fault_tree.empty()) defs.fault_tree_of.emplace(required_attribute(e, "name"), fault_tree);
        } else if (e.name == "define-basic-event") {
            define(defs.events, e, "basic event", defs);
        } else if (e.name == "define-parameter") {
            define(defs.parameters, e, "parameter", defs);
        } else if (e.name == "define-house-event") {
            define(defs.houses, e, "house event", defs);
        } else if (e.name == "define-CCF-group") {
            defs.ccf_groups.push_back(&e);
        } else if (e.name == "xi:include") {
            include(e, defs, include_depth);
        } else if (e.name == "define-event-tree" || e.name == "define-initiating-event" || e.name == "define-sequence" ||
                   e.name == "define-rule" || e.name == "define-extern-function" || e.name == "define-alignment" ||
                   e.name == "define-consequence" || e.name == "define-consequence-group" || e.name == "define-substitution") {
            throw InputError(e.location, describe(e) + " is not imported: nines imports fault trees only (gates, basic events, parameters, beta-factor CCF groups)");
        } else {
            throw InputError(e.location, "unknown element " + describe(e) + " in " + describe(container));
        }
    }
}

// The one formula (or reference) inside a gate definition.
const XmlElement& formula_of(const XmlElement& gate) {
    const XmlElement* formula = nullptr;
    for (const auto& child : gate.children) {
        if (is_annotation(*child)) continue;
        if (formula != nullptr) throw InputError(child->location, "gate '" + required_attribute(gate, "name") + "' has more than one formula");
        formula = child.get();
    }
    if (formula == nullptr) throw InputError(gate.location, "gate '" + required_attribute(gate, "name") + "' has no formula");
    return *formula;
}

class Translator {
public:
    Translator(Definitions& defs, const MefOptions& options) : defs_(defs), options_(options) {}

    FaultTree run() {
        tree_.format = "Open-PSA MEF";
        for (std::size_t i = 0; i < defs_.files.size(); ++i) tree_.source += (i ? " + " : "") + defs_.files[i];
        read_ccf_groups();
        const XmlElement& top = find_top();
        // The scenario is named after the fault tree that holds the top gate (the gate itself when none).
        tree_.name = required_attribute(top, "name");
        if (auto it = defs_.fault_tree_of.find(tree_.name); it != defs_.fault_tree_of.end()) tree_.name = it->second;
        tree_.top = gate(top);
        for (const XmlElement* group : defs_.ccf_groups) add_ccf_group(*group);
        // What the top event does not use has no effect on it: left out, and said so.
        std::size_t unused_gates = 0, unused_events = 0;
        for (const auto& [name, element] : defs_.gates) unused_gates += gate_index_.count(name) ? 0 : 1;
        for (const auto& [name, element] : defs_.events) unused_events += event_index_.count(name) ? 0 : 1;
        if (unused_gates + unused_events > 0) {
            tree_.notes.push_back(std::to_string(unused_gates) + " gates and " + std::to_string(unused_events) +
                                  " basic events defined in the files are not under the top event: left out");
        }
        return std::move(tree_);
    }

private:
    // Every gate no other gate uses is a candidate top; there must be exactly one, or --top names it.
    const XmlElement& find_top() {
        if (defs_.gates.empty()) {
            throw InputError(SourceLocation{defs_.files.empty() ? "" : defs_.files.front(), 1, 1}, "no gate defined: nothing to import");
        }
        if (!options_.top.empty()) {
            auto it = defs_.gates.find(options_.top);
            if (it == defs_.gates.end()) throw InputError(SourceLocation{"command line", 0, 0}, "--top: no gate named '" + options_.top + "'");
            return *it->second;
        }
        std::set<std::string> used;
        for (const auto& [name, element] : defs_.gates) collect_references(formula_of(*element), used, 0);
        std::vector<const XmlElement*> tops;
        for (const auto& [name, element] : defs_.gates) {
            if (!used.count(name)) tops.push_back(element);
        }
        if (tops.empty()) {
            const XmlElement& any = *defs_.gates.begin()->second;
            throw InputError(any.location, "every gate is used by another gate: the gates form a cycle, no top gate");
        }
        if (tops.size() > 1) {
            std::string list;
            for (std::size_t i = 0; i < tops.size() && i < 5; ++i) list += (i ? ", " : "") + required_attribute(*tops[i], "name");
            if (tops.size() > 5) list += ", ...";
            throw InputError(tops[1]->location, std::to_string(tops.size()) + " gates are used by no other gate (" + list +
                                                     "): choose the top event with --top NAME");
        }
        return *tops.front();
    }

    void collect_references(const XmlElement& f, std::set<std::string>& used, int depth) {
        if (depth > kMaxXmlDepth) return;
        if (is_reference(f)) {
            if (const std::string* name = f.attribute("name")) used.insert(*name);
            return;
        }
        for (const auto& child : f.children) collect_references(*child, used, depth + 1);
    }

    // Returns the gate's input, translating it (and what it uses) on first use.
    FaultTreeInput gate(const XmlElement& definition) {
        const std::string& name = required_attribute(definition, "name");
        auto done = gate_index_.find(name);
        if (done != gate_index_.end()) return FaultTreeInput{true, done->second};
        if (!in_progress_.insert(name).second) {
            std::string path;
            for (const std::string& g : stack_) path += (path.empty() ? "" : " -> ") + g;
            throw InputError(definition.location, "cycle through gates: " + path + " -> " + name);
        }
        if (stack_.size() >= 2000) throw InputError(definition.location, "gates nested more than 2000 deep");
        stack_.push_back(name);
        const FaultTreeInput input = formula(formula_of(definition), name, label_of(definition), 0);
        stack_.pop_back();
        in_progress_.erase(name);
        gate_index_.emplace(name, input.index);
        return input;
    }

    // A formula: a connective becomes a gate (named after the definition, or anonymous when nested);
    // a bare reference in a definition is a gate with that one input (an OR of one: the same event).
    FaultTreeInput formula(const XmlElement& f, const std::string& name, const std::string& label, int depth) {
        FaultTreeGate g;
        g.name = name;
        g.label = label;
        g.location = f.location;
        if (is_reference(f)) {
            g.kind = FaultTreeGateKind::Or;
            g.inputs.push_back(reference(f));
            return add_gate(std::move(g));
        }
        if (f.name == "or") {
            g.kind = FaultTreeGateKind::Or;
        } else if (f.name == "and") {
            g.kind = FaultTreeGateKind::And;
        } else if (f.name == "atleast") {
            g.kind = FaultTreeGateKind::AtLeast;
            const double k = parse_number(f, "min");
            if (k != std::floor(k) || k < 1 || k > 1e9) throw InputError(f.location, "<atleast min=...>: min must be a whole number of at least 1");
            g.at_least = static_cast<int>(k);
        } else if (f.name == "not" || f.name == "xor" || f.name == "nand" || f.name == "nor" || f.name == "iff" ||
                   f.name == "imply" || f.name == "cardinality") {
            throw InputError(f.location, "<" + f.name + "> is not imported: nines structures are coherent (a failure never makes the system work), so negation and <" +
                                             f.name + "> have no equivalent");
        } else if (f.name == "constant") {
            throw InputError(f.location, "<constant> is not imported: a nines structure is made of components that fail and are repaired");
        } else {
            throw InputError(f.location, "unknown formula " + describe(f) + (name.empty() ? "" : " in gate '" + name + "'"));
        }
        for (const auto& child : f.children) {
            if (is_annotation(*child)) continue;
            if (depth >= kMaxXmlDepth) throw InputError(child->location, "formulas nested too deep");
            g.inputs.push_back(is_reference(*child) ? reference(*child) : formula(*child, "", "", depth + 1));
        }
        if (g.inputs.size() < 2) {
            throw InputError(f.location, describe(f) + " needs at least 2 arguments, has " + std::to_string(g.inputs.size()));
        }
        if (g.kind == FaultTreeGateKind::AtLeast && g.at_least > static_cast<int>(g.inputs.size())) {
            throw InputError(f.location, "<atleast min=\"" + std::to_string(g.at_least) + "\"> has only " + std::to_string(g.inputs.size()) + " arguments");
        }
        return add_gate(std::move(g));
    }

    FaultTreeInput add_gate(FaultTreeGate g) {
        tree_.gates.push_back(std::move(g));
        return FaultTreeInput{true, static_cast<int>(tree_.gates.size()) - 1};
    }

    FaultTreeInput reference(const XmlElement& r) {
        const std::string& name = required_attribute(r, "name");
        const std::string* type = r.attribute("type");
        const std::string kind = r.name == "event" && type != nullptr ? *type : r.name;
        if (kind == "house-event" || (kind == "event" && defs_.houses.count(name))) {
            throw InputError(r.location, "house event '" + name + "' is not imported: a house event is a constant (true or false), and a nines structure is made of components that fail and are repaired");
        }
        auto g = defs_.gates.find(name);
        auto e = defs_.events.find(name);
        auto c = defs_.ccf_member_of.find(name);
        if ((kind == "gate" || kind == "event") && g != defs_.gates.end()) return gate(*g->second);
        if ((kind == "basic-event" || kind == "event") && (e != defs_.events.end() || c != defs_.ccf_member_of.end())) {
            return FaultTreeInput{false, basic_event(name, r)};
        }
        if (kind != "gate" && kind != "basic-event" && kind != "event") {
            throw InputError(r.location, "unknown event type '" + kind + "'");
        }
        std::string what = kind == "event" ? "event" : kind == "gate" ? "gate" : "basic event";
        std::string hint;
        if (kind == "gate" && e != defs_.events.end()) hint = " ('" + name + "' is a basic event)";
        if (kind == "basic-event" && g != defs_.gates.end()) hint = " ('" + name + "' is a gate)";
        throw InputError(r.location, "undefined " + what + " '" + name + "'" + hint);
    }

    int basic_event(const std::string& name, const XmlElement& reference) {
        auto done = event_index_.find(name);
        if (done != event_index_.end()) return done->second;
        FaultTreeEvent event;
        event.name = name;
        auto ccf = defs_.ccf_member_of.find(name);
        if (ccf != defs_.ccf_member_of.end()) {
            // A member of a CCF group: its total probability is the group's <distribution>.
            const XmlElement& group = *ccf->second;
            event.location = group.location;
            const XmlElement* distribution = child_named(group, "distribution");
            if (distribution == nullptr) throw InputError(group.location, "CCF group '" + required_attribute(group, "name") + "' has no <distribution>");
            set_failure_law(event, only_argument(*distribution), "CCF group '" + required_attribute(group, "name") + "'");
            event.origin = "the <distribution> of CCF group '" + required_attribute(group, "name") + "': " + event.origin;
        } else {
            const XmlElement& definition = *defs_.events.at(name);
            event.location = definition.location;
            event.label = label_of(definition);
            const XmlElement* expression = nullptr;
            for (const auto& child : definition.children) {
                if (is_annotation(*child)) continue;
                if (expression != nullptr) throw InputError(child->location, "basic event '" + name + "' has more than one expression");
                expression = child.get();
            }
            if (expression == nullptr) {
                throw InputError(definition.location, "basic event '" + name + "' (used at " + reference.location.str() + ") has no probability or rate");
            }
            set_failure_law(event, *expression, "basic event '" + name + "'");
        }
        tree_.events.push_back(std::move(event));
        const int index = static_cast<int>(tree_.events.size()) - 1;
        event_index_.emplace(name, index);
        return index;
    }

    static const XmlElement* child_named(const XmlElement& e, const std::string& name) {
        for (const auto& child : e.children) {
            if (child->name == name) return child.get();
        }
        return nullptr;
    }

    static const XmlElement& only_argument(const XmlElement& e) {
        const XmlElement* argument = nullptr;
        for (const auto& child : e.children) {
            if (is_annotation(*child)) continue;
            if (argument != nullptr) throw InputError(child->location, describe(e) + " has more than one expression");
            argument = child.get();
        }
        if (argument == nullptr) throw InputError(e.location, describe(e) + " has no expression");
        return *argument;
    }

    // <float>, <int>, <parameter> and <system-mission-time/>: the constant expressions.
    double constant(const XmlElement& e, int depth) {
        if (e.name == "float" || e.name == "int") return parse_number(e, "value");
        if (e.name == "system-mission-time") return options_.mission_time_h;
        if (e.name == "parameter") {
            const std::string& name = required_attribute(e, "name");
            auto it = defs_.parameters.find(name);
            if (it == defs_.parameters.end()) throw InputError(e.location, "undefined parameter '" + name + "'");
            if (depth >= kMaxParameterDepth) throw InputError(e.location, "parameters refer to each other more than " + std::to_string(kMaxParameterDepth) + " deep (a cycle?)");
            return constant(only_argument(*it->second), depth + 1);
        }
        throw InputError(e.location, "expression " + describe(e) +
                                         " is not imported: nines reads <float>, <int>, <parameter> and <system-mission-time/> as values, and <exponential> and <GLM> as laws");
    }

    static void check_probability(const XmlElement& e, double p, const std::string& whose) {
        if (p < 0 || p > 1) throw InputError(e.location, whose + ": probability " + fmt_number(p) + " is outside [0, 1]");
        if (p == 0 || p == 1) {
            throw InputError(e.location, whose + ": probability " + fmt_number(p) +
                                             " makes the event a constant; a nines component must be able to fail and be repaired");
        }
    }

    static std::string fmt_number(double v) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.17g", v);
        return buffer;
    }

    static double positive_rate(const XmlElement& e, double value, const std::string& what) {
        if (!(value > 0)) throw InputError(e.location, what + " must be positive, got " + fmt_number(value));
        return value;
    }

    void set_failure_law(FaultTreeEvent& event, const XmlElement& e, const std::string& whose) {
        if (e.name == "exponential" || e.name == "GLM") {
            std::vector<const XmlElement*> args;
            for (const auto& child : e.children) {
                if (!is_annotation(*child)) args.push_back(child.get());
            }
            const std::size_t expected = e.name == "exponential" ? 2 : 4;
            if (args.size() != expected) {
                throw InputError(e.location, describe(e) + " takes " + std::to_string(expected) + " arguments, has " + std::to_string(args.size()));
            }
            if (e.name == "exponential") {
                // P(failed at t) of a unit that is never repaired: the mission-time probability.
                const double lambda = positive_rate(*args[0], constant(*args[0], 0), whose + ": the failure rate");
                const double t = positive_rate(*args[1], constant(*args[1], 0), whose + ": the mission time");
                const double p = -std::expm1(-lambda * t);
                check_probability(e, p, whose);
                event.probability = p;
                event.origin = "<exponential> lambda = " + fmt_number(lambda) + "/h, t = " + fmt_number(t) + " h: 1 - exp(-lambda t)";
                return;
            }
            const double gamma = constant(*args[0], 0);
            if (gamma != 0) {
                throw InputError(args[0]->location, whose + ": <GLM> with a demand failure probability (gamma = " + fmt_number(gamma) +
                                                        ") is not imported; nines components fail in time only (gamma must be 0)");
            }
            event.failure_rate_per_h = positive_rate(*args[1], constant(*args[1], 0), whose + ": the failure rate");
            event.repair_rate_per_h = positive_rate(*args[2], constant(*args[2], 0), whose + ": the repair rate");
            const double t = constant(*args[3], 0);
            event.origin = "<GLM> gamma = 0, lambda = " + fmt_number(*event.failure_rate_per_h) + "/h, mu = " + fmt_number(*event.repair_rate_per_h) +
                           "/h (t = " + fmt_number(t) + " h not used: nines gives the steady state lambda / (lambda + mu))";
            return;
        }
        const double p = constant(e, 0);
        check_probability(e, p, whose);
        event.probability = p;
        event.origin = "probability";
    }

    void read_ccf_groups() {
        for (const XmlElement* group : defs_.ccf_groups) {
            const std::string& name = required_attribute(*group, "name");
            const std::string* model = group->attribute("model");
            if (model == nullptr || *model != "beta-factor") {
                throw InputError(group->location, "CCF group '" + name + "': model '" + (model ? *model : std::string()) +
                                                      "' is not imported (nines has the beta-factor model)");
            }
            const XmlElement* members = child_named(*group, "members");
            if (members == nullptr) throw InputError(group->location, "CCF group '" + name + "' has no <members>");
            for (const auto& member : members->children) {
                if (member->name != "basic-event") throw InputError(member->location, "CCF group members are <basic-event name=\"...\"/>, not " + describe(*member));
                const std::string& m = required_attribute(*member, "name");
                if (defs_.events.count(m) || defs_.gates.count(m) || defs_.ccf_member_of.count(m)) {
                    throw InputError(member->location, "CCF group '" + name + "': '" + m + "' is defined elsewhere too");
                }
                defs_.ccf_member_of.emplace(m, group);
            }
        }
    }

    void add_ccf_group(const XmlElement& group) {
        const std::string& name = required_attribute(group, "name");
        FaultTreeCommonCause ccf;
        ccf.name = name;
        ccf.location = group.location;
        const XmlElement* members = child_named(group, "members");
        for (const auto& member : members->children) {
            auto it = event_index_.find(required_attribute(*member, "name"));
            if (it != event_index_.end()) ccf.members.push_back(it->second);
        }
        if (ccf.members.size() < 2) return;  // members outside the imported tree have no effect on it
        const XmlElement* factor = child_named(group, "factor");
        if (factor == nullptr) {
            if (const XmlElement* factors = child_named(group, "factors")) factor = child_named(*factors, "factor");
        }
        if (factor == nullptr) throw InputError(group.location, "CCF group '" + name + "' has no <factor> (the beta factor)");
        const double beta = constant(only_argument(*factor), 0);
        if (!(beta > 0 && beta < 1)) throw InputError(factor->location, "CCF group '" + name + "': beta must be between 0 and 1 (exclusive), got " + fmt_number(beta));
        ccf.beta = beta;
        for (int m : ccf.members) {
            const FaultTreeEvent& e = tree_.events[static_cast<std::size_t>(m)];
            if (!e.probability) {
                throw InputError(group.location, "CCF group '" + name + "': its <distribution> must be a probability (nines writes each member with the same rate)");
            }
        }
        tree_.common_causes.push_back(std::move(ccf));
    }

    Definitions& defs_;
    const MefOptions& options_;
    FaultTree tree_;
    std::map<std::string, int> gate_index_, event_index_;
    std::set<std::string> in_progress_;
    std::vector<std::string> stack_;
};

FaultTree translate(Definitions& defs, const MefOptions& options) { return Translator(defs, options).run(); }

void add_document(Definitions& defs, const std::string& text, const std::string& name) {
    defs.documents.push_back(parse_xml(text, name));
    defs.files.push_back(name);
    const XmlElement& root = *defs.documents.back();
    if (root.name != "opsa-mef") throw InputError(root.location, "the root element is " + describe(root) + ", not <opsa-mef> (Open-PSA MEF)");
    collect(root, defs, 0, "");
}

}  // namespace

FaultTree read_mef_files(const std::vector<std::string>& paths, const MefOptions& options) {
    Definitions defs;
    for (const std::string& path : paths) {
        const std::string text = read_text_file(path, SourceLocation{path, 0, 0}, "the file");
        add_document(defs, text, path);
    }
    return translate(defs, options);
}

FaultTree read_mef_text(const std::string& text, const std::string& name, const MefOptions& options) {
    Definitions defs;
    add_document(defs, text, name);
    return translate(defs, options);
}

}  // namespace nines::io
