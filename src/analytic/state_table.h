// The Markov chain builder's state store: states as bit-packed keys (a few 64-bit words each, written
// by KeyWriter), numbered in the order they are first seen, all held back to back in one array and
// found again through a flat open-addressing hash table. Nothing is allocated per state: at 10^6
// states a std::unordered_map of std::string keys spent most of the exploration allocating, hashing
// byte strings and chasing nodes (README, "Markov chains").
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace nines::analytic {

// Appends fields of a given bit width to a key (a value must fit its width: the caller checks what
// construction does not guarantee); finish() completes the last word before data() is read.
class KeyWriter {
public:
    void clear() {
        words_.clear();
        pending_ = 0;
        used_ = 0;
    }
    void put(std::uint64_t value, unsigned bits) {
        pending_ |= value << used_;  // used_ < 64
        used_ += bits;
        if (used_ >= 64) {
            words_.push_back(pending_);
            used_ -= 64;
            pending_ = used_ == 0 ? 0 : value >> (bits - used_);  // the part that did not fit
        }
    }
    void finish() {
        if (used_ > 0) words_.push_back(pending_);
        pending_ = 0;
        used_ = 0;
    }
    const std::uint64_t* data() const { return words_.data(); }
    std::size_t size() const { return words_.size(); }

private:
    std::vector<std::uint64_t> words_;
    std::uint64_t pending_ = 0;  // the word being filled
    unsigned used_ = 0;          // its bits in use
};

// Reads back what a KeyWriter wrote, field by field with the same widths.
class KeyReader {
public:
    explicit KeyReader(const std::uint64_t* words) : words_(words) {}
    std::uint64_t take(unsigned bits) {
        if (bits == 0) return 0;
        std::uint64_t value = words_[at_ / 64] >> (at_ % 64);
        const unsigned got = 64 - static_cast<unsigned>(at_ % 64);
        if (bits > got) value |= words_[at_ / 64 + 1] << got;
        at_ += bits;
        return bits == 64 ? value : value & ((std::uint64_t{1} << bits) - 1);
    }

private:
    const std::uint64_t* words_;
    std::size_t at_ = 0;
};

// The number of bits that hold every value in [0, max_value].
unsigned bits_for(std::uint64_t max_value);

class StateTable {
public:
    StateTable();
    // The id of the key (words[0, count)): an existing one, or the next id (size() before the
    // call) with `true` when the key is new.
    std::pair<int, bool> intern(const std::uint64_t* words, std::size_t count) { return intern(words, count, hash(words, count)); }
    // The same with the key's hash computed before (hash()), for example to prefetch().
    std::pair<int, bool> intern(const std::uint64_t* words, std::size_t count, std::uint64_t hash);
    static std::uint64_t hash(const std::uint64_t* words, std::size_t count);
    // Starts loading the slot a key with this hash is looked up in: a batch of lookups then waits for
    // memory once, not once per key (at 10^6 states the table is far larger than the caches).
    void prefetch(std::uint64_t hash) const { __builtin_prefetch(slots_.data() + ((hash >> 32) & (slots_.size() - 1))); }
    std::size_t size() const { return offset_.size() - 1; }
    const std::uint64_t* key(int id) const { return words_.data() + offset_[static_cast<std::size_t>(id)]; }
    // Bytes held (keys, offsets and the table, as allocated).
    std::size_t bytes() const;

private:
    void grow();

    std::vector<std::uint64_t> words_;   // every key, back to back
    std::vector<std::size_t> offset_;    // key k is words_[offset_[k], offset_[k + 1])
    // Open addressing, linear probing, at most half full: 0 empty, else (hash's high 32 bits) << 32 | (id + 1).
    std::vector<std::uint64_t> slots_;
};

}  // namespace nines::analytic
