// The Markov chain builder's packed state keys and their table: every field reads back as written
// (widths 1 to 64, across word boundaries), equal keys get one id, different keys (also a key and its
// own prefix) get different ids, in the order first seen, across the table's growth.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include "analytic/state_table.h"

using namespace nines::analytic;

TEST_CASE("packed keys read back every field as written", "[ctmc][state-table]") {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 200; ++round) {
        std::vector<std::pair<std::uint64_t, unsigned>> fields;
        KeyWriter writer;
        for (int f = 0; f < 40; ++f) {
            const unsigned bits = 1 + static_cast<unsigned>(rng() % 64);
            const std::uint64_t value = bits == 64 ? rng() : rng() & ((std::uint64_t{1} << bits) - 1);
            fields.emplace_back(value, bits);
            writer.put(value, bits);
        }
        writer.finish();
        KeyReader reader(writer.data());
        for (const auto& [value, bits] : fields) REQUIRE(reader.take(bits) == value);
    }
    CHECK(bits_for(0) == 0);
    CHECK(bits_for(1) == 1);
    CHECK(bits_for(4096) == 13);
    CHECK(bits_for(~std::uint64_t{0}) == 64);
}

TEST_CASE("the state table numbers distinct keys in the order first seen", "[ctmc][state-table]") {
    StateTable table;
    // 100,000 keys of one to three words (the table grows many times), each interned twice.
    auto key_of = [](std::uint64_t k) {
        std::vector<std::uint64_t> key{k * 0x9e3779b97f4a7c15ULL};
        for (std::uint64_t w = 0; w < k % 3; ++w) key.push_back(k ^ w);
        return key;
    };
    const int n = 100000;
    for (int k = 0; k < n; ++k) {
        const std::vector<std::uint64_t> key = key_of(static_cast<std::uint64_t>(k));
        const auto [id, inserted] = table.intern(key.data(), key.size());
        REQUIRE(inserted);
        REQUIRE(id == k);
    }
    CHECK(table.size() == static_cast<std::size_t>(n));
    for (int k = n - 1; k >= 0; --k) {
        const std::vector<std::uint64_t> key = key_of(static_cast<std::uint64_t>(k));
        const auto [id, inserted] = table.intern(key.data(), key.size());
        REQUIRE_FALSE(inserted);
        REQUIRE(id == k);
        REQUIRE(std::vector<std::uint64_t>(table.key(id), table.key(id) + key.size()) == key);
    }
    // A key that is another's prefix (and the empty key) is a different state.
    const std::vector<std::uint64_t> longer = key_of(2);  // three words
    const auto [prefix_id, prefix_new] = table.intern(longer.data(), 2);
    CHECK(prefix_new);
    CHECK(prefix_id == n);
    const auto [empty_id, empty_new] = table.intern(nullptr, 0);
    CHECK(empty_new);
    CHECK(empty_id == n + 1);
    CHECK(table.intern(nullptr, 0).first == n + 1);
    CHECK(table.bytes() >= table.size() * 2 * sizeof(std::uint64_t));
}
