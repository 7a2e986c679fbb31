#include "analytic/bdd_cut_sets.h"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <map>
#include <tuple>
#include <unordered_map>

#include "analytic/zbdd.h"

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
        // Sets without v: the function with v up. Sets with v: v down, and whatever else is needed,
        // unless that already contains a set without v (Rauzy's "without" keeps the family minimal).
        const ZbddRef keep = down(sf_.bdd.high(n), k);
        const ZbddRef below = down(sf_.bdd.low(n), Zbdd::less_one(k));
        // The memo holds about as many pairs as both diagrams have nodes (a k-of-n pairs each node
        // of one with one node of the other; a smaller memo recomputes them over and over).
        // With an order limit the sets are a few elements among many levels, and the walk would
        // cross every level between them one node at a time: there the family version, which skips
        // them, is faster.
        ZbddRef with;
        if (k == Zbdd::kNoLimit) {
            not_cuts_memo_.follow(4 * std::max(z_.size(), sf_.bdd.size()), std::size_t{1} << 24);
            with = not_cuts(below, sf_.bdd.high(n), k, 0);
        } else {
            with = z_.without(below, keep);
        }
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
    // The family down(n, k) when it has been built, -1 otherwise.
    ZbddRef known_down(BddRef n, int k) const {
        if (k == Zbdd::kNoLimit) {
            return unlimited_.empty() ? -1 : unlimited_[static_cast<std::size_t>(n)];
        }
        const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(n)) << 32) |
                                  static_cast<std::uint32_t>(k);
        const auto it = memo_.find(key);
        return it == memo_.end() ? -1 : it->second;
    }

    // The sets of family `p` (each of at most k elements) that are not cut sets of BDD node `m`'s
    // function: Rauzy's without(p, down(m, k)), decided on m's BDD instead of on its family of
    // minimal cut sets. A set is a cut set when the path it selects (its variables down, the others
    // up) ends in kFalse, so each step follows one branch of m, where the family version needs two
    // nested recursions per shared variable (it took most of the time on large families). A module
    // variable is decided by the set's elements inside the module: the walk enters the module's own
    // BDD and, at its terminal, continues with the branch it selects (`stack`: the interned list of
    // branches pending). This needs a module's inputs to occupy the levels right after its variable,
    // which variable_levels guarantees (each scope is emitted whole right after its module's
    // variable). When p is m's own family every set is a cut set (the shortcut "without(p, p) is
    // empty" of the family version, which k-of-n structures rely on).
    ZbddRef not_cuts(ZbddRef p, BddRef m, int k, int stack) {
        for (;;) {
            if (p == Zbdd::kEmpty) return p;
            // The empty set: m with every variable up, modules included, decided at once (a walk
            // would cross every nested module: quadratic on a long requires chain).
            if (p == Zbdd::kBase && m > Bdd::kTrue) m = all_up_is_down(m) ? Bdd::kFalse : Bdd::kTrue;
            if (m == Bdd::kTrue || m == Bdd::kFalse) {
                if (stack == 0) return m == Bdd::kTrue ? p : Zbdd::kEmpty;
                const Pending& c = pending_[static_cast<std::size_t>(stack)];
                m = m == Bdd::kFalse ? c.if_down : c.if_up;
                stack = c.below;
                continue;
            }
            const int vm = sf_.bdd.level(m);
            const BddRef module = module_root_[static_cast<std::size_t>(vm)];
            if (module >= 0) {
                stack = push(stack, sf_.bdd.low(m), sf_.bdd.high(m));
                m = module;
            } else if (vm < z_.var(p)) {
                m = sf_.bdd.high(m);  // no set holds vm: it stays up (a loop, no memo entry a level)
            } else {
                break;
            }
        }
        if (stack == 0 && known_down(m, k) == p) return Zbdd::kEmpty;
        if (NodeRef hit; not_cuts_memo_.lookup(p, m, stack, hit)) return hit;
        const int vm = sf_.bdd.level(m);
        const int vp = z_.var(p);  // kBase: past every level
        ZbddRef result;
        if (vp < vm) {
            const ZbddRef l = not_cuts(z_.lo(p), m, k, stack);
            result = z_.node(vp, l, not_cuts(z_.hi(p), m, k, stack));
        } else {
            const ZbddRef l = not_cuts(z_.lo(p), sf_.bdd.high(m), k, stack);
            result = z_.node(vp, l, not_cuts(z_.hi(p), sf_.bdd.low(m), Zbdd::less_one(k), stack));
        }
        not_cuts_memo_.store(p, m, stack, result);
        return result;
    }

    // Whether m's function is down with every variable up (always false for a coherent structure
    // function but its constant-false nodes; computed once per node, children first).
    bool all_up_is_down(BddRef m) {
        if (all_up_down_.empty()) {
            all_up_down_.assign(sf_.bdd.size(), 0);
            all_up_down_[static_cast<std::size_t>(Bdd::kFalse)] = 1;
            for (std::size_t n = 2; n < all_up_down_.size(); ++n) {
                const BddRef v = static_cast<BddRef>(n);
                const BddRef module = module_root_[static_cast<std::size_t>(sf_.bdd.level(v))];
                // A module variable is up when its module is: its root was made before n.
                const bool module_down = module >= 0 && all_up_down_[static_cast<std::size_t>(module)] != 0;
                all_up_down_[n] = all_up_down_[static_cast<std::size_t>(module_down ? sf_.bdd.low(v) : sf_.bdd.high(v))];
            }
        }
        return all_up_down_[static_cast<std::size_t>(m)] != 0;
    }
    std::vector<std::uint8_t> all_up_down_;

    // The id of the list `below` with (if_down, if_up) pushed on it: equal lists, equal ids.
    int push(int below, BddRef if_down, BddRef if_up) {
        const auto key = std::make_tuple(below, if_down, if_up);
        if (auto it = pending_id_.find(key); it != pending_id_.end()) return it->second;
        const int id = static_cast<int>(pending_.size());
        pending_.push_back({below, if_down, if_up});
        pending_id_.emplace(key, id);
        return id;
    }

    struct Pending {
        int below;              // the rest of the list (0: empty)
        BddRef if_down, if_up;  // where the walk goes on when the module is down, up
    };
    std::vector<Pending> pending_{Pending{0, Bdd::kFalse, Bdd::kFalse}};  // id 0: the empty list
    std::map<std::tuple<int, BddRef, BddRef>, int> pending_id_;
    // (p, m, stack): lossy, as the ZBDD's own. The result does not depend on k (only the shortcut
    // does, and it gives the same family), so entries are shared across order limits.
    ComputedTable not_cuts_memo_{std::size_t{1} << 20};

    const StructureFunction& sf_;
    Zbdd& z_;
    std::vector<BddRef> module_root_;  // by level: the module's function, -1 for an instance
    std::unordered_map<std::uint64_t, ZbddRef> memo_;
    std::vector<ZbddRef> unlimited_;
};

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
template <class Work>
void on_large_stack(Work& work) {
    constexpr std::size_t kStackBytes = std::size_t{1} << 30;
    struct Job {
        Work* work;
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

BddCutSets build(const StructureFunction& sf, const std::vector<double>& q, int max_order, std::size_t node_limit,
                 std::size_t list_limit);

}  // namespace

BddCutSets bdd_minimal_cut_sets(const StructureFunction& sf, const std::vector<double>& q, int max_order,
                                std::size_t node_limit, std::size_t list_limit) {
    BddCutSets result;
    auto work = [&] { result = build(sf, q, max_order, node_limit, list_limit); };
    on_large_stack(work);
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
    Zbdd z(static_cast<int>(levels), node_limit);
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
        z = Zbdd(static_cast<int>(levels), node_limit);
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
