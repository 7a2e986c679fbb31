#include "model/expectation.h"

namespace nines {

const char* to_string(Comparison c) {
    switch (c) {
        case Comparison::AtLeast: return ">=";
        case Comparison::AtMost: return "<=";
        case Comparison::Above: return ">";
        case Comparison::Below: return "<";
    }
    return "?";
}

}  // namespace nines
