#include "io/index_expression.h"

#include <cctype>
#include <limits>
#include <stdexcept>

namespace nines::io {

class IndexExpressionParser {
public:
    IndexExpressionParser(const std::string& text, IndexExpression& out) : text_(text), out_(out) {}

    void parse() {
        expression(0);
        skip_space();
        if (pos_ != text_.size()) error("unexpected '" + std::string(1, text_[pos_]) + "'");
    }

private:
    static constexpr int kMaxDepth = 64;

    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    bool accept(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    [[noreturn]] void error(const std::string& what) const {
        throw std::invalid_argument("bad index expression '" + text_ + "': " + what);
    }
    void emit(IndexExpression::Op op, std::int64_t value = 0) { out_.program_.push_back({op, value}); }

    void expression(int depth) {
        term(depth);
        for (;;) {
            if (accept('+')) {
                term(depth);
                emit(IndexExpression::Op::Add);
            } else if (accept('-')) {
                term(depth);
                emit(IndexExpression::Op::Sub);
            } else {
                return;
            }
        }
    }
    void term(int depth) {
        unary(depth);
        for (;;) {
            if (accept('*')) {
                unary(depth);
                emit(IndexExpression::Op::Mul);
            } else if (accept('/')) {
                unary(depth);
                emit(IndexExpression::Op::Div);
            } else if (accept('%')) {
                unary(depth);
                emit(IndexExpression::Op::Mod);
            } else {
                return;
            }
        }
    }
    void unary(int depth) {
        if (depth > kMaxDepth) error("nested too deeply");
        if (accept('-')) {
            unary(depth + 1);
            emit(IndexExpression::Op::Neg);
            return;
        }
        primary(depth);
    }
    void primary(int depth) {
        skip_space();
        if (pos_ >= text_.size()) error("expected a number, 'i' or '('");
        const char c = text_[pos_];
        if (c == '(') {
            ++pos_;
            expression(depth + 1);
            if (!accept(')')) error("missing ')'");
        } else if (c == 'i') {
            ++pos_;
            out_.uses_i_ = true;
            emit(IndexExpression::Op::I);
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            std::int64_t value = 0;
            while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
                value = value * 10 + (text_[pos_] - '0');
                if (value > 1'000'000'000) error("number too large");
                ++pos_;
            }
            emit(IndexExpression::Op::Constant, value);
        } else {
            error("unexpected '" + std::string(1, c) + "' (only integers, i, + - * / % and parentheses are allowed)");
        }
    }

    const std::string& text_;
    IndexExpression& out_;
    std::size_t pos_ = 0;
};

IndexExpression IndexExpression::parse(const std::string& text) {
    IndexExpression e;
    IndexExpressionParser(text, e).parse();
    return e;
}

std::int64_t IndexExpression::evaluate(std::int64_t i) const {
    std::vector<std::int64_t> stack;
    stack.reserve(program_.size());
    for (const Step& s : program_) {
        if (s.op == Op::Constant) {
            stack.push_back(s.value);
            continue;
        }
        if (s.op == Op::I) {
            stack.push_back(i);
            continue;
        }
        if (s.op == Op::Neg) {
            if (__builtin_sub_overflow(std::int64_t{0}, stack.back(), &stack.back())) throw std::domain_error("integer overflow");
            continue;
        }
        const std::int64_t rhs = stack.back();
        stack.pop_back();
        std::int64_t& lhs = stack.back();
        switch (s.op) {
            case Op::Add:
                if (__builtin_add_overflow(lhs, rhs, &lhs)) throw std::domain_error("integer overflow");
                break;
            case Op::Sub:
                if (__builtin_sub_overflow(lhs, rhs, &lhs)) throw std::domain_error("integer overflow");
                break;
            case Op::Mul:
                if (__builtin_mul_overflow(lhs, rhs, &lhs)) throw std::domain_error("integer overflow");
                break;
            case Op::Div:
                if (rhs == 0) throw std::domain_error("division by zero");
                // INT64_MIN / -1 is the one quotient that does not fit (and traps on x86).
                if (rhs == -1 && lhs == std::numeric_limits<std::int64_t>::min()) throw std::domain_error("integer overflow");
                lhs /= rhs;
                break;
            case Op::Mod:
                if (rhs == 0) throw std::domain_error("modulo by zero");
                // INT64_MIN % -1 is undefined in C++ (and traps on x86): like the quotient, it overflows
                // (the same rule as Rust's checked_rem).
                if (rhs == -1 && lhs == std::numeric_limits<std::int64_t>::min()) throw std::domain_error("integer overflow");
                lhs %= rhs;
                break;
            default: break;
        }
    }
    return stack.back();
}

}  // namespace nines::io
