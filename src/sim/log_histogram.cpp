#include "sim/log_histogram.h"

#include <algorithm>
#include <cstring>
#include <cfloat>
#include <cmath>

namespace nines::sim {

namespace {
constexpr int kDropBits = 52 - LogHistogram::kMantissaBits;

std::uint64_t bits_of(double x) {
    std::uint64_t u = 0;
    std::memcpy(&u, &x, sizeof u);
    return u;
}

double double_of(std::uint64_t u) {
    double x = 0;
    std::memcpy(&x, &u, sizeof x);
    return x;
}
}  // namespace

std::int64_t LogHistogram::bin_of(double x) {
    // Negative values, zero, subnormals and NaN go to the zero bin (the callers' values are durations).
    if (!(x >= DBL_MIN)) return kZeroBin;
    return static_cast<std::int64_t>(bits_of(x) >> kDropBits);
}

double LogHistogram::lower_edge(std::int64_t bin) {
    if (bin == kZeroBin) return 0;
    return double_of(static_cast<std::uint64_t>(bin) << kDropBits);
}

double LogHistogram::upper_edge(std::int64_t bin) {
    if (bin == kZeroBin) return DBL_MIN;
    return double_of(static_cast<std::uint64_t>(bin + 1) << kDropBits);
}

double LogHistogram::midpoint(std::int64_t bin) {
    if (bin == kZeroBin) return 0;
    return 0.5 * (lower_edge(bin) + upper_edge(bin));
}

void LogHistogram::add_to_bin(std::int64_t bin, std::int64_t count) {
    if (count == 0) return;
    total_ += count;
    if (bin == kZeroBin) {
        zeros_ += count;
        return;
    }
    if (counts_.empty()) {
        first_bin_ = bin;
        counts_.assign(1, count);
        return;
    }
    if (bin < first_bin_) {
        counts_.insert(counts_.begin(), static_cast<std::size_t>(first_bin_ - bin), 0);
        first_bin_ = bin;
    } else if (bin >= first_bin_ + static_cast<std::int64_t>(counts_.size())) {
        counts_.resize(static_cast<std::size_t>(bin - first_bin_ + 1), 0);
    }
    counts_[static_cast<std::size_t>(bin - first_bin_)] += count;
}

void LogHistogram::merge(const LogHistogram& other) {
    if (other.total_ == 0) return;
    add_to_bin(kZeroBin, other.zeros_);
    if (other.counts_.empty()) return;
    // Grow to cover both ranges once, then add.
    if (counts_.empty()) {
        first_bin_ = other.first_bin_;
        counts_ = other.counts_;
        total_ += other.total_ - other.zeros_;
        return;
    }
    const std::int64_t lo = std::min(first_bin_, other.first_bin_);
    const std::int64_t hi = std::max(first_bin_ + static_cast<std::int64_t>(counts_.size()),
                                     other.first_bin_ + static_cast<std::int64_t>(other.counts_.size()));
    if (lo < first_bin_) counts_.insert(counts_.begin(), static_cast<std::size_t>(first_bin_ - lo), 0);
    first_bin_ = lo;
    counts_.resize(static_cast<std::size_t>(hi - lo), 0);
    const std::size_t offset = static_cast<std::size_t>(other.first_bin_ - lo);
    for (std::size_t i = 0; i < other.counts_.size(); ++i) counts_[offset + i] += other.counts_[i];
    total_ += other.total_ - other.zeros_;
}

void LogHistogram::clear() {
    zeros_ = total_ = first_bin_ = 0;
    counts_.clear();
}

std::int64_t LogHistogram::count_up_to(std::int64_t bin) const {
    std::int64_t n = zeros_;
    if (bin == kZeroBin) return n;
    const std::int64_t last = std::min(bin - first_bin_, static_cast<std::int64_t>(counts_.size()) - 1);
    for (std::int64_t i = 0; i <= last; ++i) n += counts_[static_cast<std::size_t>(i)];
    return n;
}

std::int64_t LogHistogram::bin_of_rank(std::int64_t k) const {
    if (k < zeros_) return kZeroBin;
    std::int64_t seen = zeros_;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        seen += counts_[i];
        if (k < seen) return first_bin_ + static_cast<std::int64_t>(i);
    }
    return counts_.empty() ? kZeroBin : first_bin_ + static_cast<std::int64_t>(counts_.size()) - 1;
}

double LogHistogram::percentile(double p) const {
    if (total_ == 0) return std::nan("");
    // The same positions as sim::percentile on the sorted values; each order statistic is replaced by its
    // bin's midpoint, within kRelativePrecision of it, and so is their interpolation (both are >= 0).
    const double pos = p * static_cast<double>(total_ - 1);
    const auto lo = static_cast<std::int64_t>(std::floor(pos));
    const std::int64_t hi = lo + 1 < total_ ? lo + 1 : lo;
    const double frac = pos - static_cast<double>(lo);
    const double a = midpoint(bin_of_rank(lo));
    const double b = midpoint(bin_of_rank(hi));
    return a + (b - a) * frac;
}

bool LogHistogram::operator==(const LogHistogram& other) const {
    return zeros_ == other.zeros_ && total_ == other.total_ && counts_ == other.counts_ &&
           (counts_.empty() || first_bin_ == other.first_bin_);
}

void BatchedLogHistogram::add(double x, std::int64_t replication) {
    batch_for_loading(static_cast<std::size_t>(replication % kBatches)).add(x);
}

LogHistogram& BatchedLogHistogram::batch_for_loading(std::size_t b) {
    if (batches_.size() <= b) batches_.resize(b + 1);
    return batches_[b];
}

void BatchedLogHistogram::merge(const BatchedLogHistogram& other) {
    if (batches_.size() < other.batches_.size()) batches_.resize(other.batches_.size());
    for (std::size_t b = 0; b < other.batches_.size(); ++b) batches_[b].merge(other.batches_[b]);
}

LogHistogram BatchedLogHistogram::pooled() const {
    LogHistogram all;
    for (const LogHistogram& h : batches_) all.merge(h);
    return all;
}

std::vector<PercentileEstimate> histogram_percentiles(const BatchedLogHistogram& h, std::int64_t replications,
                                                      const std::vector<double>& percentiles) {
    std::vector<PercentileEstimate> out;
    const LogHistogram pooled = h.pooled();
    const std::int64_t n = pooled.count();
    const std::int64_t clusters = std::min<std::int64_t>(replications, BatchedLogHistogram::kBatches);
    const double precision = LogHistogram::kRelativePrecision;
    for (double p : percentiles) {
        PercentileEstimate pe;
        pe.p = p;
        pe.relative_precision = precision;
        if (n > 0) {
            pe.defined = true;
            pe.value = pe.lo = pe.hi = pooled.percentile(p);
            // The batches' influence on the distribution function at the percentile's bin (each batch a
            // set of whole replications, so batches are independent).
            const std::int64_t at = LogHistogram::bin_of(pe.value);
            const double total = static_cast<double>(n);
            const double f = static_cast<double>(pooled.count_up_to(at)) / total;
            std::vector<double> sums(static_cast<std::size_t>(std::max<std::int64_t>(clusters, 0)), 0.0);
            for (std::size_t b = 0; b < sums.size() && b < h.batch_count(); ++b) {
                const LogHistogram& batch = h.batch(b);
                sums[b] = (static_cast<double>(batch.count_up_to(at)) - f * static_cast<double>(batch.count())) / total;
            }
            woodruff_interval(pe, cluster_robust_std_error(sums), clusters, static_cast<std::size_t>(n),
                              [&](double q) { return pooled.percentile(std::min(q, 1.0)); });
            if (pe.has_ci) {
                // The bins' own precision: the bounds of the values' quantile function are within it.
                pe.lo *= 1 - precision;
                pe.hi *= 1 + precision;
            }
        }
        out.push_back(pe);
    }
    return out;
}

}  // namespace nines::sim
