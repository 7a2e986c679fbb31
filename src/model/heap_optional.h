// An optional value kept on the heap, for settings that most model objects leave out: 8 bytes where
// std::optional<Distribution> takes 64 (a million-component model holds a million of each; issue 14).
// Copies copy the value. It answers what the code asks of std::optional (test, *, ->, value, reset,
// assignment of a value or std::nullopt) with the same meaning.
#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace nines {

template <class T>
class HeapOptional {
public:
    HeapOptional() = default;
    HeapOptional(std::nullopt_t) {}
    HeapOptional(const T& value) : value_(std::make_unique<T>(value)) {}
    HeapOptional(T&& value) : value_(std::make_unique<T>(std::move(value))) {}
    HeapOptional(const std::optional<T>& value) : value_(value ? std::make_unique<T>(*value) : nullptr) {}
    HeapOptional(const HeapOptional& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
    HeapOptional(HeapOptional&&) noexcept = default;
    HeapOptional& operator=(const HeapOptional& other) {
        if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
        return *this;
    }
    HeapOptional& operator=(HeapOptional&&) noexcept = default;
    HeapOptional& operator=(std::nullopt_t) {
        value_.reset();
        return *this;
    }
    ~HeapOptional() = default;

    explicit operator bool() const { return value_ != nullptr; }
    bool has_value() const { return value_ != nullptr; }
    const T& operator*() const { return *value_; }
    T& operator*() { return *value_; }
    const T* operator->() const { return value_.get(); }
    T* operator->() { return value_.get(); }
    const T& value() const {
        if (!value_) throw std::bad_optional_access();
        return *value_;
    }
    void reset() { value_.reset(); }
    template <class... Args>
    T& emplace(Args&&... args) {
        value_ = std::make_unique<T>(std::forward<Args>(args)...);
        return *value_;
    }
    operator std::optional<T>() const { return value_ ? std::optional<T>(*value_) : std::nullopt; }

private:
    std::unique_ptr<T> value_;
};

}  // namespace nines
