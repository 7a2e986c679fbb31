#include "sim/runner.h"

#include "sim/served_ledger.h"

#include "model/workload.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <tuple>

#include "sim/kernel_model.h"
#include "sim/simulation.h"
#include "sim/slo_windows.h"

namespace nines::sim {

namespace {

constexpr int kMaxGridPoints = 100'000;
constexpr std::int64_t kMaxReplications = 10'000'000;
constexpr double kMaxExpectedEvents = 5e12;

void check_settings(const KernelModel& km, const SimulationSettings& s) {
    if (s.replications < 1 || s.replications > kMaxReplications) {
        throw InputError(s.location, "replications must be between 1 and " + std::to_string(kMaxReplications));
    }
    if (!(s.horizon_h > 0)) throw InputError(s.location, "the horizon must be a positive time");
    if (s.warmup_h >= s.horizon_h) throw InputError(s.location, "the warmup must be shorter than the horizon");
    if (km.grid_points > kMaxGridPoints) {
        throw InputError(s.location, "the time grid would have " + std::to_string(km.grid_points) +
                                         " points (at most " + std::to_string(kMaxGridPoints) +
                                         "); choose a coarser 'grid'");
    }
    // Refuse runs that would take days rather than appear to hang: one replication (the horizon may
    // come from the command line) and the whole study.
    check_event_budget(*km.model, s.horizon_h);
    const double per_replication = estimate_events(*km.model, s.horizon_h).per_replication;
    const double expected = per_replication * static_cast<double>(s.replications);
    if (expected > kMaxExpectedEvents) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.2g", expected);
        throw InputError(s.location, std::string("this study would need about ") + buf +
                                         " events (failure and repair times are tiny against the horizon, or "
                                         "there are too many replications); shorten the horizon or fewer replications");
    }
}

DistributionSummary summarise(std::vector<double> values) {
    DistributionSummary d;
    d.count = static_cast<std::int64_t>(values.size());
    if (values.empty()) return d;
    std::sort(values.begin(), values.end());
    double sum = 0;
    for (double v : values) sum += v;
    d.mean = sum / static_cast<double>(values.size());
    d.p50 = percentile(values, 0.50);
    d.p95 = percentile(values, 0.95);
    d.p99 = percentile(values, 0.99);
    d.max = values.back();
    return d;
}

// Maps an estimate of x through a decreasing function f (bounds swap).
Estimate map_decreasing(const Estimate& e, double (*f)(double)) {
    Estimate r;
    r.mean = f(e.mean);
    r.lo = f(e.hi);
    r.hi = f(e.lo);
    r.has_ci = e.has_ci;
    return r;
}

// Mean per year and log-scale t interval from the sum and sum of squares of per-replication totals.
Estimate sums_estimate(double sum, double sum_sq, std::int64_t n, double years_per_replication) {
    Estimate e;
    const double dn = static_cast<double>(n);
    e.mean = sum / dn / years_per_replication;
    e.lo = e.hi = e.mean;
    if (n < 2) return e;
    const double mean = sum / dn;
    const double var = std::max(0.0, (sum_sq - dn * mean * mean) / (dn - 1));
    e.std_error = std::sqrt(var / dn) / years_per_replication;
    e.has_ci = true;
    // Log scale, as for every mean of non-negative per-replication values (see log_scale_interval).
    return log_scale_interval(e, n - 1);
}

// Below this many system outages, interval estimates built on the normal approximation are rough.
constexpr std::int64_t kFewOutages = 20;

// Keeps every interval inside the values the quantity can take, and states plainly when the data are
// too thin for the intervals to mean much.
void add_precision_notes(SimulationResults& res, std::int64_t system_outages, double simulated_years) {
    res.unavailability.lo = std::max(0.0, res.unavailability.lo);
    res.unavailability.hi = std::min(1.0, res.unavailability.hi);
    res.availability.hi = std::min(1.0, res.availability.hi);
    res.availability.lo = std::max(0.0, res.availability.lo);
    res.downtime_h_per_year.hi = std::min(kHoursPerYear, res.downtime_h_per_year.hi);
    res.downtime_h_per_year.lo = std::max(0.0, res.downtime_h_per_year.lo);
    res.nines.lo = res.unavailability.hi > 0 ? -std::log10(res.unavailability.hi) : INFINITY;
    res.nines.hi = res.unavailability.lo > 0 ? -std::log10(res.unavailability.lo) : INFINITY;
    res.failures_per_year.lo = std::max(0.0, res.failures_per_year.lo);
    res.mtbf_h.hi = res.failures_per_year.lo > 0 ? kHoursPerYear / res.failures_per_year.lo : INFINITY;
    if (system_outages == 0) {
        // Rule of three: with no event in `simulated_years`, the rate is below -ln(0.05) / years at 95%.
        const double upper = -std::log(0.05) / simulated_years;
        res.failures_per_year.lo = 0;
        res.failures_per_year.hi = upper;
        res.failures_per_year.has_ci = true;
        res.mtbf_h.lo = kHoursPerYear / upper;
        res.mtbf_h.hi = INFINITY;
        res.availability.has_ci = res.unavailability.has_ci = res.nines.has_ci = res.downtime_h_per_year.has_ci = false;
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      "no system failure in %.4g simulated years: the failure rate is below %.3g per year (95%%), "
                      "but availability has no confidence interval; simulate longer or more replications",
                      simulated_years, upper);
        res.notes.emplace_back(buf);
    } else if (system_outages < kFewOutages) {
        res.notes.push_back("only " + std::to_string(system_outages) +
                            " system outages observed: the confidence intervals are rough (normal approximation on "
                            "rare events); simulate longer or more replications");
    }
    if (res.outage.count < 10) res.mean_outage_h.has_ci = false;
    if (res.replications < kMinReliableReplications) {
        res.intervals_reliable = false;
        res.notes.push_back("only " + std::to_string(res.replications) + " replications: the confidence intervals rest on "
                            "too few values to be reliable; use at least " + std::to_string(kMinReliableReplications));
    }
    if (res.open_outages > 0 && !res.outage_km.reaches_zero) {
        res.notes.push_back("the longest outage was still open at the horizon: the mean outage is the Kaplan-Meier mean "
                            "restricted to the longest observed outage, a lower bound of the true mean");
    }
}

// Outages by cause: counts, planned outages per year, and downtime per year of each cause (planned
// downtime plus unplanned downtime is the downtime per year).
void add_outage_causes(SimulationResults& res, const std::vector<ReplicationOutcome>& outcomes, bool has_planned,
                       double window_years) {
    res.has_planned_outages = has_planned;
    std::vector<double> planned_per_year, planned_h, unplanned_h;
    for (const ReplicationOutcome& o : outcomes) {
        res.unplanned_outages += o.system_failures;
        res.planned_outages += o.planned_outages;
        planned_per_year.push_back(static_cast<double>(o.planned_outages) / window_years);
        planned_h.push_back(o.planned_downtime * kHoursPerYear);
        unplanned_h.push_back((o.unavailability - o.planned_downtime) * kHoursPerYear);
    }
    res.planned_outages_per_year = mean_estimate(planned_per_year);
    res.planned_downtime_h_per_year = mean_estimate(planned_h);
    res.unplanned_downtime_h_per_year = mean_estimate(unplanned_h);
}

// Failover downtime and the failovers that took the system down, per year (FailoverLedger).
void add_failover(SimulationResults& res, const std::vector<ReplicationOutcome>& outcomes, double window_years) {
    res.has_failover = true;
    std::vector<double> per_year, downtime_h;
    for (const ReplicationOutcome& o : outcomes) {
        res.failover_outages += o.failover_outages;
        per_year.push_back(static_cast<double>(o.failover_outages) / window_years);
        downtime_h.push_back(o.failover_downtime * kHoursPerYear);
    }
    res.failover_outages_per_year = mean_estimate(per_year);
    res.failover_downtime_h_per_year = mean_estimate(downtime_h);
}

// Degraded service (sim/served_ledger.h): per entity, figures from its per-replication values.
ServiceResult service_result(std::string name, const std::vector<double>& unserved_h, const std::vector<double>& degraded_h,
                             const std::vector<double>& down_h, const std::vector<double>& unserved_capacity_h,
                             double window_h) {
    ServiceResult out;
    out.name = std::move(name);
    const double per_year = kHoursPerYear / window_h;
    std::vector<double> served, unserved_y, degraded_y, down_y, capacity_y, up_f, degraded_f, down_f;
    for (std::size_t r = 0; r < unserved_h.size(); ++r) {
        served.push_back(1.0 - unserved_h[r] / window_h);
        unserved_y.push_back(unserved_h[r] * per_year);
        degraded_y.push_back(degraded_h[r] * per_year);
        down_y.push_back(down_h[r] * per_year);
        capacity_y.push_back(unserved_capacity_h[r] * per_year);
        degraded_f.push_back(degraded_h[r] / window_h);
        down_f.push_back(down_h[r] / window_h);
        up_f.push_back(1.0 - (degraded_h[r] + down_h[r]) / window_h);
    }
    out.served_fraction = mean_estimate(served);
    out.unserved_h_per_year = mean_estimate(unserved_y);
    out.degraded_h_per_year = mean_estimate(degraded_y);
    out.down_h_per_year = mean_estimate(down_y);
    out.unserved_capacity_h_per_year = mean_estimate(capacity_y);
    out.state_up = mean_estimate(up_f);
    out.state_degraded = mean_estimate(degraded_f);
    out.state_down = mean_estimate(down_f);
    for (Estimate* e : {&out.served_fraction, &out.state_up}) e->hi = std::min(1.0, e->hi);
    for (Estimate* e : {&out.unserved_h_per_year, &out.degraded_h_per_year, &out.down_h_per_year,
                        &out.unserved_capacity_h_per_year, &out.state_degraded, &out.state_down}) {
        e->lo = std::max(0.0, e->lo);
    }
    return out;
}

// The system's and every capacity block's degraded-service figures. Without capacity blocks the system
// serves all or nothing: its served fraction is its availability, and it is never degraded.
void add_service(SimulationResults& res, const Model& model, const std::vector<ReplicationOutcome>& outcomes,
                 const BlockAccumulator& merged, double window_h) {
    std::vector<int> capacity;
    for (std::size_t b = 0; b < model.blocks.size(); ++b) {
        if (model.blocks[b].kind == BlockKind::Capacity) capacity.push_back(static_cast<int>(b));
    }
    const std::size_t n = outcomes.size();
    const std::size_t stride = (capacity.size() + 1) * kServiceValues;
    res.has_capacity = !capacity.empty() && merged.service.size() == n * stride;
    auto column = [&](std::size_t entity, int value) {
        std::vector<double> out(n);
        for (std::size_t r = 0; r < n; ++r) out[r] = merged.service[r * stride + entity * kServiceValues + static_cast<std::size_t>(value)];
        return out;
    };
    if (!res.has_capacity) {
        std::vector<double> unserved(n), zero(n, 0.0);
        for (std::size_t r = 0; r < n; ++r) unserved[r] = outcomes[r].unavailability * window_h;
        res.service = service_result("system", unserved, zero, unserved, zero, window_h);
        return;
    }
    res.service = service_result("system", column(0, kUnservedFractionH), column(0, kDegradedH), column(0, kDownH),
                                 column(0, kUnservedCapacityH), window_h);
    for (std::size_t j = 0; j < capacity.size(); ++j) {
        const Block& block = model.blocks[static_cast<std::size_t>(capacity[j])];
        ServiceResult r = service_result(model.block_label(capacity[j]), column(j + 1, kUnservedFractionH),
                                         column(j + 1, kDegradedH), column(j + 1, kDownH), column(j + 1, kUnservedCapacityH),
                                         window_h);
        if (block.demand_profile.empty()) {
            r.mean_demand = block.demand;
        } else {
            double sum = 0;
            for (double d : block.demand_profile) sum += d;
            r.mean_demand = sum / static_cast<double>(block.demand_profile.size());
        }
        res.capacity_blocks.push_back(std::move(r));
    }
}

// No system failure but planned outages: the failure rate gets the rule-of-three bound, as with no outage.
void failure_rate_upper_bound(SimulationResults& res, double simulated_years) {
    const double upper = -std::log(0.05) / simulated_years;
    res.failures_per_year.lo = 0;
    res.failures_per_year.hi = upper;
    res.failures_per_year.has_ci = true;
    res.mtbf_h.lo = kHoursPerYear / upper;
    res.mtbf_h.hi = INFINITY;
    char buf[200];
    std::snprintf(buf, sizeof buf, "no system failure in %.4g simulated years (only planned outages): the failure rate is below %.3g per year (95%%)",
                  simulated_years, upper);
    res.notes.emplace_back(buf);
}

}  // namespace

namespace detail {
std::atomic<int> thread_creation_fails_after{-1};
}  // namespace detail

int resolve_threads(int requested) {
    if (requested > 0) return requested;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw > 0 ? static_cast<int>(hw) : 1;
}

SimulationRun::SimulationRun(const Model& model, const SimulationSettings& settings)
    : model_(model), settings_(settings), km_(std::make_unique<KernelModel>(model, settings)) {
    check_settings(*km_, settings_);
    reset_sums();
}

SimulationRun::~SimulationRun() = default;

void SimulationRun::reset_sums() {
    merged_.reset(static_cast<int>(model_.instances.size()), static_cast<int>(model_.components.size()), km_->grid_points,
                  km_->grid_cells, static_cast<int>(model_.pools.size()), km_->cause_count + kCauseKinds);
    merged_.slo_value_limit = static_cast<std::size_t>(std::max<std::int64_t>(0, settings_.exact_slo_values));
}

int SimulationRun::run_blocks(const StepLayout& layout, std::int64_t first_block, std::int64_t last_block,
                              ReplicationOutcome* out, std::int64_t out_first, const RunOptions& options,
                              std::int64_t progress_base, std::int64_t progress_total,
                              const std::function<void(std::int64_t, const BlockAccumulator&)>& consume) const {
    const KernelModel& km = *km_;
    const std::int64_t blocks = last_block - first_block;
    if (blocks <= 0) return 0;
    const int threads = static_cast<int>(std::min<std::int64_t>(resolve_threads(settings_.threads), blocks));
    const int n_inst = static_cast<int>(model_.instances.size());
    const int n_comp = static_cast<int>(model_.components.size());

    std::map<std::int64_t, BlockAccumulator> finished;  // waiting for earlier blocks
    std::int64_t next_to_merge = first_block;
    std::int64_t done = 0;
    std::mutex mutex;
    std::atomic<std::int64_t> next_block{first_block};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;

    auto worker = [&]() {
        try {
            Simulation simulation(km);
            BlockAccumulator acc;
            for (;;) {
                if (stop.load(std::memory_order_relaxed)) return;
                if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
                    stop = true;
                    return;
                }
                const std::int64_t b = next_block.fetch_add(1);
                if (b >= last_block) return;
                acc.reset(n_inst, n_comp, km.grid_points, km.grid_cells, static_cast<int>(model_.pools.size()), km.cause_count + kCauseKinds);
                const std::int64_t first = layout.first_replication(b);
                const std::int64_t last = layout.last_replication(b);
                for (std::int64_t r = first; r < last; ++r) {
                    out[r - out_first] = simulation.run(static_cast<std::uint64_t>(r), acc);
                }
                std::lock_guard<std::mutex> lock(mutex);
                if (b == next_to_merge) {
                    consume(b, acc);
                    ++next_to_merge;
                    for (auto it = finished.find(next_to_merge); it != finished.end(); it = finished.find(next_to_merge)) {
                        consume(next_to_merge, it->second);
                        finished.erase(it);
                        ++next_to_merge;
                    }
                } else {
                    finished.emplace(b, acc);
                }
                done += last - first;
                if (options.progress) options.progress(progress_base + done, progress_total);
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex);
            if (!failure) failure = std::current_exception();
            stop = true;
        }
    };
    // Workers take blocks from a shared counter and blocks merge in order, so a thread that cannot be
    // created (the system's thread or memory limit) only means fewer workers: the threads that did
    // start, with this one, do all the blocks and the results are the same.
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) {
        try {
            if (detail::thread_creation_fails_after >= 0 && t > detail::thread_creation_fails_after) {
                throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
            }
            pool.emplace_back(worker);
        } catch (const std::system_error&) {
            break;
        }
    }
    worker();
    for (std::thread& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    if (options.cancel && options.cancel->load()) throw CancelledError();
    return static_cast<int>(pool.size()) + 1;
}

void SimulationRun::extend_to(std::int64_t target, const RunOptions& options) {
    if (target > kMaxReplications) {
        throw InputError(settings_.location, "replications must be between 1 and " + std::to_string(kMaxReplications));
    }
    const std::int64_t begin = static_cast<std::int64_t>(outcomes_.size());
    if (target <= begin) return;
    if (options.executor) {
        options.executor->extend(*this, target, options);
        return;
    }
    const StepLayout layout = StepLayout::of(begin, target);
    outcomes_.resize(static_cast<std::size_t>(target));
    const auto start = std::chrono::steady_clock::now();
    try {
        const int threads = run_blocks(layout, 0, layout.blocks, outcomes_.data(), 0, options, begin, target,
                                       [this](std::int64_t, const BlockAccumulator& acc) { merged_.merge(acc); });
        threads_ = std::max(threads_, threads);
    } catch (...) {
        // Leave the run as it was: a cancelled or failed extension adds nothing.
        outcomes_.resize(static_cast<std::size_t>(begin));
        reset_sums();
        abandoned_ = true;
        throw;
    }
    wall_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

StepShard SimulationRun::run_shard(std::int64_t begin, std::int64_t end, int shard, int shards,
                                   const RunOptions& options) const {
    if (shards < 1 || shard < 0 || shard >= shards) throw Error("shard " + std::to_string(shard) + " of " + std::to_string(shards));
    if (begin < 0 || end <= begin || end > kMaxReplications) {
        throw InputError(settings_.location, "replications must be between 1 and " + std::to_string(kMaxReplications));
    }
    const StepLayout layout = StepLayout::of(begin, end);
    StepShard out;
    out.begin = begin;
    out.end = end;
    std::tie(out.first_block, out.last_block) = layout.shard_blocks(shard, shards);
    if (out.first_block == out.last_block) return out;
    const std::int64_t first_rep = layout.first_replication(out.first_block);
    const std::int64_t last_rep = layout.last_replication(out.last_block - 1);
    std::vector<ReplicationOutcome> outcomes(static_cast<std::size_t>(last_rep - first_rep));
    out.blocks.reserve(static_cast<std::size_t>(out.last_block - out.first_block));
    const auto start = std::chrono::steady_clock::now();
    // A shard and its partial stay bounded: more SLO values in this shard than a run keeps means more in
    // the run, so they go as soon as the shard holds that many (BlockAccumulator::merge would let them go
    // anyway), and the shard's SLO histograms travel summed in its first block (integer sums: the merge
    // order is free).
    const auto slo_limit = static_cast<std::size_t>(std::max<std::int64_t>(0, settings_.exact_slo_values));
    std::size_t slo_values = 0;
    bool slo_dropped = false;
    out.threads = run_blocks(layout, out.first_block, out.last_block, outcomes.data(), first_rep, options, 0,
                             last_rep - first_rep, [&](std::int64_t b, const BlockAccumulator& acc) {
                                 ComputedBlock block;
                                 block.index = b;
                                 block.sums = acc;
                                 slo_values += block.sums.slo_value_count();
                                 if (!out.blocks.empty()) out.blocks.front().sums.take_slo_histograms(block.sums);
                                 out.blocks.push_back(std::move(block));
                                 if (slo_dropped) {
                                     out.blocks.back().sums.drop_slo_values();
                                 } else if (slo_values > slo_limit) {
                                     for (ComputedBlock& earlier : out.blocks) earlier.sums.drop_slo_values();
                                     slo_dropped = true;
                                 }
                             });
    for (ComputedBlock& block : out.blocks) {
        const auto from = outcomes.begin() + (layout.first_replication(block.index) - first_rep);
        const auto to = outcomes.begin() + (layout.last_replication(block.index) - first_rep);
        block.outcomes.assign(from, to);
    }
    out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

void SimulationRun::adopt_step(std::int64_t end, const std::vector<const StepShard*>& shards) {
    const std::int64_t begin = replications();
    const StepLayout layout = StepLayout::of(begin, end);
    // Check everything before changing anything: the run stays usable when the shards do not fit.
    std::int64_t expected = 0;
    for (const StepShard* s : shards) {
        if (s->begin != begin || s->end != end || s->first_block != expected || s->last_block < s->first_block ||
            static_cast<std::int64_t>(s->blocks.size()) != s->last_block - s->first_block) {
            throw Error("the shards do not hold the blocks of replications " + std::to_string(begin) + " to " +
                        std::to_string(end) + " once each, in order");
        }
        for (std::size_t k = 0; k < s->blocks.size(); ++k) {
            const ComputedBlock& block = s->blocks[k];
            const std::int64_t b = s->first_block + static_cast<std::int64_t>(k);
            if (block.index != b ||
                static_cast<std::int64_t>(block.outcomes.size()) != layout.last_replication(b) - layout.first_replication(b) ||
                block.sums.instance_failures.size() != merged_.instance_failures.size() ||
                block.sums.grid_up.size() != merged_.grid_up.size() || block.sums.cell_down.size() != merged_.cell_down.size() ||
                block.sums.component_outages.size() != merged_.component_outages.size() ||
                block.sums.component_outage_downtime_h.size() != merged_.component_outage_downtime_h.size() ||
                block.sums.pool_busy_h.size() != merged_.pool_busy_h.size() ||
                block.sums.cause_downtime_h.size() != merged_.cause_downtime_h.size()) {
                throw Error("block " + std::to_string(b) + " of replications " + std::to_string(begin) + " to " +
                            std::to_string(end) + " does not fit this model and its settings");
            }
        }
        expected = s->last_block;
    }
    if (expected != layout.blocks) {
        throw Error("the shards hold " + std::to_string(expected) + " of the " + std::to_string(layout.blocks) +
                    " blocks of replications " + std::to_string(begin) + " to " + std::to_string(end));
    }
    outcomes_.reserve(static_cast<std::size_t>(end));
    double wall = 0;
    for (const StepShard* s : shards) {
        for (const ComputedBlock& block : s->blocks) {
            merged_.merge(block.sums);
            outcomes_.insert(outcomes_.end(), block.outcomes.begin(), block.outcomes.end());
        }
        wall += s->wall_seconds;
        threads_ = std::max(threads_, s->threads);
    }
    wall_seconds_ += wall;
}

SimulationResults SimulationRun::results() const {
    if (abandoned_) {
        throw Error("this simulation run was interrupted; start a new one");
    }
    const Model& model = model_;
    const SimulationSettings& s = settings_;
    const KernelModel& km = *km_;
    const std::vector<ReplicationOutcome>& outcomes = outcomes_;
    const BlockAccumulator& merged = merged_;
    const std::int64_t total = static_cast<std::int64_t>(outcomes.size());
    const double wall = wall_seconds_;
    const int threads = threads_;

    // ---- Summaries, all computed in replication order.
    SimulationResults res;
    res.scenario_name = model.name;
    res.scenario_file = model.file;
    res.horizon_h = s.horizon_h;
    res.warmup_h = s.warmup_h;
    res.replications = total;
    res.seed = s.seed;
    res.grid_step_h = km.grid_step_h;
    const double window_h = s.horizon_h - s.warmup_h;
    const double window_years = window_h / kHoursPerYear;

    std::vector<double> unavail, fails_per_year;
    unavail.reserve(outcomes.size());
    for (const ReplicationOutcome& o : outcomes) {
        unavail.push_back(o.unavailability);
        fails_per_year.push_back(static_cast<double>(o.system_failures) / window_years);
        res.replication_availability.push_back(1.0 - o.unavailability);
        res.replication_unavailability.push_back(o.unavailability);
        res.replication_failures_per_year.push_back(static_cast<double>(o.system_failures) / window_years);
        res.first_failure_samples_h.push_back(o.first_failure_h);
        res.events += o.events;
        if (o.failed) {
            ++res.first_failures;
        } else {
            ++res.censored;
        }
    }
    res.unavailability = positive_mean_estimate(unavail);
    res.availability = res.unavailability;
    res.availability.mean = 1.0 - res.unavailability.mean;
    res.availability.lo = 1.0 - res.unavailability.hi;
    res.availability.hi = 1.0 - res.unavailability.lo;
    res.nines = map_decreasing(res.unavailability, [](double u) { return u > 0 ? -std::log10(u) : INFINITY; });
    res.downtime_h_per_year = res.unavailability;
    res.downtime_h_per_year.mean *= kHoursPerYear;
    res.downtime_h_per_year.lo *= kHoursPerYear;
    res.downtime_h_per_year.hi *= kHoursPerYear;
    res.downtime_h_per_year.std_error *= kHoursPerYear;

    res.year_downtime_samples_h = merged.year_downtime_h;
    res.year_downtime = summarise(merged.year_downtime_h);
    res.budget_h = model.budget_h;
    // Years of one replication are correlated (an outage can span years): the replication is the unit
    // of the per-year intervals. Each replication contributes the same number of whole years, in order.
    const std::int64_t years_per_replication = total > 0 ? static_cast<std::int64_t>(merged.year_downtime_h.size()) / total : 0;
    std::vector<std::int64_t> year_replication(merged.year_downtime_h.size());
    for (std::size_t i = 0; i < year_replication.size(); ++i) {
        year_replication[i] = static_cast<std::int64_t>(i) / std::max<std::int64_t>(1, years_per_replication);
    }
    res.year_downtime_percentiles = clustered_percentiles(merged.year_downtime_h, year_replication, total, {0.50, 0.95, 0.99});
    if (model.budget_h) {
        std::vector<std::int64_t> over(static_cast<std::size_t>(total), 0), years(static_cast<std::size_t>(total), 0);
        for (std::size_t i = 0; i < year_replication.size(); ++i) {
            const auto r = static_cast<std::size_t>(year_replication[i]);
            over[r] += merged.year_downtime_h[i] > *model.budget_h ? 1 : 0;
            ++years[r];
        }
        res.budget_exceeded = clustered_proportion_estimate(over, years);
    }

    res.failures_per_year = positive_mean_estimate(fails_per_year);
    res.mtbf_h = map_decreasing(res.failures_per_year, [](double f) { return f > 0 ? kHoursPerYear / f : INFINITY; });
    // Delta method for the figures derived from a mean (d(-log10 u)/du = -1/(u ln 10), d(8760/f)/df = -8760/f^2).
    if (res.unavailability.mean > 0) {
        res.nines.std_error = delta_method_std_error(res.unavailability, 1.0 / (res.unavailability.mean * std::log(10.0)));
    }
    if (res.failures_per_year.mean > 0) {
        const double f = res.failures_per_year.mean;
        res.mtbf_h.std_error = delta_method_std_error(res.failures_per_year, kHoursPerYear / (f * f));
    }
    res.slos = summarise_slos(model, s.warmup_h, s.horizon_h, merged, total);
    add_service(res, model, outcomes, merged, window_h);
    res.outage_samples_h = merged.outage_durations_h;
    {
        // Each replication holds its completed outages and then the one open at the horizon.
        res.outage_list.reserve(merged.outage_records.size());
        std::size_t next = 0, next_cause = 0, next_component = 0;
        for (std::size_t r = 0; r < outcomes.size() && next < merged.outage_records.size(); ++r) {
            const std::int64_t here = outcomes[r].outage_count + (outcomes[r].outage_open ? 1 : 0);
            for (std::int64_t k = 0; k < here; ++k, ++next) {
                const OutageRecord& rec = merged.outage_records[next];
                OutageResult o;
                o.replication = static_cast<std::int64_t>(r);
                o.start_h = rec.start_h;
                o.end_h = rec.end_h;
                o.open = rec.open;
                o.planned = rec.planned;
                const auto causes = merged.outage_causes.begin() + static_cast<std::ptrdiff_t>(next_cause);
                o.causes.assign(causes, causes + rec.cause_count);
                next_cause += static_cast<std::size_t>(rec.cause_count);
                const auto comps = merged.outage_components.begin() + static_cast<std::ptrdiff_t>(next_component);
                o.components_down.assign(comps, comps + rec.component_count);
                next_component += static_cast<std::size_t>(rec.component_count);
                res.outage_list.push_back(std::move(o));
            }
        }
    }
    {
        // Outage lengths: completed outages and the ones open at the horizon (censored there), each
        // tagged with its replication (completed outages are stored in replication order).
        std::vector<CensoredObservation> obs;
        obs.reserve(merged.outage_durations_h.size() + outcomes.size());
        std::size_t next = 0;
        for (std::size_t r = 0; r < outcomes.size(); ++r) {
            const auto rep = static_cast<std::int64_t>(r);
            for (std::int64_t k = 0; k < outcomes[r].outage_count; ++k) obs.push_back({merged.outage_durations_h[next++], true, rep});
            if (outcomes[r].outage_open) {
                obs.push_back({outcomes[r].open_outage_h, false, rep});
                ++res.open_outages;
            }
        }
        res.outage_km = kaplan_meier_summary(std::move(obs), total, {0.50, 0.95, 0.99});
        res.mean_outage_h = res.outage_km.mean;
        res.outage.count = static_cast<std::int64_t>(merged.outage_durations_h.size());
        res.outage.mean = res.outage_km.mean.mean;
        double* fields[] = {&res.outage.p50, &res.outage.p95, &res.outage.p99};
        for (std::size_t i = 0; i < 3; ++i) {
            const PercentileEstimate& pe = res.outage_km.percentiles[i];
            *fields[i] = pe.defined ? pe.value : std::nan("");
        }
        res.outage.max = res.outage_km.max;
    }

    {
        // Time to the first system failure: Kaplan-Meier with the replications that never failed
        // censored at the horizon. Without censoring its mean is the sample mean; with censoring only
        // the mean restricted to the horizon is estimable, and it is a lower bound of the MTTF.
        std::vector<CensoredObservation> obs;
        for (std::size_t r = 0; r < outcomes.size(); ++r) {
            obs.push_back({outcomes[r].first_failure_h, outcomes[r].failed, static_cast<std::int64_t>(r)});
        }
        res.first_failure_km = kaplan_meier_summary(std::move(obs), total, {});
        res.mttf_h = res.first_failure_km.mean;
        // Uncensored, the KM mean is the sample mean: use the kurtosis-aware interval of a positive mean.
        if (res.censored == 0) res.mttf_h = positive_mean_estimate(res.first_failure_samples_h);
        if (res.censored > 0) {
            res.mttf_h.has_ci = false;
            if (res.first_failures == 0) {
                // Every replication survived: P(T > horizon) >= 0.05^(1/n) at 95%, so MTTF >= horizon x that.
                res.mttf_lower_bound_h = s.horizon_h * std::pow(0.05, 1.0 / static_cast<double>(total));
            } else {
                const Estimate& m = res.first_failure_km.mean;
                res.mttf_lower_bound_h =
                    total >= 2 && m.std_error > 0 && m.mean > 0
                        ? m.mean * std::exp(-student_t_quantile(0.95, total - 1) * m.std_error / m.mean)
                        : 0.0;
            }
        }
    }

    res.grid_t_h.resize(static_cast<std::size_t>(km.grid_points));
    std::vector<double> first_sorted = res.first_failure_samples_h;
    std::sort(first_sorted.begin(), first_sorted.end());
    std::size_t failed_by = 0;
    for (int g = 0; g < km.grid_points; ++g) {
        const double t = g * km.grid_step_h;
        res.grid_t_h[static_cast<std::size_t>(g)] = t;
        const Estimate a = proportion_estimate(merged.grid_up[static_cast<std::size_t>(g)], total);
        res.point_availability.push_back(a.mean);
        res.point_availability_lo.push_back(a.lo);
        res.point_availability_hi.push_back(a.hi);
        // R(t) = P(first failure > t); censored replications (value = horizon) count as survivors.
        while (failed_by < first_sorted.size() && first_sorted[failed_by] <= t &&
               (first_sorted[failed_by] < s.horizon_h)) {
            ++failed_by;
        }
        res.reliability.push_back(1.0 - static_cast<double>(failed_by) / static_cast<double>(total));
    }

    // Availability over each grid cell: mean uptime fraction with a t interval over replications.
    for (int k = 0; k < km.grid_cells; ++k) {
        const double c0 = k * km.grid_step_h;
        const double len = std::min(km.grid_step_h, s.horizon_h - c0);
        const Estimate d = sums_estimate(merged.cell_down[static_cast<std::size_t>(k)], merged.cell_down_sq[static_cast<std::size_t>(k)],
                                         total, 1.0);
        res.cell_start_h.push_back(c0);
        res.cell_availability.push_back(1.0 - d.mean / len);
        res.cell_availability_lo.push_back(d.has_ci ? std::max(0.0, 1.0 - d.hi / len) : 1.0 - d.mean / len);
        res.cell_availability_hi.push_back(d.has_ci ? std::min(1.0, 1.0 - d.lo / len) : 1.0 - d.mean / len);
    }

    std::int64_t system_outages = 0;  // every outage that started in the window, open ones included
    for (const ReplicationOutcome& o : outcomes) system_outages += o.system_failures + o.planned_outages;
    res.system_outages = system_outages;
    double system_downtime_h = 0;  // inside the window, all replications
    for (const ReplicationOutcome& o : outcomes) system_downtime_h += o.unavailability * window_h;
    add_outage_causes(res, outcomes, km.has_planned_outages, window_years);
    if (km.has_failover) add_failover(res, outcomes, window_years);
    res.components.reserve(model.components.size());  // sized once: a million components, no doubling copies
    for (std::size_t c = 0; c < model.components.size(); ++c) {
        const Component& comp = model.components[c];
        ComponentResult cr;
        cr.name = comp.name;
        cr.instances = comp.count;
        std::int64_t failures = 0;
        double downtime = 0;
        for (int k = 0; k < comp.count; ++k) {
            failures += merged.instance_failures[static_cast<std::size_t>(comp.first_instance + k)];
            downtime += merged.instance_downtime_h[static_cast<std::size_t>(comp.first_instance + k)];
        }
        const double rep_years = static_cast<double>(total) * window_years;
        cr.failures_per_year = static_cast<double>(failures) / rep_years;
        cr.downtime_h_per_year = downtime / rep_years;
        cr.unavailability = downtime / (static_cast<double>(total) * window_h * comp.count);
        cr.failures_per_year_ci = sums_estimate(static_cast<double>(failures), merged.component_failures_sq[c], total, window_years);
        cr.downtime_h_per_year_ci = sums_estimate(downtime, merged.component_downtime_sq[c], total, window_years);
        cr.outages_involved = merged.component_outages[c];
        cr.repairs_started = merged.component_repairs[c];
        cr.stockouts = merged.component_stockouts[c];
        cr.mean_spare_wait_h = cr.stockouts > 0 ? merged.component_spare_wait_h[c] / static_cast<double>(cr.stockouts) : 0.0;
        cr.mean_wait_h = cr.repairs_started > 0 ? merged.component_wait_h[c] / static_cast<double>(cr.repairs_started) : 0.0;
        cr.outage_share = system_outages > 0 ? static_cast<double>(cr.outages_involved) / static_cast<double>(system_outages) : 0.0;
        cr.outage_downtime_h = merged.component_outage_downtime_h[c];
        cr.downtime_share = system_downtime_h > 0 ? std::min(1.0, cr.outage_downtime_h / system_downtime_h) : 0.0;
        res.components.push_back(std::move(cr));
    }

    {
        const double total_down = std::max(0.0, res.downtime_h_per_year.mean);
        auto cause = [&](std::size_t id, const std::string& kind, const std::string& name) {
            CauseResult cr;
            cr.kind = kind;
            cr.name = name;
            cr.label = name.empty() ? kind : kind + ":" + name;
            cr.downtime_h_per_year = sums_estimate(merged.cause_downtime_h[id], merged.cause_downtime_sq[id], total, window_years);
            cr.outages_per_year = sums_estimate(static_cast<double>(merged.cause_outages[id]), merged.cause_outages_sq[id], total, window_years);
            cr.downtime_share = total_down > 0 ? cr.downtime_h_per_year.mean / total_down : 0.0;
            res.causes.push_back(std::move(cr));
        };
        const auto causes = static_cast<std::size_t>(km.cause_count);
        res.causes.reserve(res.causes.size() + causes + static_cast<std::size_t>(kCauseKinds));
        for (int k = 0; k < kCauseKinds; ++k) cause(causes + static_cast<std::size_t>(k), to_string(static_cast<CauseKind>(k)), "");
        for (std::size_t id = 0; id < causes; ++id) {
            if (!km.cause_name[id].empty()) cause(id, to_string(km.cause_kind[id]), km.cause_name[id]);
        }
    }

    for (std::size_t p = 0; p < model.pools.size(); ++p) {
        PoolResult pr;
        pr.name = model.pools[p].name;
        pr.crews = model.pools[p].crews;
        pr.utilisation = merged.pool_busy_h[p] / (static_cast<double>(total) * window_h * pr.crews);
        res.pools.push_back(pr);
    }

    add_precision_notes(res, system_outages, static_cast<double>(total) * window_years);
    if (res.unplanned_outages == 0 && res.planned_outages > 0) failure_rate_upper_bound(res, static_cast<double>(total) * window_years);

    res.wall_seconds = wall;
    res.events_per_second = wall > 0 ? static_cast<double>(res.events) / wall : 0.0;
    res.threads = threads;
    return res;
}

SimulationResults run_simulation(const Model& model, const RunOptions& options) {
    SimulationRun run(model, options.settings);
    run.extend_to(options.settings.replications, options);
    return run.results();
}

}  // namespace nines::sim
