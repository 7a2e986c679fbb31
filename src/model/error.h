// The exception types the library throws. Each layer adds context on the way up;
// the CLI maps them to exit codes (2 for InputError) and the Python module to exceptions.
#pragma once

#include <stdexcept>
#include <string>

namespace nines {

// A place in a scenario file. Lines and columns are 1-based; 0 means unknown.
struct SourceLocation {
    std::string file;
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
