#include "sim/replicated_estimate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace nines::sim {

ReplicatedInterval replicated_interval(const Estimate& e) {
    ReplicatedInterval out;
    out.mean = e.mean;
    out.std_error = e.std_error;
    out.lower = e.has_ci ? e.lo : e.mean;
    out.upper = e.has_ci ? e.hi : e.mean;
    out.relative_error = e.mean > 0 ? (out.upper - out.lower) / 2 / e.mean : std::numeric_limits<double>::infinity();
    return out;
}

void for_each_replication(std::int64_t count, int threads, const std::function<void(std::int64_t)>& run) {
    const int workers = static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(threads, count)));
    // Replication r goes to worker r mod workers; each writes only its own results.
    auto work = [&](int worker) {
        for (std::int64_t r = worker; r < count; r += workers) run(r);
    };
    if (workers == 1) {
        work(0);
        return;
    }
    std::vector<std::thread> pool;
    for (int k = 0; k < workers; ++k) pool.emplace_back(work, k);
    for (std::thread& t : pool) t.join();
}

double unavailability_relative_error(const std::vector<ReplicationSums>& sums) {
    std::vector<double> down;
    down.reserve(sums.size());
    for (const ReplicationSums& s : sums) down.push_back(s.down_time);
    return replicated_interval(positive_mean_estimate(down)).relative_error;
}

ReplicatedSummary summarise_replications(const std::vector<ReplicationSums>& sums, double window_h, std::int64_t extra_events) {
    // Per replication: u = down time / window, f = failures / window.
    ReplicatedSummary out;
    const auto n = static_cast<std::int64_t>(sums.size());
    const auto nd = static_cast<double>(n);
    double su = 0, sf = 0, suu = 0, sff = 0, suf = 0, sq = 0, largest = 0;
    std::vector<double> us, fs;
    us.reserve(sums.size());
    fs.reserve(sums.size());
    for (const ReplicationSums& t : sums) {
        const double u = t.down_time / window_h, f = t.failures / window_h;
        largest = std::max(largest, u);
        us.push_back(u);
        fs.push_back(f);
        su += u;
        sf += f;
        suu += u * u;
        sff += f * f;
        suf += u * f;
        sq += t.outage_sq;
        out.events += t.events;
        out.main_events += t.main_events;
    }
    out.replications = n;
    out.events += extra_events;
    if (n < 2) return out;
    const double mu = su / nd, mf = sf / nd;
    const double vu = (suu - nd * mu * mu) / (nd - 1), vf = (sff - nd * mf * mf) / (nd - 1);
    const double cuf = (suf - nd * mu * mf) / (nd - 1);
    out.unavailability = replicated_interval(positive_mean_estimate(us));
    out.failure_frequency_per_h = replicated_interval(positive_mean_estimate(fs));
    out.largest_replication_share = su > 0 ? largest / su : 0.0;
    if (mf > 0) {
        const double m = mu / mf;
        Estimate mdt;
        mdt.mean = m;
        mdt.std_error = std::sqrt(std::max(0.0, (vu - 2 * m * cuf + m * m * vf) / (mf * mf) / nd));
        out.mean_down_time_h = replicated_interval(log_scale_interval(mdt, n - 1));
    }
    // Plain Monte Carlo over the same window: variance of its estimate ~ E[sum of squared outage
    // lengths] / window^2 (rare, nearly independent outages), work ~ the main trajectory's events.
    const double plain_variance = sq / nd / (window_h * window_h);
    const double plain_work = static_cast<double>(out.main_events) / nd;
    const double work = static_cast<double>(out.events) / nd;
    if (vu > 0 && work > 0) out.variance_ratio = plain_variance * plain_work / (vu * work);
    constexpr double kZ95 = 1.959963984540054;
    if (mu > 0) out.plain_replications_for_10_percent = (kZ95 / 0.1) * (kZ95 / 0.1) * plain_variance / (mu * mu);
    return out;
}

}  // namespace nines::sim
