#include "shard/partial_file.h"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "model/error.h"

namespace nines::shard {

namespace {

using json = nlohmann::ordered_json;  // the header fields first, as written

// nlohmann writes the shortest decimal that reads back to the same double; JSON has no non-finite numbers.
json encode(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return v;
}

double decode(const json& j) {
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) {
        const std::string s = j.get<std::string>();
        if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
        if (s == "inf") return std::numeric_limits<double>::infinity();
        if (s == "-inf") return -std::numeric_limits<double>::infinity();
    }
    throw json::type_error::create(302, "expected a number, got " + j.dump(), nullptr);
}

json encode(const std::vector<double>& values) {
    json a = json::array();
    for (double v : values) a.push_back(encode(v));
    return a;
}

void decode(const json& j, std::vector<double>& out) {
    if (!j.is_array()) throw json::type_error::create(302, "expected an array, got " + j.dump(), nullptr);
    out.clear();
    out.reserve(j.size());
    for (const json& v : j) out.push_back(decode(v));
}

void decode(const json& j, std::vector<std::int64_t>& out) { out = j.get<std::vector<std::int64_t>>(); }

// One list per SLO (sim::BlockAccumulator's per-SLO fields).
json encode(const std::vector<std::vector<double>>& lists) {
    json a = json::array();
    for (const std::vector<double>& values : lists) a.push_back(encode(values));
    return a;
}

void decode(const json& j, std::vector<std::vector<double>>& out) {
    if (!j.is_array()) throw json::type_error::create(302, "expected an array, got " + j.dump(), nullptr);
    out.assign(j.size(), {});
    for (std::size_t i = 0; i < j.size(); ++i) decode(j[i], out[i]);
}

// Per SLO, the batches of a log histogram: {"zeros", "first_bin", "counts"} each (bins as
// sim::LogHistogram numbers them; README "Percentiles from log histograms").
json encode(const std::vector<sim::BatchedLogHistogram>& per_slo) {
    json a = json::array();
    for (const sim::BatchedLogHistogram& h : per_slo) {
        json batches = json::array();
        for (std::size_t b = 0; b < h.batch_count(); ++b) {
            const sim::LogHistogram& one = h.batch(b);
            batches.push_back(json{{"zeros", one.zeros()}, {"first_bin", one.first_bin()}, {"counts", one.counts()}});
        }
        a.push_back(batches);
    }
    return a;
}

void decode(const json& j, std::vector<sim::BatchedLogHistogram>& out) {
    if (!j.is_array()) throw json::type_error::create(302, "expected an array, got " + j.dump(), nullptr);
    out.assign(j.size(), {});
    const std::int64_t lowest = sim::LogHistogram::bin_of(std::numeric_limits<double>::min());
    const std::int64_t highest = sim::LogHistogram::bin_of(std::numeric_limits<double>::max());
    for (std::size_t k = 0; k < j.size(); ++k) {
        const json& batches = j[k];
        if (!batches.is_array() || batches.size() > static_cast<std::size_t>(sim::BatchedLogHistogram::kBatches)) {
            throw json::type_error::create(302, "expected at most " + std::to_string(sim::BatchedLogHistogram::kBatches) +
                                                    " histogram batches", nullptr);
        }
        for (std::size_t b = 0; b < batches.size(); ++b) {
            const auto zeros = batches[b].at("zeros").get<std::int64_t>();
            const auto first = batches[b].at("first_bin").get<std::int64_t>();
            const auto counts = batches[b].at("counts").get<std::vector<std::int64_t>>();
            if (zeros < 0 || (!counts.empty() && (first < lowest || first + static_cast<std::int64_t>(counts.size()) - 1 > highest))) {
                throw json::type_error::create(302, "histogram bins out of range", nullptr);
            }
            sim::LogHistogram& h = out[k].batch_for_loading(b);
            h.add_to_bin(sim::LogHistogram::kZeroBin, zeros);
            for (std::size_t i = 0; i < counts.size(); ++i) {
                if (counts[i] < 0) throw json::type_error::create(302, "negative histogram count", nullptr);
                h.add_to_bin(first + static_cast<std::int64_t>(i), counts[i]);
            }
        }
    }
}

// Outage records as parallel arrays: start, end, flags (1 open, 2 planned), counts; causes and components flat.
json outage_records_to_json(const sim::BlockAccumulator& a) {
    std::vector<double> start, end;
    std::vector<int> flags, cause_count, component_count;
    for (const sim::OutageRecord& o : a.outage_records) {
        start.push_back(o.start_h);
        end.push_back(o.end_h);
        flags.push_back((o.open ? 1 : 0) | (o.planned ? 2 : 0));
        cause_count.push_back(o.cause_count);
        component_count.push_back(o.component_count);
    }
    return json{{"start_h", encode(start)}, {"end_h", encode(end)},          {"flags", flags},
                {"cause_count", cause_count}, {"component_count", component_count},
                {"causes", a.outage_causes},  {"components", a.outage_components}};
}

void outage_records_from_json(const json& j, sim::BlockAccumulator& a) {
    std::vector<double> start, end;
    decode(j.at("start_h"), start);
    decode(j.at("end_h"), end);
    const auto flags = j.at("flags").get<std::vector<int>>();
    const auto cause_count = j.at("cause_count").get<std::vector<int>>();
    const auto component_count = j.at("component_count").get<std::vector<int>>();
    a.outage_causes = j.at("causes").get<std::vector<int>>();
    a.outage_components = j.at("components").get<std::vector<int>>();
    const std::size_t n = start.size();
    if (end.size() != n || flags.size() != n || cause_count.size() != n || component_count.size() != n) {
        throw json::type_error::create(302, "outage record arrays of different lengths", nullptr);
    }
    a.outage_records.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
        a.outage_records[k] = {start[k], end[k], (flags[k] & 1) != 0, (flags[k] & 2) != 0, cause_count[k], component_count[k]};
    }
}

// The sums of a block, one array per field of sim::BlockAccumulator (README lists them).
json sums_to_json(const sim::BlockAccumulator& a) {
    json j = json{{"instance_failures", a.instance_failures},
                {"instance_downtime_h", encode(a.instance_downtime_h)},
                {"component_outages", a.component_outages},
                {"component_outage_downtime_h", encode(a.component_outage_downtime_h)},
                {"component_failures_sq", encode(a.component_failures_sq)},
                {"component_downtime_sq", encode(a.component_downtime_sq)},
                {"component_wait_h", encode(a.component_wait_h)},
                {"component_repairs", a.component_repairs},
                {"pool_busy_h", encode(a.pool_busy_h)},
                {"component_spare_wait_h", encode(a.component_spare_wait_h)},
                {"component_stockouts", a.component_stockouts},
                {"grid_up", a.grid_up},
                {"cell_down", encode(a.cell_down)},
                {"cell_down_sq", encode(a.cell_down_sq)},
                {"year_downtime_h", encode(a.year_downtime_h)},
                {"outage_durations_h", encode(a.outage_durations_h)},
                {"outage_records", outage_records_to_json(a)},
                {"slo_window_downtime_h", encode(a.slo_window_downtime_h)},
                {"slo_year_worst_h", encode(a.slo_year_worst_h)},
                {"slo_rolling_breach", encode(a.slo_rolling_breach)},
                {"cause_downtime_h", encode(a.cause_downtime_h)},
                {"cause_downtime_sq", encode(a.cause_downtime_sq)},
                {"cause_outages", a.cause_outages},
                {"cause_outages_sq", encode(a.cause_outages_sq)}};
    // Degraded service only with capacity blocks: other models keep their bytes.
    if (!a.service.empty()) j["service"] = encode(a.service);
    // SLO histograms and per-replication figures only with `slo:` (the same).
    if (!a.slo_rep_mean_down.empty()) {
        j["slo_values_dropped"] = a.slo_values_dropped;
        j["slo_window_hist"] = encode(a.slo_window_hist);
        j["slo_worst_hist"] = encode(a.slo_worst_hist);
        j["slo_rep_mean_down"] = encode(a.slo_rep_mean_down);
        j["slo_rep_mean_burn"] = encode(a.slo_rep_mean_burn);
        j["slo_rep_hits"] = a.slo_rep_hits;
        j["slo_rep_mean_worst"] = encode(a.slo_rep_mean_worst);
    }
    return j;
}

sim::BlockAccumulator sums_from_json(const json& j) {
    sim::BlockAccumulator a;
    decode(j.at("instance_failures"), a.instance_failures);
    decode(j.at("instance_downtime_h"), a.instance_downtime_h);
    decode(j.at("component_outages"), a.component_outages);
    decode(j.at("component_outage_downtime_h"), a.component_outage_downtime_h);
    decode(j.at("component_failures_sq"), a.component_failures_sq);
    decode(j.at("component_downtime_sq"), a.component_downtime_sq);
    decode(j.at("component_wait_h"), a.component_wait_h);
    decode(j.at("component_repairs"), a.component_repairs);
    decode(j.at("pool_busy_h"), a.pool_busy_h);
    decode(j.at("component_spare_wait_h"), a.component_spare_wait_h);
    decode(j.at("component_stockouts"), a.component_stockouts);
    decode(j.at("grid_up"), a.grid_up);
    decode(j.at("cell_down"), a.cell_down);
    decode(j.at("cell_down_sq"), a.cell_down_sq);
    decode(j.at("year_downtime_h"), a.year_downtime_h);
    decode(j.at("outage_durations_h"), a.outage_durations_h);
    outage_records_from_json(j.at("outage_records"), a);
    decode(j.at("slo_window_downtime_h"), a.slo_window_downtime_h);
    decode(j.at("slo_year_worst_h"), a.slo_year_worst_h);
    decode(j.at("slo_rolling_breach"), a.slo_rolling_breach);
    decode(j.at("cause_downtime_h"), a.cause_downtime_h);
    decode(j.at("cause_downtime_sq"), a.cause_downtime_sq);
    decode(j.at("cause_outages"), a.cause_outages);
    decode(j.at("cause_outages_sq"), a.cause_outages_sq);
    if (j.contains("service")) decode(j.at("service"), a.service);
    if (j.contains("slo_rep_mean_down")) {
        a.slo_values_dropped = j.at("slo_values_dropped").get<bool>();
        decode(j.at("slo_window_hist"), a.slo_window_hist);
        decode(j.at("slo_worst_hist"), a.slo_worst_hist);
        decode(j.at("slo_rep_mean_down"), a.slo_rep_mean_down);
        decode(j.at("slo_rep_mean_burn"), a.slo_rep_mean_burn);
        a.slo_rep_hits = j.at("slo_rep_hits").get<std::vector<std::vector<std::int64_t>>>();
        decode(j.at("slo_rep_mean_worst"), a.slo_rep_mean_worst);
    }
    return a;
}

// The outcomes of a block's replications, one array per field of sim::ReplicationOutcome.
json outcomes_to_json(const std::vector<sim::ReplicationOutcome>& outcomes) {
    json j = json::object();
    std::vector<double> unavailability, first_failure_h, outage_sum_h, open_outage_h, planned_downtime;
    std::vector<std::int64_t> system_failures, outage_count, events, planned_outages;
    std::vector<int> failed, outage_open;
    for (const sim::ReplicationOutcome& o : outcomes) {
        unavailability.push_back(o.unavailability);
        system_failures.push_back(o.system_failures);
        first_failure_h.push_back(o.first_failure_h);
        failed.push_back(o.failed ? 1 : 0);
        outage_sum_h.push_back(o.outage_sum_h);
        outage_count.push_back(o.outage_count);
        events.push_back(o.events);
        outage_open.push_back(o.outage_open ? 1 : 0);
        open_outage_h.push_back(o.open_outage_h);
        planned_outages.push_back(o.planned_outages);
        planned_downtime.push_back(o.planned_downtime);
    }
    j["unavailability"] = encode(unavailability);
    j["system_failures"] = system_failures;
    j["first_failure_h"] = encode(first_failure_h);
    j["failed"] = failed;
    j["outage_sum_h"] = encode(outage_sum_h);
    j["outage_count"] = outage_count;
    j["events"] = events;
    j["outage_open"] = outage_open;
    j["open_outage_h"] = encode(open_outage_h);
    j["planned_outages"] = planned_outages;
    j["planned_downtime"] = encode(planned_downtime);
    // Failover tallies only when there are some: models without failover groups keep their bytes.
    std::vector<double> failover_downtime;
    std::vector<std::int64_t> failover_outages;
    bool any_failover = false;
    for (const sim::ReplicationOutcome& o : outcomes) {
        failover_downtime.push_back(o.failover_downtime);
        failover_outages.push_back(o.failover_outages);
        any_failover = any_failover || o.failover_downtime != 0 || o.failover_outages != 0;
    }
    if (any_failover) {
        j["failover_downtime"] = encode(failover_downtime);
        j["failover_outages"] = failover_outages;
    }
    return j;
}

std::vector<sim::ReplicationOutcome> outcomes_from_json(const json& j) {
    std::vector<double> unavailability, first_failure_h, outage_sum_h, open_outage_h, planned_downtime;
    std::vector<std::int64_t> system_failures, outage_count, events, planned_outages, failed, outage_open;
    decode(j.at("unavailability"), unavailability);
    decode(j.at("system_failures"), system_failures);
    decode(j.at("first_failure_h"), first_failure_h);
    decode(j.at("failed"), failed);
    decode(j.at("outage_sum_h"), outage_sum_h);
    decode(j.at("outage_count"), outage_count);
    decode(j.at("events"), events);
    decode(j.at("outage_open"), outage_open);
    decode(j.at("open_outage_h"), open_outage_h);
    decode(j.at("planned_outages"), planned_outages);
    decode(j.at("planned_downtime"), planned_downtime);
    const std::size_t n = unavailability.size();
    for (const std::size_t size : {system_failures.size(), first_failure_h.size(), failed.size(), outage_sum_h.size(),
                                   outage_count.size(), events.size(), outage_open.size(), open_outage_h.size(),
                                   planned_outages.size(), planned_downtime.size()}) {
        if (size != n) throw json::other_error::create(501, "the outcome arrays of a block differ in length", nullptr);
    }
    std::vector<sim::ReplicationOutcome> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        sim::ReplicationOutcome& o = out[i];
        o.unavailability = unavailability[i];
        o.system_failures = system_failures[i];
        o.first_failure_h = first_failure_h[i];
        o.failed = failed[i] != 0;
        o.outage_sum_h = outage_sum_h[i];
        o.outage_count = outage_count[i];
        o.events = events[i];
        o.outage_open = outage_open[i] != 0;
        o.open_outage_h = open_outage_h[i];
        o.planned_outages = planned_outages[i];
        o.planned_downtime = planned_downtime[i];
    }
    if (j.contains("failover_downtime")) {
        std::vector<double> failover_downtime;
        std::vector<std::int64_t> failover_outages;
        decode(j.at("failover_downtime"), failover_downtime);
        decode(j.at("failover_outages"), failover_outages);
        if (failover_downtime.size() != n || failover_outages.size() != n) {
            throw json::other_error::create(501, "the outcome arrays of a block differ in length", nullptr);
        }
        for (std::size_t i = 0; i < n; ++i) {
            out[i].failover_downtime = failover_downtime[i];
            out[i].failover_outages = failover_outages[i];
        }
    }
    return out;
}

json step_shard_to_json(const sim::StepShard& s) {
    json blocks = json::array();
    for (const sim::ComputedBlock& b : s.blocks) {
        blocks.push_back(json{{"index", b.index}, {"sums", sums_to_json(b.sums)}, {"outcomes", outcomes_to_json(b.outcomes)}});
    }
    return json{{"begin", s.begin},          {"end", s.end},         {"first_block", s.first_block},
                {"last_block", s.last_block}, {"wall_s", s.wall_seconds}, {"threads", s.threads},
                {"blocks", std::move(blocks)}};
}

sim::StepShard step_shard_from_json(const json& j) {
    sim::StepShard s;
    s.begin = j.at("begin").get<std::int64_t>();
    s.end = j.at("end").get<std::int64_t>();
    s.first_block = j.at("first_block").get<std::int64_t>();
    s.last_block = j.at("last_block").get<std::int64_t>();
    s.wall_seconds = j.at("wall_s").get<double>();
    s.threads = j.at("threads").get<int>();
    for (const json& b : j.at("blocks")) {
        sim::ComputedBlock block;
        block.index = b.at("index").get<std::int64_t>();
        block.sums = sums_from_json(b.at("sums"));
        block.outcomes = outcomes_from_json(b.at("outcomes"));
        s.blocks.push_back(std::move(block));
    }
    return s;
}

// The blocks must be those the header says, each with its replications' outcomes.
void check_blocks(const sim::StepShard& s, const SourceLocation& where) {
    const sim::StepLayout layout = sim::StepLayout::of(s.begin, s.end);
    if (s.begin < 0 || s.end <= s.begin || s.first_block < 0 || s.last_block < s.first_block || s.last_block > layout.blocks ||
        static_cast<std::int64_t>(s.blocks.size()) != s.last_block - s.first_block) {
        throw InputError(where, "a damaged nines partial file: its blocks are not those its header names");
    }
    for (std::size_t k = 0; k < s.blocks.size(); ++k) {
        const std::int64_t b = s.first_block + static_cast<std::int64_t>(k);
        if (s.blocks[k].index != b ||
            static_cast<std::int64_t>(s.blocks[k].outcomes.size()) != layout.last_replication(b) - layout.first_replication(b)) {
            throw InputError(where, "a damaged nines partial file: block " + std::to_string(b) +
                                        " is not in its place or lacks replications");
        }
    }
}

// Line and column of byte `offset` (nlohmann reports the byte where parsing stopped, 1-based).
SourceLocation location_of_byte(const std::string& text, const std::string& file, std::size_t offset) {
    SourceLocation where{file, 1, 1};
    for (std::size_t i = 0; i + 1 < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++where.line;
            where.column = 1;
        } else {
            ++where.column;
        }
    }
    return where;
}

// Parses a partial and checks its "format" and "format_version" before any field is read, so that a file of
// another kind or version gets one message saying which rather than a missing-field error. `kind` names the
// version in that message ("partial", "study partial").
json parsed_partial(const std::string& text, const std::string& file, const char* format, int version,
                    const std::string& not_this_format, const std::string& kind) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        throw InputError(location_of_byte(text, file, e.byte), "not a nines partial file (malformed JSON)");
    }
    const SourceLocation where{file, 0, 0};
    if (!j.is_object() || j.value("format", std::string()) != format) {
        throw InputError(where, not_this_format + " (no \"format\": \"" + format + "\")");
    }
    if (!j.contains("format_version") || !j["format_version"].is_number_integer() || j["format_version"].get<int>() != version) {
        throw InputError(where, kind + " format version " +
                                    (j.contains("format_version") ? j["format_version"].dump() : std::string("(none)")) +
                                    ": this nines reads version " + std::to_string(version));
    }
    return j;
}

}  // namespace

std::string partial_to_text(const Partial& p) {
    json overrides = json::object();
    if (p.override_replications) overrides["replications"] = *p.override_replications;
    if (p.override_seed) overrides["seed"] = *p.override_seed;
    if (p.override_horizon) overrides["horizon"] = *p.override_horizon;
    json j{{"format", "nines-partial"},
           {"format_version", kPartialFormatVersion},
           {"nines_version", p.nines_version},
           {"scenario", {{"file", p.scenario_file}, {"hash", p.scenario_hash}}},
           {"overrides", std::move(overrides)},
           {"settings",
            {{"seed", p.seed},
             {"horizon_h", encode(p.horizon_h)},
             {"warmup_h", encode(p.warmup_h)},
             {"grid_h", encode(p.grid_h)},
             {"replications", p.replications},
             {"precision", p.precision}}},
           {"step", p.step},
           {"shard", {{"index", p.shard + 1}, {"count", p.shards}}},
           {"data", step_shard_to_json(p.data)}};
    return j.dump() + "\n";
}

Partial partial_from_text(const std::string& text, const std::string& file) {
    const json j = parsed_partial(text, file, "nines-partial", kPartialFormatVersion, "not a nines partial file", "partial");
    const SourceLocation where{file, 0, 0};
    try {
        Partial p;
        p.nines_version = j.at("nines_version").get<std::string>();
        p.scenario_file = j.at("scenario").at("file").get<std::string>();
        p.scenario_hash = j.at("scenario").at("hash").get<std::string>();
        const json& o = j.at("overrides");
        if (o.contains("replications")) p.override_replications = o["replications"].get<std::int64_t>();
        if (o.contains("seed")) p.override_seed = o["seed"].get<std::uint64_t>();
        if (o.contains("horizon")) p.override_horizon = o["horizon"].get<std::string>();
        const json& s = j.at("settings");
        p.seed = s.at("seed").get<std::uint64_t>();
        p.horizon_h = decode(s.at("horizon_h"));
        p.warmup_h = decode(s.at("warmup_h"));
        p.grid_h = decode(s.at("grid_h"));
        p.replications = s.at("replications").get<std::int64_t>();
        p.precision = s.at("precision").get<std::string>();
        p.step = j.at("step").get<int>();
        p.shard = j.at("shard").at("index").get<int>() - 1;
        p.shards = j.at("shard").at("count").get<int>();
        p.data = step_shard_from_json(j.at("data"));
        check_blocks(p.data, where);
        return p;
    } catch (const json::exception& e) {
        throw InputError(where, std::string("not a valid nines partial file: ") + e.what());
    }
}

std::string study_partial_to_text(const StudyPartial& p) {
    json overrides = json::object();
    if (p.override_replications) overrides["replications"] = *p.override_replications;
    if (p.override_seed) overrides["seed"] = *p.override_seed;
    if (p.override_horizon) overrides["horizon"] = *p.override_horizon;
    json scenarios = json::array();
    for (const HashedScenario& s : p.scenarios) scenarios.push_back(json{{"file", s.file}, {"hash", s.hash}});
    json simulations = json::array();
    for (const SimulationStep& s : p.simulations) {
        simulations.push_back(json{{"simulation", s.simulation}, {"data", step_shard_to_json(s.data)}});
    }
    json j{{"format", "nines-study-partial"},
           {"format_version", kStudyPartialFormatVersion},
           {"nines_version", p.nines_version},
           {"command", p.command},
           {"scenarios", std::move(scenarios)},
           {"sets", p.sets},
           {"links", p.links},
           {"overrides", std::move(overrides)},
           {"step", p.step},
           {"shard", {{"index", p.shard + 1}, {"count", p.shards}}},
           {"simulations", std::move(simulations)}};
    return j.dump() + "\n";
}

bool is_study_partial_text(const std::string& text) { return text.rfind("{\"format\":\"nines-study-partial\"", 0) == 0; }

StudyPartial study_partial_from_text(const std::string& text, const std::string& file) {
    const json j = parsed_partial(text, file, "nines-study-partial", kStudyPartialFormatVersion,
                                  "not a partial of nines sweep or compare", "study partial");
    const SourceLocation where{file, 0, 0};
    try {
        StudyPartial p;
        p.nines_version = j.at("nines_version").get<std::string>();
        p.command = j.at("command").get<std::string>();
        if (p.command != "sweep" && p.command != "compare") throw InputError(where, "a partial of an unknown command '" + p.command + "'");
        for (const json& s : j.at("scenarios")) p.scenarios.push_back({s.at("file").get<std::string>(), s.at("hash").get<std::string>()});
        p.sets = j.at("sets").get<std::vector<std::string>>();
        p.links = j.at("links").get<std::vector<std::string>>();
        const json& o = j.at("overrides");
        if (o.contains("replications")) p.override_replications = o["replications"].get<std::int64_t>();
        if (o.contains("seed")) p.override_seed = o["seed"].get<std::uint64_t>();
        if (o.contains("horizon")) p.override_horizon = o["horizon"].get<std::string>();
        p.step = j.at("step").get<int>();
        p.shard = j.at("shard").at("index").get<int>() - 1;
        p.shards = j.at("shard").at("count").get<int>();
        if (p.shards < 1 || p.shard < 0 || p.shard >= p.shards || p.step < 1) {
            throw InputError(where, "a damaged nines partial file: its shard or step is out of range");
        }
        for (const json& s : j.at("simulations")) {
            SimulationStep step;
            step.simulation = s.at("simulation").get<int>();
            step.data = step_shard_from_json(s.at("data"));
            check_blocks(step.data, where);
            p.simulations.push_back(std::move(step));
        }
        return p;
    } catch (const json::exception& e) {
        throw InputError(where, std::string("not a valid nines partial file: ") + e.what());
    }
}

std::string step_shard_to_text(const sim::StepShard& shard) { return step_shard_to_json(shard).dump(); }

sim::StepShard step_shard_from_text(const std::string& text) {
    try {
        return step_shard_from_json(json::parse(text));
    } catch (const json::exception& e) {
        throw Error(std::string("a step shard received from another process is damaged: ") + e.what());
    }
}

}  // namespace nines::shard
