// The exception types the library throws. Each layer adds context on the way up;
// the CLI maps them to exit codes (2 for InputError) and the Python module to exceptions.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace nines {

// The file name a SourceLocation names: one shared copy per distinct name for the whole process, so
// that a location is 16 bytes and not 40 (a million-component model holds millions of locations: one
// per component, block and instance). Reads as a const std::string&; two FileNames are equal when
// their texts are.
class FileName {
public:
    FileName() = default;
    FileName(const std::string& name);  // implicit: a location is written {file, line, column}
    FileName(const char* name);
    operator const std::string&() const { return *name_; }
    const std::string& str() const { return *name_; }
    bool empty() const { return name_->empty(); }
    const char* c_str() const { return name_->c_str(); }
    friend bool operator==(const FileName& a, const FileName& b) { return a.name_ == b.name_; }  // interned
    friend bool operator!=(const FileName& a, const FileName& b) { return a.name_ != b.name_; }

private:
    static const std::string* intern(const std::string& name);
    const std::string* name_ = intern(std::string());
};

// A place in a scenario file. Lines and columns are 1-based; 0 means unknown.
struct SourceLocation {
    FileName file;
    int line = 0;
    int column = 0;

    std::string str() const;  // "file:line:column"
};

// Base of every error nines reports.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The scenario (or a command-line value) is wrong: the user must fix the input.
class InputError : public Error {
public:
    InputError(SourceLocation where, const std::string& what);
    const SourceLocation& where() const { return where_; }
    const std::string& detail() const { return detail_; }

private:
    SourceLocation where_;
    std::string detail_;
};

// Several independent mistakes of one file, reported together as a compiler reports them. what(),
// where() and detail() are the first's, so whoever expects one error still sees the first; all() holds
// each (the first included) in the order found, at most kMaxReported, and not_shown() counts the rest.
class InputErrors : public InputError {
public:
    static constexpr std::size_t kMaxReported = 20;
    InputErrors(std::vector<InputError> errors, std::size_t not_shown);
    const std::vector<InputError>& all() const { return errors_; }
    std::size_t not_shown() const { return not_shown_; }

private:
    std::vector<InputError> errors_;
    std::size_t not_shown_ = 0;
};

// The messages of an input error, one per diagnostic ("file:line:column: error: ..."), followed by
// "... and N more errors" past the cap. One message for a plain InputError.
std::vector<std::string> diagnostic_lines(const InputError& e);

// Collects the errors of the independent parts of a file (each component, say) so that reading goes
// on after one; throw_if_any() then throws them together: nothing collected, nothing thrown; one, that
// InputError; more, an InputErrors.
class Diagnostics {
public:
    void add(const InputError& e);
    bool empty() const { return errors_.empty(); }
    void throw_if_any() const;

private:
    std::vector<InputError> errors_;
    std::size_t not_shown_ = 0;
};

// A request nines cannot honour for this model (for example an analytic method that does not apply).
class UnsupportedError : public Error {
public:
    using Error::Error;
    // `where`: the part of the scenario that rules the method out (a component, a shock), for messages.
    UnsupportedError(SourceLocation where, const std::string& what) : Error(what), where_(std::move(where)) {}
    const SourceLocation& where() const { return where_; }  // file empty: no particular place

private:
    SourceLocation where_;
};

// The run was stopped from outside (Ctrl-C, a Python KeyboardInterrupt).
class CancelledError : public Error {
public:
    CancelledError() : Error("run cancelled") {}
};

}  // namespace nines
