#include "analytic/bdd_cut_sets.h"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <unordered_map>

#include "analytic/zbdd.h"
#include "analytic/zbdd_listing.h"

namespace nines::analytic {

namespace {

// Minimal cut sets of the "system down" function of BDD nodes, as ZBDD families over the instances'
// levels. The BDD's variables say "up"; a cut set is a set of variables set to "down", so a node's
// failure branch is its low child.
class MinimalSolutions {
public:
    MinimalSolutions(const StructureFunction& sf, Zbdd& zbdd) : sf_(sf), z_(zbdd) {
        module_root_.assign(sf.level_of_instance.size() + static_cast<std::size_t>(sf.module_count), -1);
        for (const StructureFunction::ModuleBinding& m : sf.modules()) {
            module_root_[static_cast<std::size_t>(m.level)] = m.root;
        }
    }

    // The minimal sets of at most `k` failures that bring node `n`'s function down.
    ZbddRef down(BddRef n, int k) {
        if (n == Bdd::kFalse) return Zbdd::kBase;  // down already: the empty set
        if (n == Bdd::kTrue || k <= 0) return Zbdd::kEmpty;  // a non-constant coherent function needs a failure
        // Without a limit, one entry per BDD node in a flat array; with one, a hash map on (node, k).
        const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(n)) << 32) |
                                  static_cast<std::uint32_t>(k);
        if (k == Zbdd::kNoLimit) {
            if (unlimited_.empty()) unlimited_.assign(sf_.bdd.size(), -1);
            if (const ZbddRef hit = unlimited_[static_cast<std::size_t>(n)]; hit >= 0) return hit;
        } else if (auto it = memo_.find(key); it != memo_.end()) {
            return it->second;
        }
        const int v = sf_.bdd.level(n);
        // Sets without v: the function with v up (f1). Sets with v: v down, and a minimal set S of
        // the function with v down (f0) that does not already bring f1 down (Rauzy's "without": the
        // sets of minsol(f0) that contain no set of minsol(f1)). For a coherent structure f1 <= f0,
        // so a set T of minsol(f1) inside S is a solution of f0, contains a minimal one, and S being
        // minimal, S = T: the sets to drop are exactly those in both families, and "without" is
        // a plain difference (one recursive call where "without" makes two, two where it makes
        // three). With the order limit: |S| <= k-1 <= k, so the S to drop is also in the family
        // kept up to k.
        const ZbddRef keep = down(sf_.bdd.high(n), k);
        ZbddRef with = z_.difference(down(sf_.bdd.low(n), Zbdd::less_one(k)), keep);
        ZbddRef result;
        if (const BddRef module = module_root_[static_cast<std::size_t>(v)]; module >= 0) {
            // v is a module: its own minimal sets take its place (disjoint variables: still minimal).
            with = z_.product(down(module, k), with, k);
            result = z_.unite(keep, with);
        } else if (with != Zbdd::kEmpty && (z_.var(with) <= v || z_.var(keep) <= v)) {
            // Not expected (a module's inputs follow it in the order), but stay correct if it happens.
            result = z_.unite(keep, z_.product(z_.node(v, Zbdd::kEmpty, Zbdd::kBase), with, k));
        } else {
            result = z_.node(v, keep, with);
        }
        if (k == Zbdd::kNoLimit) {
            unlimited_[static_cast<std::size_t>(n)] = result;
        } else {
            memo_.emplace(key, result);
        }
        return result;
    }

private:
    const StructureFunction& sf_;
    Zbdd& z_;
    std::vector<BddRef> module_root_;  // by level: the module's function, -1 for an instance
    std::unordered_map<std::uint64_t, ZbddRef> memo_;
    std::vector<ZbddRef> unlimited_;
};

}  // namespace

// Sum of P(C) over the family, and over its sets containing each level, in two passes.
void probability_sums(const Zbdd& z, ZbddRef root, const std::vector<double>& q_of_level, double& total,
                      std::vector<double>& by_level) {
    const auto top = static_cast<std::size_t>(root);
    std::vector<double> weight(top + 1, 0.0);
    if (top >= 1) weight[1] = 1.0;
    for (std::size_t n = 2; n <= top; ++n) {
        const double qv = q_of_level[static_cast<std::size_t>(z.var(static_cast<ZbddRef>(n)))];
        weight[n] = weight[static_cast<std::size_t>(z.lo(static_cast<ZbddRef>(n)))] +
                    qv * weight[static_cast<std::size_t>(z.hi(static_cast<ZbddRef>(n)))];
    }
    total = weight[top];
    // reach[n] = sum over the paths from the root to n of the product of q over the variables taken.
    std::vector<double> reach(top + 1, 0.0);
    reach[top] = 1.0;
    for (std::size_t n = top; n >= 2; --n) {
        if (reach[n] == 0.0) continue;
        const auto v = static_cast<std::size_t>(z.var(static_cast<ZbddRef>(n)));
        const auto hi = static_cast<std::size_t>(z.hi(static_cast<ZbddRef>(n)));
        const auto lo = static_cast<std::size_t>(z.lo(static_cast<ZbddRef>(n)));
        by_level[v] += reach[n] * q_of_level[v] * weight[hi];
        reach[lo] += reach[n];
        reach[hi] += reach[n] * q_of_level[v];
    }
}

// The `limit` most probable sets of the family (as sorted instance ids), most probable first; ties
// (up to rounding) by size, then instances. False when some sets were left out.
bool most_probable(const Zbdd& z, ZbddRef root, const std::vector<int>& instance_of_level,
                   const std::vector<double>& q_of_level, std::size_t limit, std::vector<CutSet>& out) {
    auto before = [](const CutSet& a, const CutSet& b) {  // a is listed before b
        if (a.probability > b.probability * (1 + 1e-9)) return true;
        if (b.probability > a.probability * (1 + 1e-9)) return false;
        return a.instances.size() != b.instances.size() ? a.instances.size() < b.instances.size() : a.instances < b.instances;
    };
    // A heap whose top is the least probable kept set: a new set replaces it when it comes first.
    std::vector<CutSet> heap;
    std::vector<int> path;
    std::size_t seen = 0;
    auto walk = [&](auto&& self, ZbddRef n, double p) -> void {
        if (n == Zbdd::kEmpty) return;
        if (n == Zbdd::kBase) {
            ++seen;
            if (heap.size() == limit && !(p > heap.front().probability * (1 + 1e-9))) {
                if (p * (1 + 1e-9) < heap.front().probability) return;  // clearly less probable: not kept
            }
            CutSet c;
            c.probability = p;
            c.instances = path;
            std::sort(c.instances.begin(), c.instances.end());
            if (heap.size() < limit) {
                heap.push_back(std::move(c));
                std::push_heap(heap.begin(), heap.end(), before);
            } else if (before(c, heap.front())) {
                std::pop_heap(heap.begin(), heap.end(), before);
                heap.back() = std::move(c);
                std::push_heap(heap.begin(), heap.end(), before);
            }
            return;
        }
        const auto v = static_cast<std::size_t>(z.var(n));
        self(self, z.lo(n), p);
        path.push_back(instance_of_level[v]);
        self(self, z.hi(n), p * q_of_level[v]);
        path.pop_back();
    };
    walk(walk, root, 1.0);
    std::sort_heap(heap.begin(), heap.end(), before);
    out = std::move(heap);
    return seen <= limit;
}

// Runs `work` on a thread with a large stack: the constructions recurse once per variable along a
// path, and a structure of 200,000 instances is that deep. The stack is reserved, not committed:
// only the pages a deep recursion touches are used.
void run_on_large_stack(const std::function<void()>& work) {
    constexpr std::size_t kStackBytes = std::size_t{1} << 30;
    struct Job {
        const std::function<void()>* work;
        std::exception_ptr error;
    } job{&work, nullptr};
    auto run = [](void* arg) -> void* {
        auto* j = static_cast<Job*>(arg);
        try {
            (*j->work)();
        } catch (...) {
            j->error = std::current_exception();
        }
        return nullptr;
    };
    pthread_attr_t attr;
    pthread_t thread;
    const bool started = pthread_attr_init(&attr) == 0 && pthread_attr_setstacksize(&attr, kStackBytes) == 0 &&
                         pthread_create(&thread, &attr, run, &job) == 0;
    pthread_attr_destroy(&attr);
    if (started) {
        pthread_join(thread, nullptr);
    } else {
        run(&job);  // no thread to be had: the caller's stack, enough for all but the deepest structures
    }
    if (job.error) std::rethrow_exception(job.error);
}

namespace {

BddCutSets build(const StructureFunction& sf, const std::vector<double>& q, int max_order, std::size_t node_limit,
                 std::size_t list_limit);

}  // namespace

BddCutSets bdd_minimal_cut_sets(const StructureFunction& sf, const std::vector<double>& q, int max_order,
                                std::size_t node_limit, std::size_t list_limit) {
    BddCutSets result;
    auto work = [&] { result = build(sf, q, max_order, node_limit, list_limit); };
    run_on_large_stack(work);
    return result;
}

namespace {

BddCutSets build(const StructureFunction& sf, const std::vector<double>& q, int max_order, std::size_t node_limit,
                 std::size_t list_limit) {
    const std::size_t instances = sf.level_of_instance.size();
    const std::size_t levels = instances + static_cast<std::size_t>(sf.module_count);
    std::vector<double> q_of_level(levels, 0.0);
    std::vector<int> instance_of_level(levels, -1);
    for (std::size_t i = 0; i < instances; ++i) {
        q_of_level[static_cast<std::size_t>(sf.level_of_instance[i])] = q[i];
        instance_of_level[static_cast<std::size_t>(sf.level_of_instance[i])] = static_cast<int>(i);
    }
    BddCutSets r;
    r.listed.max_order = max_order;
    r.containing.assign(instances, 0.0);

    // Every minimal cut set first (the Fussell-Vesely sums need them all); the listed ones are its
    // restriction to the order. When the whole family is too large, the family up to the order alone.
    // The computed table sized from the BDD (the ZBDD of every minimal cut set is often of its order).
    Zbdd z(static_cast<int>(levels), node_limit, sf.bdd.size());
    ZbddRef within = Zbdd::kEmpty;
    try {
        MinimalSolutions all(sf, z);
        const ZbddRef every = all.down(sf.system_up, Zbdd::kNoLimit);
        within = z.restrict_order(every, max_order);
        r.all_known = true;
        r.count_all = z.count(every);
        std::vector<double> by_level(levels, 0.0);
        probability_sums(z, every, q_of_level, r.total, by_level);
        for (std::size_t i = 0; i < instances; ++i) {
            r.containing[i] = by_level[static_cast<std::size_t>(sf.level_of_instance[i])];
        }
    } catch (const UnsupportedError&) {
        z = Zbdd(static_cast<int>(levels), node_limit, sf.bdd.size());
        MinimalSolutions limited(sf, z);
        within = limited.down(sf.system_up, max_order);
        std::vector<double> by_level(levels, 0.0);
        probability_sums(z, within, q_of_level, r.total, by_level);
        for (std::size_t i = 0; i < instances; ++i) {
            r.containing[i] = by_level[static_cast<std::size_t>(sf.level_of_instance[i])];
        }
    }
    r.zbdd_nodes = z.size();
    r.count_within_order = z.count(within);
    // Above the order: known exactly when the whole family is, otherwise possible.
    r.listed.order_limited = r.all_known ? r.count_all > r.count_within_order : true;

    r.listed.truncated = !most_probable(z, within, instance_of_level, q_of_level, list_limit, r.listed.sets);
    return r;
}

}  // namespace

}  // namespace nines::analytic
