#include "analytic/state_table.h"

#include <utility>

namespace nines::analytic {

namespace {

// The finaliser of MurmurHash3: every input bit moves every output bit.
std::uint64_t mix(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

constexpr std::size_t kInitialSlots = 1024;

}  // namespace

std::uint64_t StateTable::hash(const std::uint64_t* words, std::size_t count) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL * (count + 1);
    for (std::size_t k = 0; k < count; ++k) h = mix(h ^ words[k]);
    return h;
}

unsigned bits_for(std::uint64_t max_value) {
    unsigned bits = 0;
    while (bits < 64 && (max_value >> bits) != 0) ++bits;
    return bits;
}

StateTable::StateTable() : offset_{0}, slots_(kInitialSlots, 0) {}

std::pair<int, bool> StateTable::intern(const std::uint64_t* words, std::size_t count, std::uint64_t hash) {
    const std::uint64_t tag = hash >> 32;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = static_cast<std::size_t>(tag) & mask;; at = (at + 1) & mask) {
        const std::uint64_t slot = slots_[at];
        if (slot == 0) break;
        if ((slot >> 32) != tag) continue;
        const auto id = static_cast<std::size_t>((slot & 0xffffffffULL) - 1);
        const std::size_t begin = offset_[id];
        if (offset_[id + 1] - begin != count) continue;
        // A loop, not memcmp: keys are a few words, and the call costs more than the comparison.
        std::size_t k = 0;
        while (k < count && words[k] == words_[begin + k]) ++k;
        if (k == count) return {static_cast<int>(id), false};
    }
    const std::size_t id = size();
    words_.insert(words_.end(), words, words + count);
    offset_.push_back(words_.size());
    if (2 * (id + 1) > slots_.size()) grow();
    const std::size_t new_mask = slots_.size() - 1;
    std::size_t at = static_cast<std::size_t>(tag) & new_mask;
    while (slots_[at] != 0) at = (at + 1) & new_mask;
    slots_[at] = tag << 32 | (id + 1);
    return {static_cast<int>(id), true};
}

void StateTable::grow() {
    // Every slot keeps its hash's high bits: the keys need not be hashed again.
    std::vector<std::uint64_t> slots(slots_.size() * 2, 0);
    const std::size_t mask = slots.size() - 1;
    for (const std::uint64_t slot : slots_) {
        if (slot == 0) continue;
        std::size_t at = static_cast<std::size_t>(slot >> 32) & mask;
        while (slots[at] != 0) at = (at + 1) & mask;
        slots[at] = slot;
    }
    slots_ = std::move(slots);
}

std::size_t StateTable::bytes() const {
    return words_.capacity() * sizeof(std::uint64_t) + offset_.capacity() * sizeof(std::size_t) +
           slots_.capacity() * sizeof(std::uint64_t);
}

}  // namespace nines::analytic
