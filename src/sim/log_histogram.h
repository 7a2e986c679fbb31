// Exact integer histograms on fine logarithmic bins, for percentiles of more values than a run can
// keep (README "Percentiles from log histograms").
//
// A bin is the top 8 bits of a positive double's mantissa with its exponent: bin(x) = bits(x) >> 44.
// Bins are contiguous in value and each spans at most 2^-8 (0.39 %) of its lower edge, so the bin's
// midpoint is within 2^-9 (0.195 %) of every value in it. Zero (and anything below the smallest normal
// double, or negative) has its own bin whose value is exactly 0. Counts are 64-bit integers: merging is
// integer addition, so any split of the values and any merge order give identical counts.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/statistics.h"

namespace nines::sim {

class LogHistogram {
public:
    static constexpr int kMantissaBits = 8;
    // Largest relative distance between a bin's midpoint and a value in the bin: 2^-(kMantissaBits + 1).
    static constexpr double kRelativePrecision = 1.0 / (1 << (kMantissaBits + 1));

    // Bin of a value; values below the smallest normal double (zero included) map to kZeroBin.
    static constexpr std::int64_t kZeroBin = -1;
    static std::int64_t bin_of(double x);
    static double lower_edge(std::int64_t bin);   // 0 for kZeroBin
    static double upper_edge(std::int64_t bin);   // exclusive; the smallest normal double for kZeroBin
    static double midpoint(std::int64_t bin);     // 0 for kZeroBin

    void add(double x) { add_to_bin(bin_of(x), 1); }
    void add_to_bin(std::int64_t bin, std::int64_t count);
    void merge(const LogHistogram& other);
    void clear();

    std::int64_t count() const { return total_; }
    std::int64_t zeros() const { return zeros_; }
    // Dense counts of bins first_bin() .. first_bin() + counts().size() - 1 (empty when no positive value).
    std::int64_t first_bin() const { return first_bin_; }
    const std::vector<std::int64_t>& counts() const { return counts_; }
    // Values in bins up to and including `bin` (kZeroBin: the zeros).
    std::int64_t count_up_to(std::int64_t bin) const;
    // Bin of the value of rank k (0-based, ascending); k < count().
    std::int64_t bin_of_rank(std::int64_t k) const;
    // Type-7 percentile (linear interpolation between order statistics) computed from the bins'
    // midpoints: within kRelativePrecision of the type-7 percentile of the values themselves.
    double percentile(double p) const;

    bool operator==(const LogHistogram& other) const;

private:
    std::int64_t zeros_ = 0;
    std::int64_t total_ = 0;
    std::int64_t first_bin_ = 0;
    std::vector<std::int64_t> counts_;
};

// One LogHistogram per batch of replications: replication r goes to batch r mod kBatches, fixed by its
// index alone (never by shards, threads or blocks). Up to kBatches replications every batch is one
// replication; beyond, a batch is a fixed set of independent replications, which is what the interval
// of a percentile needs (the replication, not the value, is the independent unit).
class BatchedLogHistogram {
public:
    static constexpr int kBatches = 32;

    void add(double x, std::int64_t replication);
    void merge(const BatchedLogHistogram& other);
    void clear() { batches_.clear(); }
    bool empty() const { return batches_.empty(); }
    // Batches 0 .. batch_count() - 1 (a histogram that saw nothing holds none).
    std::size_t batch_count() const { return batches_.size(); }
    const LogHistogram& batch(std::size_t b) const { return batches_[b]; }
    LogHistogram& batch_for_loading(std::size_t b);   // grows to b + 1 batches (partial files)
    LogHistogram pooled() const;
    bool operator==(const BatchedLogHistogram& other) const { return batches_ == other.batches_; }

private:
    std::vector<LogHistogram> batches_;
};

// Percentiles of the values in `h` (type-7 from the bins' midpoints; relative_precision set) with
// Woodruff intervals whose standard error of the distribution function is cluster-robust over the
// batches: min(replications, kBatches) clusters, t with one less degree of freedom. Each bound is
// widened by the bins' precision (lo x (1 - 2^-9), hi x (1 + 2^-9)) so the interval also covers the
// binning. `replications`: replications that fed the histogram (some may have added no value).
std::vector<PercentileEstimate> histogram_percentiles(const BatchedLogHistogram& h, std::int64_t replications,
                                                      const std::vector<double>& percentiles);

}  // namespace nines::sim
