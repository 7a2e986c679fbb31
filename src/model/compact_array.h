// An array of plain values that is set whole and then only read, in 8 bytes (one pointer; the count is
// kept in front of the values) where std::vector takes 24, for lists most model objects leave empty:
// a Block's weights and demand profile (a million-component model has millions of blocks; issue 14).
// Reads like a const std::vector (size, empty, [], front, begin/end, range for) and converts to one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace nines {

template <class T>
class CompactArray {
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= alignof(std::size_t), "plain values only");

public:
    CompactArray() = default;
    explicit CompactArray(const std::vector<T>& values) { assign(values.data(), values.size()); }
    CompactArray(const CompactArray& other) { assign(other.data(), other.size()); }
    CompactArray(CompactArray&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
    CompactArray& operator=(const CompactArray& other) {
        if (this != &other) {
            CompactArray copy(other);
            std::swap(block_, copy.block_);
        }
        return *this;
    }
    CompactArray& operator=(CompactArray&& other) noexcept {
        std::swap(block_, other.block_);
        return *this;
    }
    CompactArray& operator=(const std::vector<T>& values) {
        CompactArray copy(values);
        std::swap(block_, copy.block_);
        return *this;
    }
    ~CompactArray() { ::operator delete(block_); }

    std::size_t size() const { return block_ ? *block_ : 0; }
    bool empty() const { return block_ == nullptr; }
    const T* data() const { return block_ ? reinterpret_cast<const T*>(block_ + 1) : nullptr; }
    const T* begin() const { return data(); }
    const T* end() const { return data() + size(); }
    const T& operator[](std::size_t i) const { return data()[i]; }
    const T& front() const { return data()[0]; }
    void clear() {
        ::operator delete(block_);
        block_ = nullptr;
    }
    std::vector<T> to_vector() const { return std::vector<T>(begin(), end()); }
    operator std::vector<T>() const { return to_vector(); }
    friend bool operator==(const CompactArray& a, const CompactArray& b) {
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
    }
    friend bool operator!=(const CompactArray& a, const CompactArray& b) { return !(a == b); }

private:
    void assign(const T* values, std::size_t n) {
        if (n == 0) return;  // empty: no block at all
        block_ = static_cast<std::size_t*>(::operator new(sizeof(std::size_t) + n * sizeof(T)));
        *block_ = n;
        std::memcpy(block_ + 1, values, n * sizeof(T));
    }

    std::size_t* block_ = nullptr;  // the count, then the values; null when empty
};

}  // namespace nines
