// Integer expressions over the instance index `i`, as used in requires: "zone[i % 2]", "rack[i / 4]".
// Grammar: expr := term (('+'|'-') term)*; term := unary (('*'|'/'|'%') unary)*;
//          unary := '-' unary | primary; primary := integer | 'i' | '(' expr ')'.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nines::io {

class IndexExpression {
public:
    // Throws std::invalid_argument with a message describing the problem (the caller adds the location).
    static IndexExpression parse(const std::string& text);

    bool uses_i() const { return uses_i_; }
    // Throws std::domain_error on division by zero and when a value leaves the 64-bit range.
    std::int64_t evaluate(std::int64_t i) const;

private:
    enum class Op : std::uint8_t { Constant, I, Neg, Add, Sub, Mul, Div, Mod };
    struct Step {
        Op op;
        std::int64_t value;
    };
    std::vector<Step> program_;  // postfix, evaluated on a small stack
    bool uses_i_ = false;

    friend class IndexExpressionParser;
};

}  // namespace nines::io
