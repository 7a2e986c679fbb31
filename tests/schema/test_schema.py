"""Keeps schema/nines-scenario.schema.json in step with the scenario reader (src/io).

Run: /usr/bin/python3 tests/schema/test_schema.py [ROOT [NINES_BINARY]]  (Debian: python3-jsonschema, python3-yaml)

- the schema is a draft-07 schema, and exactly the output of schema/generate_schema.py;
- every scenario in scenarios/, model library in models/ and fault tree in bench/fault-trees/ validates;
- every file in tests/bad/ fails the schema, with an error on the line the reader names, except those
  listed in NOT_JUDGED with the reason the schema cannot see the mistake (a new bad file must be
  classified; a listed file the schema starts to reject must leave the list);
- every key list and choice list of the reader (expect_map, single_key) is an object of the schema
  with exactly those keys, and every closed object of the schema is such a list: a key added to the
  reader, or to the schema alone, fails here;
- every time unit, metric and enumerated value the reader knows is accepted by the schema;
- with the nines binary: probes of every value form (durations, probabilities, rates, integers,
  index expressions, expectations, ...) get the same verdict from the schema as from `nines validate`,
  except the few listed in KNOWN_DIFFERENCES, with the reason for each.

Files are read as a YAML language server reads them: YAML 1.2 core schema (true/false are booleans,
1e-5 is a number, yes/no and dates are text), then seen as JSON.
"""

import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

import jsonschema
import yaml

ROOT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NINES = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("NINES_BIN")
SCHEMA_PATH = os.path.join(ROOT, "schema", "nines-scenario.schema.json")

# Bad files whose mistake a schema cannot see, and why. Each needs the rest of the document (a name
# defined elsewhere, a count, another value), another file, or is not a YAML document at all.
NOT_JUDGED = {
    "failover_cold_blocks.yaml": "a unit of a cold member used elsewhere in the structure is a property of the whole graph",
    "failover_active_above_members.yaml": "active against the number of members, which are names defined elsewhere",
    "failover_active_all_members.yaml": "active against the number of members, which are names defined elsewhere",
    "failover_member_contains_group.yaml": "a cycle through a failover member is a property of the whole graph",
    "failover_cold_shared_unit.yaml": "a unit shared by two members is a property of the whole graph",
    "failover_warm_member_holds_group.yaml": "a group inside a member block is a property of the whole graph",
    "failover_unknown_block.yaml": "refers to a block name that is defined (or not) elsewhere in the file",
    "beta_not_exponential.yaml": "needs the members' failure laws (a beta factor needs exponential members)",
    "binary_garbage.yaml": "not a YAML text: refused before any schema applies",
    "block_cycle.yaml": "a cycle through blocks is a property of the whole graph",
    "crew_pool_missing.yaml": "refers to a pool name defined elsewhere in the file",
    "deep_nesting.yaml": "too deep for a YAML parser: refused before any schema applies",
    "deep_nesting_moderate.yaml": "the 100-level nesting limit is the reader's; a schema cannot count depth",
    "duplicate_key.yaml": "JSON has no duplicate keys (the YAML language server reports them as a YAML error)",
    "duplicate_name.yaml": "a duplicate component name is a duplicate key (as above)",
    "expect_unknown_component.yaml": "refers to a component name defined elsewhere in the file",
    "index_out_of_range.yaml": "the index range depends on the component's count",
    "k_greater_than_n.yaml": "n depends on the members' counts",
    "capacity_demand_unmeetable.yaml": "what the members carry together depends on their counts and capacities",
    "load_sharing_maintenance_not_renewing.yaml": "whether a member's maintenance renews it is written in the component, elsewhere in the file",
    "capacity_member_is_block.yaml": "whether a name is a component or a block depends on the rest of the document",
    "capacity_profile_unmeetable_peak.yaml": "what the members carry together depends on their counts and capacities",
    "malformed_yaml.yaml": "not YAML: refused by the YAML parser",
    "missing_import.yaml": "the imported file does not exist",
    "requires_cycle.yaml": "a cycle through requires is a property of the whole graph",
    "change_unknown_component.yaml": "refers to a component name defined elsewhere in the file",
    "domain_cycle.yaml": "a cycle through the requires of domains is a property of the whole graph",
    "expect_unknown_cause.yaml": "the cause in brackets is checked by the reader, as SLO windows are (the schema takes any text)",
    "expect_unknown_change_stream.yaml": "refers to a change stream name defined elsewhere in the file",
    "requires_names_a_block.yaml": "whether a name is a component or a block depends on the rest of the document",
    "tab_indentation.yaml": "not YAML (a tab in the indentation): refused by the YAML parser",
    "requires_index_out_of_range.yaml": "the index range depends on the component's count",
    "spare_pool_unused.yaml": "needs every component to know that no one uses the pool",
    "slo_expect_unknown_window.yaml": "refers to an SLO window defined elsewhere in the file",
    "slo_window_twice.yaml": "the same window in two list items: a schema cannot compare items' values",
    "slo_window_longer_than_run.yaml": "the window's fit depends on the simulation's horizon and warm-up",
    "standby_not_enough_units.yaml": "the number of units depends on the members' counts",
    "sweep_empty_range.yaml": "a range a..b with b < a: comparing two numbers in one text is beyond a pattern",
    "sweep_missing_key.yaml": "the swept key must exist in the document",
    "sweep_link_unequal.yaml": "linked keys need as many values each: comparing list lengths is beyond the schema",
    "sweep_list_position_out_of_range.yaml": "the list position must exist in the document",
    "unknown_component.yaml": "refers to a component name defined elsewhere in the file",
    "unknown_type.yaml": "the type is defined in an imported file",
    "warmup_too_long.yaml": "compares two values (warmup < horizon)",
    # limits on sizes, magnitudes and arithmetic (the reader's input limits)
    "alias_bomb_structure.yaml": "the size of the structure once YAML aliases and counts are expanded",
    "alias_contains_itself.yaml": "an alias cycle: refused before any schema applies",
    "common_cause_aliased_groups.yaml": "the size of the common causes once YAML aliases and counts are expanded",
    "dense_requires.yaml": "the number of requirements depends on the counts",
    "duration_overflow.yaml": "the 1e12-year limit on a duration written with a unit: a pattern cannot compare magnitudes",
    "lognormal_huge_sd.yaml": "the 1e12-year limit on a duration written with a unit (as above)",
    "inspection_interval_denormal.yaml": "the 1 ns limit on a duration written with a unit (as above)",
    "expect_threshold_1e999.yaml": "a number beyond a double's range in text: a pattern cannot compare magnitudes",
    "grid_too_fine.yaml": "the number of grid points depends on the horizon",
    "gamma_tiny_shape_instant_cycles.yaml": "the event rate follows from the laws, counts and horizon",
    "maintenance_tiny_interval.yaml": "the event rate follows from the intervals, counts and horizon",
    "shock_tiny_mttf.yaml": "the event rate follows from the laws, counts and horizon",
    "lognormal_huge_sigma.yaml": "the mean is computed from the parameters",
    "weibull_tiny_shape.yaml": "the mean is computed from the parameters",
    "weibull_variance_overflow.yaml": "the variance is computed from the parameters",
    "index_int64_min_divided_by_minus_one.yaml": "integer overflow when the index is evaluated",
    "index_int64_min_modulo_minus_one.yaml": "integer overflow when the index is evaluated",
    "index_negation_overflow.yaml": "integer overflow when the index is evaluated",
    "index_overflow_in_requires.yaml": "integer overflow when the index is evaluated",
    "index_overflow_in_system.yaml": "integer overflow when the index is evaluated",
    "import_directory.yaml": "the imported path is a folder",
    "overlong_utf8.yaml": "not UTF-8: refused before any schema applies",
    "surrogate_in_name.yaml": "not UTF-8: refused before any schema applies",
}


class Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML with the YAML 1.2 core schema's implicit types, as editors read YAML."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
]:
    Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:" + _tag, re.compile(_pattern), list(_first) + ([None] if _tag == "null" else []))


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    base = {"0o": 8, "0x": 16}.get(text[:2], 10)  # YAML 1.2: 017 is seventeen, not octal
    return int(text[2:] if base != 10 else text, base)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


# YAML aliases can make a small text a huge (or endless) document: measure before building it.
MAX_EXPANDED_NODES = 1_000_000


class TooLargeWithAliases(ValueError):
    pass


def expanded_size(node, sizes, stack):
    """Nodes in the document once aliases are expanded (memoised by node); an alias cycle raises."""
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in stack:
        raise TooLargeWithAliases("an alias refers to a node that contains it")
    stack.add(id(node))
    children = node.value if isinstance(node, yaml.SequenceNode) else \
        [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else []
    size = 1
    for child in children:
        size += expanded_size(child, sizes, stack)
        if size > MAX_EXPANDED_NODES:
            raise TooLargeWithAliases("more than %d nodes once aliases are expanded" % MAX_EXPANDED_NODES)
    stack.discard(id(node))
    sizes[id(node)] = size
    return size


def load_json(text):
    """The document as the JSON a schema validator sees (keys become text)."""
    root = yaml.compose(text, Loader=Yaml12Loader)
    if root is not None:
        expanded_size(root, {}, set())
    return json.loads(json.dumps(yaml.load(text, Loader=Yaml12Loader)))


def read_schema():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


VALIDATOR = jsonschema.Draft7Validator(read_schema())


def schema_errors(document):
    return sorted(VALIDATOR.iter_errors(document), key=lambda e: list(e.absolute_path))


def describe(errors):
    return "; ".join("/".join(map(str, e.absolute_path)) + ": " + e.message[:200] for e in errors[:3])


def files(*patterns):
    found = []
    for pattern in patterns:
        found += sorted(glob.glob(os.path.join(ROOT, pattern)))
    return found


class SchemaIsWellFormed(unittest.TestCase):
    def test_schema_is_a_draft7_schema(self):
        jsonschema.Draft7Validator.check_schema(read_schema())

    def test_the_json_is_the_generators_output(self):
        run = subprocess.run([sys.executable, os.path.join(ROOT, "schema", "generate_schema.py")], capture_output=True, text=True, check=True)
        with open(SCHEMA_PATH, encoding="utf-8") as f:
            self.assertTrue(f.read() == run.stdout, "edited by hand? run: python3 schema/generate_schema.py > " + SCHEMA_PATH)

    def test_every_reference_resolves(self):
        schema = read_schema()
        refs = set(re.findall(r'"\$ref": "#/definitions/([a-z_0-9]+)"', json.dumps(schema)))
        self.assertTrue(refs)
        self.assertEqual(sorted(refs - set(schema["definitions"])), [])
        unused = set(schema["definitions"]) - refs
        self.assertEqual(sorted(unused), [], "definitions nothing refers to")


class RepositoryFilesValidate(unittest.TestCase):
    def check_valid(self, paths, at_least):
        self.assertGreaterEqual(len(paths), at_least)
        for path in paths:
            with self.subTest(file=os.path.relpath(path, ROOT)):
                with open(path, encoding="utf-8") as f:
                    errors = schema_errors(load_json(f.read()))
                self.assertEqual(errors, [], describe(errors))

    def test_scenarios(self):
        self.check_valid(files("scenarios/*.yaml"), 8)

    def test_model_libraries(self):
        self.check_valid(files("models/*.yaml"), 1)

    def test_fault_trees(self):
        self.check_valid(files("bench/fault-trees/*.yaml"), 50)

    @unittest.skipUnless(NINES and os.access(NINES, os.X_OK), "needs the nines binary (second argument or NINES_BIN)")
    def test_imported_fault_trees(self):
        """`nines import` writes scenarios the schema accepts (MEF and Galileo, CCF groups included)."""
        sources = files("tests/interchange/*.xml", "tests/interchange/*.dft", "tests/interchange/ccf/*.xml")
        self.assertGreaterEqual(len(sources), 5)
        for path in sources:
            with self.subTest(file=os.path.relpath(path, ROOT)):
                run = subprocess.run([NINES, "import", path], capture_output=True, text=True, timeout=60)
                self.assertEqual(run.returncode, 0, run.stderr)
                errors = schema_errors(load_json(run.stdout))
                self.assertEqual(errors, [], describe(errors))


def expected_line(text):
    """The line of the reader's error, from the bad file's first line ("# expect: LINE[:COL]: ..."); 1 without one."""
    m = re.match(r"# expect: (\d+)", text)
    return int(m.group(1)) if m else 1


def error_lines(text, errors):
    """The lines (first, last) each schema error covers in the YAML text: the node at the error's path, or for
    an unknown key the key itself."""
    root = yaml.compose(text, Loader=Yaml12Loader)
    ranges = []
    for error in errors:
        node = root
        for part in error.absolute_path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == str(part)), node)
            elif isinstance(node, yaml.SequenceNode):
                node = node.value[part]
        if node is None:
            ranges.append((1, 1))
            continue
        if error.validator == "additionalProperties" and isinstance(node, yaml.MappingNode):
            allowed = error.schema.get("properties", {})
            keys = [k for k, _ in node.value if k.value not in allowed]
            ranges += [(k.start_mark.line + 1, k.start_mark.line + 1) for k in keys]
            continue
        ranges.append((node.start_mark.line + 1, node.end_mark.line + 1))
    return ranges


class BadFilesFail(unittest.TestCase):
    def test_every_bad_file_is_rejected_or_classified(self):
        bad = files("tests/bad/*.yaml")
        self.assertGreaterEqual(len(bad), 50)
        names = {os.path.basename(p) for p in bad}
        self.assertEqual(sorted(set(NOT_JUDGED) - names), [], "NOT_JUDGED names files that do not exist")
        for path in bad:
            name = os.path.basename(path)
            with self.subTest(file=name):
                try:
                    with open(path, encoding="utf-8") as f:
                        errors = schema_errors(load_json(f.read()))
                except (UnicodeDecodeError, yaml.YAMLError, RecursionError, TooLargeWithAliases) as e:
                    self.assertIn(name, NOT_JUDGED, "cannot be read as YAML (%s): classify it in NOT_JUDGED" % type(e).__name__)
                    continue
                if name in NOT_JUDGED:
                    self.assertEqual(errors, [], "the schema now rejects it: remove it from NOT_JUDGED")
                else:
                    self.assertTrue(errors, "the schema accepts this bad file: make the schema refuse it, "
                                            "or list it in NOT_JUDGED with the reason it cannot")
                    # ... and for the reader's reason: an error covers the line the reader names.
                    with open(path, encoding="utf-8") as f:
                        text = f.read()
                    line = expected_line(text)
                    ranges = error_lines(text, errors)
                    self.assertTrue(any(first <= line <= last for first, last in ranges),
                                    "the reader's error is on line %d, the schema's on lines %s: %s" % (line, ranges, describe(errors)))


# ---- the reader's vocabulary, read from its source ----

def reader_sources(layer="io"):
    """The C++ sources of a layer (src/io: the reader), comments removed, by path."""
    paths = sorted(glob.glob(os.path.join(ROOT, "src", layer, "**", "*.[ch]*"), recursive=True))
    texts = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            texts[os.path.relpath(path, ROOT)] = re.sub(r"//[^\n]*", "", f.read())
    return texts


def find_in(texts, pattern, what):
    """The first match of pattern in any of texts; a clear failure when the source no longer has it."""
    for text in texts.values():
        m = re.search(pattern, text, re.S)
        if m:
            return m
    raise AssertionError("cannot find %s in the sources: the reader changed shape, update tests/schema/test_schema.py" % what)


def literals(text):
    return re.findall(r'"([^"\\]*)"', text)


def named_lists(texts):
    """Every `NAME = { "...", ... }` in the reader (a list of names, whatever its container type)."""
    lists = {}
    for file, text in texts.items():
        for name, body in re.findall(r"\b(\w+)(?:\[\])?\s*=\s*\{(\s*\"[^{}]*)\}", text):
            lists[name] = (file, literals(body))
    return lists


def written_block_kinds():
    """The block kinds a scenario may write: kWrittenBlockKinds of src/model/block_kind.h (the kind table
    the reader takes them from), each named by its to_string case."""
    with open(os.path.join(ROOT, "src", "model", "block_kind.h")) as f:
        text = f.read()
    names = dict(re.findall(r'case BlockKind::(\w+): return "(\w+)";', text))
    written = re.search(r"kWrittenBlockKinds\[\]\s*=\s*\{([^}]*)\}", text).group(1)
    return [names[k] for k in re.findall(r"BlockKind::(\w+)", written)]


def precision_metrics():
    """The metrics a precision target may name: the registry rows (src/model/metric_registry.cpp) whose
    precision_target column is true, as the reader collects them."""
    with open(os.path.join(ROOT, "src", "model", "metric_registry.cpp")) as f:
        text = f.read()
    rows = re.findall(r"\{MetricId::\w+,([^\n]*)\},", text)
    return [literals(row)[0] for row in rows if re.findall(r"\b(true|false)\b", row)[0] == "true"]


def key_lists(texts):
    """The keys of every map the reader checks, and the choices of every single-key map."""
    named = named_lists(texts)
    named["written_block_kinds()"] = ("src/model/block_kind.h", written_block_kinds())
    named["precision_metrics"] = ("src/model/metric_registry.cpp", precision_metrics())
    found = []
    for file, text in texts.items():
        for call in re.finditer(r"\.expect_map\(", text):
            args = text[call.end():text.index(";", call.end())]
            literal = re.search(r"\{([^{}]*)\}\s*\)\s*$", args)
            if literal:
                found.append((file, "expect_map", literals(literal.group(1))))
            else:
                name = re.search(r"(\w+)\s*\)\s*$", args).group(1)
                found.append((file, "expect_map " + name, named[name][1]))
        for call in re.finditer(r"\.single_key\(", text):
            args = text[call.end():text.index(";", call.end())]
            literal = re.search(r"\{([^{}]*)\}", args)
            if literal:
                found.append((file, "single_key", literals(literal.group(1))))
            else:
                name = re.split(r"\s*,\s*", re.sub(r'"[^"]*"', '""', args))[3].strip()
                found.append((file, "single_key " + name, named[name][1]))
    return found


def closed_objects(schema):
    """Key sets of the schema's closed objects (additionalProperties: false), and of each anyOf/oneOf
    whose alternatives are closed one-key objects (the block kinds)."""
    sets = []
    in_union = set()  # the one-key alternatives already counted in their union

    def walk(node, path):
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, path + [str(i)])
            return
        if not isinstance(node, dict):
            return
        if node.get("additionalProperties") is False and id(node) not in in_union:
            sets.append(("/".join(path), frozenset(node.get("properties", {}))))
        for alternation in ("anyOf", "oneOf"):
            singles = [a for a in node.get(alternation, []) if isinstance(a, dict) and a.get("additionalProperties") is False
                       and len(a.get("properties", {})) == 1]
            if len(singles) > 1:
                union = frozenset(k for a in singles for k in a["properties"])
                sets.append(("/".join(path + [alternation]), union))
                in_union.update(id(a) for a in singles)
        for key, value in node.items():
            if key in ("if", "then", "else", "not", "enum", "const", "propertyNames"):
                continue  # conditions, not definitions of keys
            walk(value, path + [key])

    walk(schema, [])
    return sets


class SchemaKnowsTheReadersKeys(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.texts = reader_sources()
        cls.lists = key_lists(cls.texts)
        cls.objects = closed_objects(read_schema())

    def test_the_reader_source_was_understood(self):
        # If the reader is restructured so that these are no longer found, update key_lists().
        kinds = {kind.split()[0] for _, kind, _ in self.lists}
        self.assertEqual(kinds, {"expect_map", "single_key"})
        keys = {k for _, _, ks in self.lists for k in ks}
        for known in ["components", "failure", "weibull", "k_of_n", "standby", "maintenance", "only_when_redundant",
                      "inspection_schedule", "until", "lead_time", "shock", "sources", "downtime_per_hour"]:
            self.assertIn(known, keys)
        self.assertGreaterEqual(len(self.lists), 25)

    def test_every_reader_key_list_is_a_schema_object(self):
        sets = {keys for _, keys in self.objects}
        for file, kind, keys in self.lists:
            with self.subTest(list=sorted(keys)):
                self.assertTrue(frozenset(keys) in sets,
                              "%s (%s) accepts the keys %s, and no object of the schema has exactly these"
                              % (file, kind, sorted(keys)))

    def test_every_schema_object_is_a_reader_key_list(self):
        lists = {frozenset(keys) for _, _, keys in self.lists}
        for where, keys in self.objects:
            with self.subTest(object=where):
                self.assertTrue(keys in lists, "the schema object %s allows %s, which no key list of the reader has"
                              % (where, sorted(keys)))

    def test_keys_of_later_versions_are_refused(self):
        named = named_lists(self.texts)
        for future, owner in [("kFutureTopKeys", "kTopKeys"), ("kFutureComponentKeys", "kComponentKeys")]:
            self.assertIn(future, named)
            owner_keys = frozenset(named[owner][1])
            for key in named[future][1]:
                self.assertNotIn(key, owner_keys)
                for _, keys in self.objects:
                    if keys == owner_keys:
                        self.assertNotIn(key, keys)

    def test_every_time_unit_is_accepted(self):
        body = find_in(self.texts, r"bool unit_hours\(.*?\n\}", "the time units (bool unit_hours)").group(0)
        units = [u for u in literals(body) if u]
        self.assertIn("min", units)
        self.assertGreaterEqual(len(units), 20)
        definitions = read_schema()["definitions"]
        for unit in units:
            for definition, text in [("duration", "2" + unit), ("duration", "1.5 " + unit), ("duration_or_zero", "0" + unit),
                                     ("rate", "2/" + unit)]:
                with self.subTest(value=text, definition=definition):
                    errors = list(jsonschema.Draft7Validator({"$ref": "#/definitions/" + definition, "definitions": definitions}).iter_errors(text))
                    self.assertEqual(errors, [], describe(errors))

    def test_every_metric_is_accepted_with_a_value_in_its_unit(self):
        # The metrics may move to a registry outside the reader: look in every layer.
        # Registry rows: {MetricId::X, "name", "written", "alias", U::Unit, ...}: the written form and the alias.
        rows = re.findall(r'\{MetricId::\w+,\s*"[^"]+",\s*"([^"]+)",\s*"([^"]*)",\s*U::(\w+)',
                          "\n".join(reader_sources("").values()))
        metrics = [(written, unit) for written, _, unit in rows] + [(alias, unit) for _, alias, unit in rows if alias]
        self.assertGreaterEqual(len(metrics), 20)
        samples = {"Probability": ("99.9%", "3h"), "Duration": ("3h", "lots"), "Number": ("2", "99%")}
        for name, unit in metrics:
            if unit == "Verdict":
                self.assertEqual(schema_errors(self.scenario_with_expectation(name)), [])
                continue
            metric = name.replace("NAME", "a").replace("(T)", "(1y)")
            good, wrong = samples[unit]
            with self.subTest(metric=metric):
                errors = schema_errors(self.scenario_with_expectation(metric + " >= " + good))
                self.assertEqual(errors, [], describe(errors))
                self.assertTrue(schema_errors(self.scenario_with_expectation(metric + " >= " + wrong)),
                                    "a value in the wrong unit passes")

    @staticmethod
    def scenario_with_expectation(expectation):
        return {"components": {"a": {"failure": {"mttf": "1000h"}, "repair": {"mttr": "1h"}}}, "system": "a",
                "budget": "1h", "expect": [expectation]}

    def test_every_enumerated_value_is_accepted(self):
        schedule = find_in(self.texts, r'v != "(\w+)" && v != "(\w+)"', "the inspection_schedule values").groups()
        modes = re.findall(r'mode == "(\w+)"', "\n".join(self.texts.values()))
        self.assertEqual(len(modes), 3)
        component = read_schema()["definitions"]["component"]["properties"]
        self.assertEqual(sorted(component["inspection_schedule"]["enum"]), sorted(schedule))
        standby = read_schema()["definitions"]["standby"]["properties"]
        self.assertEqual(sorted(standby["mode"]["enum"]), sorted(modes))


# ---- the schema and the reader give the same verdict on each form of each value ----

BASE = "components:\n  a: { failure: { mttf: 1000h }, repair: { mttr: 1h } }\nsystem: a\n"
PAIR = ("components:\n  zone: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 1h } }\n"
        "  web: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 1h }, requires: [ %s ] }\nsystem: { parallel: [web] }\n")

# Each probe: a scenario text with the value in place (as written in YAML), and the values to try.
PROBES = [
    ("duration", "components:\n  a: { failure: { mttf: %s }, repair: { mttr: 1h } }\nsystem: a\n",
     ["30s", "15min", "4h", "2d", "1w", "1y", "1.5 h", "100", "990.0", "1e3h", ".5d", "+3h", "2 days", "1 hour", "'30d'",
      "0", "0h", "0.0d", "-1h", "30m", "1x", "h", ".inf", ".nan", "inf", "0x10", "true", "[1h]", "'1e5000h'",
      "8.76e15", "8.77e15", "2.8e-13", "2.7e-13", "1e12y", "'1e13y'", "1ns", "'1e-10s'",
      "500ms", "2mo", "6 months", "1m", "4h23min", "'1d 12h'", "1y6mo", "0h30min", "0h0min", "4h23", "4h-3min", "4h+3min",
      "-1h30min", "'4h 3m'", "'4h min'", "1s500ms", "'4h, 3min'"]),
    ("duration or zero", BASE + "simulation: { horizon: 100y, warmup: %s }\n",
     ["0", "0h", "1d", "1.5w", "'2y'", "-1h", "1m", "lots", "-0h", "1e-14", "'1e-10s'", "0h0min", "1d12h", "2mo", "1h-1min"]),
    ("probability", "components:\n  a: { failure: { afr: %s }, repair: { mttr: 1h } }\nsystem: a\n",
     ["1.7%", "0.5", "1", "100%", "1e-3", "'0.99'", "5 %", "0", "0%", "0.0", "101%", "1.5", "-1%", "2e-1", "lots", "50 percent"]),
    ("probability threshold", BASE + "expect: [ 'availability >= %s' ]\n",
     ["99.95%", "0.999", "0", "1", "100%", "1e-5", "100.5%", "2", "3h"]),
    ("beta", "components:\n  a: { count: 2, failure: { mttf: 1000h }, repair: { mttr: 1h } }\nsystem: { parallel: [a] }\n"
             "common_cause: [ { members: [a], beta: %s } ]\n",
     ["5%", "0.1", "99%", "0%", "0", "1", "100%", "1.0"]),
    ("rate", "components:\n  a: { failure: { exponential: { rate: %s } }, repair: { mttr: 1h } }\nsystem: a\n",
     ["0.001", "2/y", "0.1/d", "3 / w", "'5'", "0", "-1", "2/m", "2/", "1h", "x"]),
    ("count", "components:\n  a: { count: %s, failure: { mttf: 1000h }, repair: { mttr: 1h } }\nsystem: { parallel: [a] }\n",
     ["1", "4", "1000000", "'3'", "+2", "017", "0", "-1", "1000001", "2.5", "4.0", "three", "[2]"]),
    ("priority", "components:\n  a: { failure: { mttf: 1000h }, repair: { mttr: 1h }, priority: %s }\nsystem: a\n",
     ["0", "-5", "10", "1000000", "1000001", "1.5", "high"]),
    ("seed", BASE + "simulation: { seed: %s }\n", ["0", "7", "9223372036854775807", "-1", "x"]),
    ("boolean", "components:\n  a: { failure: { mttf: 1000h }, repair: { mttr: 1h }, maintenance: { every: 90d, duration: 4h, renews: %s } }\nsystem: a\n",
     ["true", "false", "'true'", "1", "maybe", "'yes'", "yes", "on", "True"]),
    ("shape", "components:\n  a: { failure: { weibull: { shape: %s, scale: 1y } }, repair: { mttr: 1h } }\nsystem: a\n",
     ["1.3", "2", "'0.5'", "0", "-1", "1h", "[1, 2]"]),
    ("cost", BASE + "cost: { downtime_per_hour: %s }\n", ["20000", "0", "12.5", "'100'", "-1", "lots", "5 EUR"]),
    ("requires", PAIR, ['zone', '"zone[1]"', '"zone[i]"', '"zone[i % 2]"', '"zone[(i + 1) % 2]"', '"zone[-(-i)]"', '"zone[ i ]"',
                        '"zone[i %]"', '"zone[]"', '"zone[x]"', '"zone[(i]"', '"[1]"', '"zone[i] "', '"zone[2 *]"']),
    ("structure", "components:\n  web: { count: 3, failure: { mttf: 1000h }, repair: { mttr: 1h } }\nsystem: %s\n",
     ["web", '"web[2]"', "{ parallel: web }", "{ k_of_n: { k: 2, of: web } }", "{ series: [ \"web[0]\", { parallel: [\"web[1]\", \"web[2]\"] } ] }",
      "{ standby: { of: web, mode: warm, dormant_factor: 10% } }", "{ standby: { of: web, mode: cold } }",
      '"web[i]"', "{ parallel: [] }", "{ series: web, parallel: web }", "{ k_of_n: { k: 0, of: web } }",
      "{ standby: { of: web, mode: warm } }", "{ standby: { of: web, dormant_factor: 10% } }", "{ voting: web }", "[web]",
      "{ k_of_n: { k: 2 } }"]),
    ("expectation", BASE + "budget: 2h\nexpect: [ '%s' ]\n",
     ["crosscheck", "availability >= 99.9%", "nines > 3", "downtime_per_year.p95 <= 6h", "reliability(1y) >= 90%",
      "component.a.failures_per_year <= 2", "outage.max < 1d", "mttf >= 1y", "budget_exceeded <= 5%",
      "availability = 99%", "availability >= 99% >= 98%", "availabilty >= 99%", "mtbf >= lots", "reliability(0) >= 1%",
      "reliability(1y >= 1%", "component.a.uptime >= 1", "outage.p90 <= 1h", "crosscheck please"]),
    ("method and relative error target", BASE + "simulation: { %s }\n",
     ["method: auto", "method: plain", "method: importance", "method: splitting", "method: fast", "method: Importance",
      "until: relative_error <= 10%", "until: relative_error <= 0.05", "until: relative_error <= 1e-2",
      "until: relative_error <= 99.5 %", "until: relative_error < 10%", "until: relative_error <= 0%",
      "until: relative_error <= 100%", "until: relative_error <= 1", "until: relative_error <= 0",
      "until: availability <= 10%", "until: relative_error <= x", "until: relative_error <= 0x1p-3",
      "until: relative_error <= inf", "until: relative_error <=", "until: 'relative_error <= 5%'",
      "method: importance, until: relative_error <= 5%"]),
    ("precision target", BASE + "simulation: { replications: %s }\n",
     ["2000", "{ until: { availability: 1e-5 } }", "{ until: { downtime_per_year: 10min }, max: 100000, min: 50 }",
      "{ until: { failures_per_year: 0.1 } }", "0", "{ until: { availability: 0 } }", "{ max: 10 }",
      "{ until: { availability: 1e-5, unavailability: 1e-5 } }", "{ until: { availability: 1e-5 }, min: 1 }"]),
    ("distribution", "components:\n  a: { failure: %s, repair: { mttr: 1h } }\nsystem: a\n",
     ["{ exponential: { mean: 1y } }", "{ weibull: { shape: 2, mean: 1y, location: 1d } }", "{ lognormal: { mean: 1y, sd: 1y } }",
      "{ normal: { mean: 1y, sd: 1d } }", "{ gamma: { shape: 2, mean: 1y } }", "{ uniform: { min: 0, max: 1y } }",
      "{ fixed: 1y }", "{ fixed: { value: 1y } }", "{ empirical: [1y, 2y] }", "{ empirical: { values: [1y] } }",
      "{ afr: 2% }", "{ mttr: 1y }", "{ exponential: { mean: 1y, rate: 2/y } }", "{ exponential: {} }",
      "{ weibull: { shape: 2, scale: 1y, mean: 1y } }", "{ lognormal: { median: 1y, sigma: 1, sd: 1d } }",
      "{ gamma: { shape: 2 } }", "{ empirical: [] }", "{ mttf: 1y, afr: 2% }", "{ poisson: { mean: 1y } }"]),
    ("hidden failures", "components:\n  a: { failure: { mttf: 1000h }, repair: { mttr: 1h }, %s }\nsystem: a\n",
     ["hidden: true, inspect_every: 30d", "hidden: true, inspect_every: 30d, inspection_duration: 1h, inspection_schedule: simultaneous",
      "hidden: false", "hidden: true", "hidden: true, inspect_every: 30d, detect: { fixed: 1h }", "inspect_every: 30d",
      "hidden: false, inspect_every: 30d", "hidden: true, inspect_every: 30d, inspection_schedule: weekly",
      "hidden: true, inspect_every: 30d, inspection_duration: 1h, maintenance: { every: 90d, duration: 1h }",
      "standby: true"]),
    ("operations", "repair: { pools: { onsite: { crews: 2 } } }\nspares: { parts: { stock: 1, lead_time: { fixed: 2d } } }\n"
                   "components:\n  a: { %s }\nsystem: a\n",
     ["failure: { mttf: 1y }, repair: { mttr: 1h }, crew: onsite, spares: parts, detect: { fixed: 1min }, logistics: { fixed: 1h }",
      "failure: { mttf: 1y }, crew: onsite, spares: parts", "failure: { mttf: 1y }, logistics: { fixed: 1h }, spares: parts",
      "failure: { mttr: 1y }, repair: { mttr: 1h }, spares: parts", "failure: { mttf: 1y }, repair: { mttf: 1h }, spares: parts",
      "repair: { mttr: 1h }, spares: parts"]),
    ("text", "%s\n" + BASE,
     ['description: "two\\nlines"', 'name: "two\\nlines"', 'name: "bell\\a"', 'description: "bell\\a"', 'name: "del\\x7f"',
      'name: "tab\\tstop"', 'description: "tab\\tstop"', 'description: "c1\\x85"', 'name: "été"', 'imports: [ "a\\0b" ]']),
    ("top level", BASE + "%s\n",
     ["name: x", "description: 5", "repair: { crews: 2 }", "maintenance: { every: 1y }", "repair: { crews: 1, pools: { x: { crews: 1 } } }",
      "repair: {}", "name: [a]", "imports: x", "sweep: {}", "sweep: { a.count: [] }", "sweep: { a.repair.mttr: [1h, 2h] }",
      "types: { x: { failure: { mttf: 1y } } }", "blocks: { 'bad name': a }"]),
]

# Model libraries: each probe is a library file imported by a scenario (the reader reads libraries only so,
# and reads a type's failure, repair and cost only for a component of that type).
LIBRARY_PROBES = [
    "types: { t: { failure: { mttf: 1y }, sources: { failure: a study } } }",
    "description: x\ntypes:\n  t: { description: y, failure: { afr: 2% }, repair: { mttr: 4h }, cost: 300,\n"
    "       sources: { failure: a, repair: 'assumption: b', cost: c } }",
    "types: {}",
    "types: { t: { failure: { mttf: 1y } } }",
    "types: { t: { failure: { mttf: 1y }, repair: { mttr: 1h }, sources: { failure: a } } }",
    "types: { t: { failure: { mttf: 1y }, cost: 5, sources: { failure: a } } }",
    "types: { t: { repair: { mttr: 1h }, sources: { repair: a } } }",
    "types: { t: { failure: { mtbf: 1y }, sources: { failure: a } } }",
    "types: { t: { failure: { mttf: 1y }, repair: { mttf: 1h }, sources: { failure: a, repair: b } } }",
    "types: { t: { failure: { mttf: 1y }, count: 2, sources: { failure: a } } }",
    "types: { t: { failure: { mttf: 1y }, sources: { failure: a, extra: b } } }",
    "types: { t: { failure: { mttf: 1y }, cost: -1, sources: { failure: a, cost: b } } }",
    "types: [t]",
    "description: no types",
    "types: { t: { failure: { mttf: 1y }, sources: { failure: a } } }\ncomponents: {}",
]

# Probes on which the schema and the reader differ, with the schema's verdict and why. Looser (the schema
# accepts what only the reader refuses) is the price of a JSON data model and of regular patterns; stricter
# (a false alarm in the editor) only for spellings nobody writes.
KNOWN_DIFFERENCES = {
    ("duration", "'1e5000h'"): ("accepts", "overflows a double: a pattern cannot compare magnitudes"),
    ("duration", "'1e13y'"): ("accepts", "beyond 1e12 years, written with a unit: a pattern cannot compare magnitudes"),
    ("duration", "'1e-10s'"): ("accepts", "below 1 ns, written with a unit: a pattern cannot compare magnitudes"),
    ("duration or zero", "'1e-10s'"): ("accepts", "below 1 ns, written with a unit: a pattern cannot compare magnitudes"),
    ("requires", '"zone[(i]"'): ("accepts", "balanced parentheses are beyond a regular pattern"),
    ("duration", ".nan"): ("accepts", "JSON has no NaN: a YAML .nan passes every numeric bound of a JSON Schema validator"),
    ("duration", "0x10"): ("accepts", "YAML 1.2 reads 0x10 as the number 16; the reader reads the text and refuses hexadecimal"),
    ("count", "4.0"): ("accepts", "JSON does not tell 4.0 from 4; the reader reads the text and wants a whole number"),
    ("boolean", "True"): ("accepts", "YAML 1.2 reads True as true; the reader wants the text true or false"),
    ("duration or zero", "-0h"): ("refuses", "minus zero: a pattern refusing negative durations refuses it too"),
}


@unittest.skipUnless(NINES and os.access(NINES, os.X_OK), "needs the nines binary (second argument or NINES_BIN)")
class SchemaAgreesWithTheReader(unittest.TestCase):
    def test_probes_get_the_same_verdict(self):
        with tempfile.TemporaryDirectory() as folder:
            probes = {}
            for group, template, values in PROBES:
                for n, value in enumerate(values):
                    path = os.path.join(folder, "%s_%02d.yaml" % (group.replace(" ", "_"), n))
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(template % value)
                    probes[path] = (group, value)
            os.mkdir(os.path.join(folder, "lib"))
            libraries = {}
            for n, value in enumerate(LIBRARY_PROBES):
                library = os.path.join(folder, "lib", "library_%02d.library" % n)  # not *.yaml: read only as an import
                with open(library, "w", encoding="utf-8") as f:
                    f.write(value + "\n")
                path = os.path.join(folder, "library_%02d.yaml" % n)
                with open(path, "w", encoding="utf-8") as f:
                    # The reader reads a type's values when a component uses it: use t when the library has one.
                    uses_t = re.search(r"[{\s]t: ", value) is not None
                    f.write("imports: [ lib/library_%02d.library ]\n" % n +
                            ("components:\n  a: { type: t }\nsystem: a\n" if uses_t else BASE))
                probes[path] = ("library", value)
                libraries[library] = path
            run = subprocess.run([NINES, "validate", folder], capture_output=True, text=True, timeout=120)
            self.assertIn(run.returncode, (0, 2), run.stderr)
            refused = {line.split(":", 1)[0] for line in run.stderr.splitlines() if line.startswith(folder) and ": error:" in line}
            refused = {libraries.get(path, path) for path in refused}  # an error in a library names the library
            accepted = {line.split(":", 1)[0] for line in run.stdout.splitlines() if ": ok:" in line}
            self.assertEqual(accepted | refused, set(probes), "every probe gets a verdict from the reader")
            disagreements = []
            for path, (group, value) in sorted(probes.items()):
                with open(path, encoding="utf-8") as f:
                    schema_ok = not schema_errors(load_json(f.read()))
                if group == "library":
                    schema_ok = schema_ok and not schema_errors(load_json(value))
                reader_ok = path in accepted
                verdicts = ("accepts" if schema_ok else "refuses", "accepts" if reader_ok else "refuses")
                known = KNOWN_DIFFERENCES.get((group, value))
                if known:
                    if verdicts != (known[0], "accepts" if known[0] == "refuses" else "refuses"):
                        disagreements.append("%s %r is listed in KNOWN_DIFFERENCES but schema %s, reader %s" % ((group, value) + verdicts))
                elif schema_ok != reader_ok:
                    disagreements.append("%s %r: schema %s, reader %s" % ((group, value) + verdicts))
            self.assertEqual(disagreements, [])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
