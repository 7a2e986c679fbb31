// Fuzzes the index expressions of `requires` and structure references ("zone[i % 2]"): parsing
// refuses with std::invalid_argument, evaluation with std::domain_error (division by zero, overflow);
// UBSan turns any unchecked overflow into a finding.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "io/index_expression.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The first 8 bytes (when present) give one more value of i to try.
    std::int64_t extra = 0;
    if (size >= 8) {
        std::memcpy(&extra, data, 8);
        data += 8;
        size -= 8;
    }
    const std::string text(reinterpret_cast<const char*>(data), size);
    nines::io::IndexExpression expr;
    try {
        expr = nines::io::IndexExpression::parse(text);
    } catch (const std::invalid_argument&) {
        return 0;
    }
    for (std::int64_t i : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{7}, extra,
                           std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
        try {
            (void)expr.evaluate(i);
        } catch (const std::domain_error&) {
        }
    }
    return 0;
}
