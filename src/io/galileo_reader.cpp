#include "io/galileo_reader.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "io/text_file.h"

namespace nines::io {

namespace {

constexpr int kMaxDepth = 2000;  // gates nested deeper are refused before the recursive walk could exhaust the stack

struct Token {
    std::string text;
    bool quoted = false;
    SourceLocation location;
};

// Splits the text into statements (token lists ended by ';'), tracking line and column.
std::vector<std::vector<Token>> tokenize(const std::string& text, const std::string& file) {
    std::vector<std::vector<Token>> statements;
    std::vector<Token> current;
    int line = 1, column = 1;
    std::size_t i = 0;
    const auto advance = [&]() {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;  // columns count characters, not UTF-8 continuation bytes
        }
        ++i;
    };
    while (i < text.size()) {
        const char ch = text[i];
        if (std::isspace(static_cast<unsigned char>(ch))) {
            advance();
        } else if (ch == '/' && i + 1 < text.size() && text[i + 1] == '/') {
            while (i < text.size() && text[i] != '\n') advance();
        } else if (ch == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            const SourceLocation start{file, line, column};
            advance();
            advance();
            while (i < text.size() && !(text[i] == '*' && i + 1 < text.size() && text[i + 1] == '/')) advance();
            if (i >= text.size()) throw InputError(start, "unterminated comment /* ...");
            advance();
            advance();
        } else if (ch == ';') {
            if (current.empty()) throw InputError(SourceLocation{file, line, column}, "empty statement (a ';' alone)");
            statements.push_back(std::move(current));
            current.clear();
            advance();
        } else if (ch == '"') {
            Token t{"", true, SourceLocation{file, line, column}};
            advance();
            while (i < text.size() && text[i] != '"') {
                if (text[i] == '\n') throw InputError(t.location, "unterminated name: a quoted name ends on its line");
                t.text += text[i];
                advance();
            }
            if (i >= text.size()) throw InputError(t.location, "unterminated name: missing closing '\"'");
            advance();
            current.push_back(std::move(t));
        } else {
            Token t{"", false, SourceLocation{file, line, column}};
            while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != ';' && text[i] != '"') {
                t.text += text[i];
                advance();
            }
            current.push_back(std::move(t));
        }
    }
    if (!current.empty()) throw InputError(current.back().location, "missing ';' at the end of the statement");
    return statements;
}

double parse_value(const Token& t, const std::string& key, const std::string& text) {
    bool ok = !text.empty();
    for (char ch : text) {
        if (!(std::isdigit(static_cast<unsigned char>(ch)) || ch == '.' || ch == 'e' || ch == 'E' || ch == '+' || ch == '-')) ok = false;
    }
    errno = 0;
    char* end = nullptr;
    const double value = ok ? std::strtod(text.c_str(), &end) : 0;
    if (!ok || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value)) {
        throw InputError(t.location, key + "=" + text + ": not a finite decimal number");
    }
    return value;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_dynamic(const std::string& type) {
    static const std::set<std::string> dynamic = {"pand", "por", "seq", "wsp", "csp", "hsp", "spare", "fdep", "mutex", "pand-inclusive", "por-inclusive"};
    return dynamic.count(type) || type.rfind("pdep", 0) == 0;
}

// "2of3" -> k = 2, n = 3; "vot2" -> k = 2, n = inputs. Returns false when `type` is neither.
bool voting(const std::string& type, int& k, int& n) {
    n = -1;
    std::size_t pos = 0;
    if (type.rfind("vot", 0) == 0) {
        pos = 3;
    }
    std::size_t digits = pos;
    while (digits < type.size() && std::isdigit(static_cast<unsigned char>(type[digits]))) ++digits;
    if (digits == pos || digits - pos > 9) return false;
    k = std::stoi(type.substr(pos, digits - pos));
    if (pos == 3) return digits == type.size();
    if (type.compare(digits, 2, "of") != 0) return false;
    const std::size_t m = digits + 2;
    std::size_t end = m;
    while (end < type.size() && std::isdigit(static_cast<unsigned char>(type[end]))) ++end;
    if (end == m || end != type.size() || end - m > 9) return false;
    n = std::stoi(type.substr(m));
    return true;
}

// key=value: a basic event's attribute (a quoted name may hold '=').
bool is_attribute(const Token& t) { return !t.quoted && t.text.find('=') != std::string::npos; }

class Translator {
public:
    Translator(const std::string& file) { tree_.format = "Galileo"; tree_.source = file; tree_.name = file; }

    FaultTree run(const std::vector<std::vector<Token>>& statements) {
        const Token* top = nullptr;
        for (const auto& s : statements) {
            if (!s[0].quoted && lower(s[0].text) == "toplevel") {
                if (s.size() != 2) throw InputError(s[0].location, "toplevel takes one name: toplevel \"System\";");
                if (top != nullptr) throw InputError(s[0].location, "a second toplevel (the first at " + top->location.str() + ")");
                top = &s[1];
                continue;
            }
            const std::string& name = s[0].text;
            if (name.empty()) throw InputError(s[0].location, "an empty name");
            for (char ch : name) {
                if (ch == '[' || ch == ']' || ch == ',' || std::isspace(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) < 0x20) {
                    throw InputError(s[0].location, "name '" + name + "' contains a space, comma, bracket or control character, which a nines name cannot hold");
                }
            }
            auto [it, fresh] = elements_.emplace(name, &s);
            if (!fresh) throw InputError(s[0].location, "'" + name + "' is defined twice (first at " + (*it->second)[0].location.str() + ")");
            if (s.size() == 1) throw InputError(s[0].location, "'" + name + "' has neither a gate type nor attributes");
            // A dynamic gate changes the tree even where no gate uses it (an fdep triggers its dependents): refuse it wherever it is.
            if (!is_attribute(s[1]) && is_dynamic(lower(s[1].text))) {
                throw InputError(s[1].location, "gate '" + name + "' is a dynamic gate (" + s[1].text +
                                                    "): its output depends on the order of failures, which a nines structure cannot express; only and, or and voting gates are imported");
            }
        }
        if (top == nullptr) throw InputError(SourceLocation{tree_.source, 1, 1}, "no toplevel statement: name the top event with toplevel \"NAME\";");
        tree_.name = top->text;
        tree_.top = element(*top, 0);
        // What the top event does not use has no effect on it: left out, and said so.
        const std::size_t unused = elements_.size() - done_.size();
        if (unused > 0) tree_.notes.push_back(std::to_string(unused) + " elements defined in the file are not under the toplevel event: left out");
        return std::move(tree_);
    }

private:
    FaultTreeInput element(const Token& reference, int depth) {
        auto it = elements_.find(reference.text);
        if (it == elements_.end()) throw InputError(reference.location, "undefined element '" + reference.text + "'");
        const std::vector<Token>& s = *it->second;
        auto done = done_.find(reference.text);
        if (done != done_.end()) return done->second;
        if (depth > kMaxDepth) throw InputError(reference.location, "gates nested more than " + std::to_string(kMaxDepth) + " deep");
        if (!in_progress_.insert(reference.text).second) throw InputError(reference.location, "cycle: '" + reference.text + "' is (indirectly) an input of itself");
        FaultTreeInput result;
        if (is_attribute(s[1])) {
            result = basic_event(s);
        } else {
            result = gate(s, depth);
        }
        in_progress_.erase(reference.text);
        done_.emplace(reference.text, result);
        return result;
    }

    FaultTreeInput gate(const std::vector<Token>& s, int depth) {
        const std::string type = lower(s[1].text);
        FaultTreeGate g;
        g.name = s[0].text;
        g.location = s[0].location;
        const int inputs = static_cast<int>(s.size()) - 2;
        int k = 0, n = 0;
        if (type == "and") {
            g.kind = FaultTreeGateKind::And;
        } else if (type == "or") {
            g.kind = FaultTreeGateKind::Or;
        } else if (voting(type, k, n)) {
            if (n >= 0 && n != inputs) {
                throw InputError(s[1].location, "gate '" + g.name + "' is " + s[1].text + " but has " + std::to_string(inputs) + " inputs");
            }
            if (k < 1 || k > inputs) throw InputError(s[1].location, "gate '" + g.name + "': " + s[1].text + " needs 1 <= k <= " + std::to_string(inputs));
            g.kind = FaultTreeGateKind::AtLeast;
            g.at_least = k;
        } else if (is_dynamic(type)) {
            throw InputError(s[1].location, "gate '" + g.name + "' is a dynamic gate (" + s[1].text +
                                                "): its output depends on the order of failures, which a nines structure cannot express; only and, or and voting gates are imported");
        } else {
            throw InputError(s[1].location, "gate '" + g.name + "': unknown gate type '" + s[1].text + "' (and, or, <k>of<n>, vot<k>)");
        }
        if (inputs < 1) throw InputError(s[1].location, "gate '" + g.name + "' has no inputs");
        for (std::size_t i = 2; i < s.size(); ++i) {
            if (is_attribute(s[i])) throw InputError(s[i].location, "gate '" + g.name + "': attributes (" + s[i].text + ") belong to basic events");
            g.inputs.push_back(element(s[i], depth + 1));
        }
        tree_.gates.push_back(std::move(g));
        return FaultTreeInput{true, static_cast<int>(tree_.gates.size()) - 1};
    }

    FaultTreeInput basic_event(const std::vector<Token>& s) {
        FaultTreeEvent e;
        e.name = s[0].text;
        e.location = s[0].location;
        std::map<std::string, std::pair<double, const Token*>> values;
        for (std::size_t i = 1; i < s.size(); ++i) {
            const auto eq = s[i].text.find('=');
            if (eq == std::string::npos) throw InputError(s[i].location, "basic event '" + e.name + "': '" + s[i].text + "' is not key=value");
            const std::string key = lower(s[i].text.substr(0, eq));
            if (key != "lambda" && key != "repair" && key != "prob" && key != "dorm") {
                throw InputError(s[i].location, "basic event '" + e.name + "': attribute '" + key +
                                                    "' is not imported (lambda=, repair=, prob=, dorm=)");
            }
            if (values.count(key)) throw InputError(s[i].location, "basic event '" + e.name + "': " + key + "= given twice");
            values[key] = {parse_value(s[i], key, s[i].text.substr(eq + 1)), &s[i]};
        }
        const auto has = [&](const char* k) { return values.count(k) != 0; };
        if (has("prob")) {
            if (has("lambda") || has("repair")) throw InputError(values["prob"].second->location, "basic event '" + e.name + "': prob= excludes lambda= and repair=");
            const double p = values["prob"].first;
            if (!(p > 0 && p < 1)) {
                throw InputError(values["prob"].second->location, "basic event '" + e.name + "': prob= must be strictly between 0 and 1 (a constant event has no nines component)");
            }
            e.probability = p;
            e.origin = "prob=";
        } else if (has("lambda")) {
            const double lambda = values["lambda"].first;
            if (!(lambda > 0)) throw InputError(values["lambda"].second->location, "basic event '" + e.name + "': lambda= must be positive");
            e.failure_rate_per_h = lambda;
            e.origin = s_of(values["lambda"].second);
            if (has("repair")) {
                const double mu = values["repair"].first;
                if (!(mu > 0)) throw InputError(values["repair"].second->location, "basic event '" + e.name + "': repair= must be positive");
                e.repair_rate_per_h = mu;
                e.origin += " " + s_of(values["repair"].second) + " (rates per hour)";
            } else {
                e.origin += " and no repair= (rate per hour): never repaired";
            }
        } else {
            throw InputError(s[0].location, "basic event '" + e.name + "' has neither lambda= nor prob=");
        }
        if (has("dorm")) e.origin += "; dorm= has no effect without spare gates";
        tree_.events.push_back(std::move(e));
        return FaultTreeInput{false, static_cast<int>(tree_.events.size()) - 1};
    }

    static std::string s_of(const Token* t) { return t->text; }

    FaultTree tree_;
    std::map<std::string, const std::vector<Token>*> elements_;
    std::map<std::string, FaultTreeInput> done_;
    std::set<std::string> in_progress_;
};

}  // namespace

FaultTree read_galileo_text(const std::string& text, const std::string& name) {
    check_text(text, name);
    return Translator(name).run(tokenize(text, name));
}

FaultTree read_galileo_file(const std::string& path) {
    return read_galileo_text(read_text_file(path, SourceLocation{path, 0, 0}, "the file"), path);
}

}  // namespace nines::io
