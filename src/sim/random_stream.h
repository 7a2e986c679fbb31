// One random stream per (seed, replication, stream key, index). The stream's generator is xoshiro256++
// (Blackman & Vigna), about 1 ns per draw; its 256-bit starting state is the Philox4x32-10 image of the
// stream's address, so every stream is reachable directly from its address (no jumping, no dependence
// on construction order or thread), and distinct addresses give unrelated starting states.
#pragma once

#include <cstdint>

#include "sim/philox.h"

namespace nines::sim {

class RandomStream {
public:
    RandomStream() = default;
    // `stream` names the random source (nines uses a hash of the component name), `index` the instance
    // (below 2^31), so a component keeps its draws when other components are added or resized: the
    // common random numbers that make design comparisons precise.
    RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint32_t stream, std::uint32_t index = 0) {
        reset(seed, replication, stream, index);
    }

    void reset(std::uint64_t seed, std::uint64_t replication, std::uint32_t stream, std::uint32_t index = 0) {
        const PhiloxKey key = {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
        const auto rep_lo = static_cast<std::uint32_t>(replication);
        const auto rep_hi = static_cast<std::uint32_t>(replication >> 32);
        // Counter word 0 holds the index and which half of the state; words 1-3 the rest of the address.
        const PhiloxBlock a = philox4x32_10({index << 1, stream, rep_lo, rep_hi}, key);
        const PhiloxBlock b = philox4x32_10({(index << 1) | 1u, stream, rep_lo, rep_hi}, key);
        s_[0] = join(a[0], a[1]);
        s_[1] = join(a[2], a[3]);
        s_[2] = join(b[0], b[1]);
        s_[3] = join(b[2], b[3]);
        if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the one state xoshiro must avoid
    }

    std::uint64_t next_u64() {
        const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform on the open interval (0, 1), with 53 random bits: never 0, never 1, so log() is safe.
    double uniform_open() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t join(std::uint32_t lo, std::uint32_t hi) { return (static_cast<std::uint64_t>(hi) << 32) | lo; }

    std::uint64_t s_[4] = {1, 0, 0, 0};
};

}  // namespace nines::sim
