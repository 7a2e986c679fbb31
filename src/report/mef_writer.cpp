#include "report/mef_writer.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "analytic/component_measures.h"

namespace nines::report {

namespace {

std::string xml_escaped(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += ch;
        }
    }
    return out;
}

class MefWriter {
public:
    explicit MefWriter(const Model& model) : model_(model) {}

    std::string run() {
        refuse_what_cannot_be_exported();
        name_events();
        const std::string top = gate_for_system();
        std::string out = "<?xml version=\"1.0\"?>\n";
        out += "<!-- Exported by nines (export, Open-PSA MEF) from " + xml_comment(model_.file) + ".\n";
        out += "     Basic event probability = the instance's steady-state unavailability, mean down time / (MTTF + mean down time);\n";
        out += "     series -> or, parallel -> and, k_of_n (k of n up) -> atleast n - k + 1; requires -> or of the instance and its requirements.\n";
        out += "     The top event's probability equals nines' steady-state unavailability. -->\n";
        out += "<opsa-mef>\n";
        out += "  <define-fault-tree name=\"" + xml_escaped(tree_name()) + "\">\n";
        out += gates_;
        out += "  </define-fault-tree>\n";
        out += "  <model-data>\n";
        out += events_;
        out += "  </model-data>\n";
        out += "</opsa-mef>\n";
        (void)top;
        return out;
    }

private:
    static std::string xml_comment(const std::string& s) {
        std::string out;
        for (std::size_t i = 0; i < s.size(); ++i) {
            out += s[i];
            if (s[i] == '-' && (i + 1 == s.size() || s[i + 1] == '-')) out += ' ';  // "--" may not appear in a comment
        }
        return out;
    }

    std::string tree_name() const {
        std::string n = model_.name.empty() ? "system" : model_.name;
        for (char& ch : n) {
            if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-')) ch = '_';
        }
        return n;
    }

    void refuse_what_cannot_be_exported() const {
        const auto refuse = [&](const SourceLocation& where, const std::string& why) {
            throw InputError(where, "cannot export to Open-PSA MEF: " + why + "; only fault-tree-shaped scenarios (independent, repairable components) are exported");
        };
        if (model_.has_limited_crews()) {
            for (const RepairPool& p : model_.pools) refuse(p.location, "repair crews are limited (pool '" + p.name + "'), so components depend on each other");
            refuse(SourceLocation{model_.file, 0, 0}, "repair crews are limited, so components depend on each other");
        }
        for (const CommonCause& c : model_.common_causes) refuse(c.location, c.label + " makes its members fail together");
        for (const SparePool& s : model_.spares) refuse(s.location, "spares pool '" + s.name + "' makes repairs wait for each other");
        for (const ChangeStream& c : model_.changes) refuse(c.location, "change '" + c.name + "' takes units out of service together");
        for (const StandbyGroup& g : model_.standby_groups) {
            refuse(model_.blocks[static_cast<std::size_t>(g.block)].location, "a standby group's units depend on each other");
        }
        for (const Block& b : model_.blocks) {
            // MEF's gates count inputs; a capacity block weighs them (not written as cut sets yet).
            if (b.kind == BlockKind::Capacity) refuse(b.location, "a capacity block weighs its members (MEF has no weighted gate)");
        }
        for (const FailoverGroup& g : model_.failover_groups) refuse(g.location, "a failover group's members depend on each other");
        for (const Component& c : model_.components) {
            if (!c.repair) refuse(c.location, "component '" + c.name + "' is never repaired (its steady-state probability of being down is 1)");
            if (c.inspect_every_h > 0) refuse(c.location, "component '" + c.name + "' has hidden failures found by inspections");
            if (c.maintenance_every_h > 0) refuse(c.location, "component '" + c.name + "' has preventive maintenance");
        }
    }

    // MEF names are words: web[2] becomes web_2 (made unique against every other name).
    static std::string mef_name(const std::string& s) {
        std::string out;
        for (char ch : s) {
            if (ch == '[') {
                out += '_';
            } else if (ch != ']') {
                out += ch;
            }
        }
        return out;
    }

    std::string unique(const std::string& wanted) {
        std::string name = mef_name(wanted);
        while (taken_.count(name)) name += "_";
        taken_.insert(name);
        return name;
    }

    void name_events() {
        for (const auto& [name, block] : model_.named_blocks) taken_.insert(mef_name(name));
        for (std::size_t i = 0; i < model_.instances.size(); ++i) {
            const std::string original = model_.instance_name(static_cast<int>(i));
            const std::string name = unique(original);
            event_names_.push_back(name);
            const Instance& inst = model_.instances[i];
            const Component& c = model_.components[static_cast<std::size_t>(inst.component)];
            const analytic::ComponentMeasures m = analytic::component_measures(c);
            const double q = m.mdt_h / (m.mttf_h + m.mdt_h);
            events_ += "    <define-basic-event name=\"" + xml_escaped(name) + "\">\n";
            events_ += "      <label>" + xml_escaped(original + ": failure " + c.failure.describe() + ", down " + fmt::format("{}", m.mdt_h) + " h on average") + "</label>\n";
            events_ += "      <float value=\"" + fmt::format("{}", q) + "\"/>\n";
            events_ += "    </define-basic-event>\n";
        }
    }

    // The event (basic event or gate) that is true while `instance` counts as down.
    std::string instance_event(int instance) {
        const Instance& inst = model_.instances[static_cast<std::size_t>(instance)];
        const std::string& own = event_names_[static_cast<std::size_t>(instance)];
        if (inst.requires.empty()) return "<basic-event name=\"" + xml_escaped(own) + "\"/>";
        auto done = requires_gates_.find(instance);
        if (done != requires_gates_.end()) return "<gate name=\"" + xml_escaped(done->second) + "\"/>";
        const std::string gate = unique(own + "_with_requirements");
        requires_gates_.emplace(instance, gate);
        std::string body = "      <or>\n        <basic-event name=\"" + xml_escaped(own) + "\"/>\n";
        for (int r : inst.requires) body += "        " + instance_event(r) + "\n";
        body += "      </or>\n";
        gates_ += "    <define-gate name=\"" + xml_escaped(gate) + "\">\n      <label>" + xml_escaped(model_.instance_name(instance)) +
                  " counts as down while it or a unit it requires is down</label>\n" + body + "    </define-gate>\n";
        return "<gate name=\"" + xml_escaped(gate) + "\"/>";
    }

    // The reference to block `b` as a gate input.
    std::string block_event(int b) {
        const Block& block = model_.blocks[static_cast<std::size_t>(b)];
        if (block.kind == BlockKind::Instance) return instance_event(block.instance);
        return "<gate name=\"" + xml_escaped(block_gate(b)) + "\"/>";
    }

    std::string block_gate(int b) {
        auto done = block_gates_.find(b);
        if (done != block_gates_.end()) return done->second;
        const Block& block = model_.blocks[static_cast<std::size_t>(b)];
        const std::string name = !block.name.empty() ? mef_name(block.name) : unique(b == model_.system_block ? "system" : "block_" + std::to_string(b));
        block_gates_.emplace(b, name);
        std::vector<std::string> inputs;
        for (int child : block.children) inputs.push_back(block_event(child));
        const int n = static_cast<int>(inputs.size());
        std::string open, close;
        std::string why;
        if (block.kind == BlockKind::Instance) {
            inputs = {instance_event(block.instance)};
        } else if (n == 1) {
            // A block of one member fails when its member does: the gate names it.
        } else if (block.kind == BlockKind::Series || (block.kind == BlockKind::KOfN && block.k == n)) {
            open = "<or>", close = "</or>";
        } else if (block.kind == BlockKind::Parallel || (block.kind == BlockKind::KOfN && block.k == 1)) {
            open = "<and>", close = "</and>";
        } else {
            open = fmt::format("<atleast min=\"{}\">", n - block.k + 1), close = "</atleast>";
        }
        std::string body = "    <define-gate name=\"" + xml_escaped(name) + "\">\n";
        if (!block.name.empty() && mef_name(block.name) != block.name) body += "      <label>" + xml_escaped(block.name) + "</label>\n";
        const std::string indent = open.empty() ? "      " : "        ";
        if (!open.empty()) body += "      " + open + "\n";
        for (const std::string& in : inputs) body += indent + in + "\n";
        if (!open.empty()) body += "      " + close + "\n";
        body += "    </define-gate>\n";
        gates_ += body;
        return name;
    }

    std::string gate_for_system() {
        const Block& system = model_.blocks[static_cast<std::size_t>(model_.system_block)];
        if (system.kind == BlockKind::Instance) {
            // MEF's top event must be a gate.
            const std::string ref = instance_event(system.instance);
            const std::string name = unique("system");
            gates_ += "    <define-gate name=\"" + name + "\">\n      " + ref + "\n    </define-gate>\n";
            return name;
        }
        return block_gate(model_.system_block);
    }

    const Model& model_;
    std::set<std::string> taken_;
    std::vector<std::string> event_names_;
    std::map<int, std::string> requires_gates_;
    std::map<int, std::string> block_gates_;
    std::string gates_, events_;
};

}  // namespace

std::string write_mef(const Model& model) { return MefWriter(model).run(); }

}  // namespace nines::report
