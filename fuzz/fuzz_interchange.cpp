// Fuzzes the interchange readers (Open-PSA MEF through expat, and Galileo) from a string: the first
// byte picks the reader, the rest is the file. Any input may be refused, but only with a one-line
// InputError naming the file (or a file it includes); anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "io/galileo_reader.h"
#include "io/mef_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool galileo = (data[0] & 1u) != 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string file = galileo ? "fuzz.dft" : "fuzz.xml";
    try {
        if (galileo) {
            (void)nines::io::read_galileo_text(text, file);
        } else {
            (void)nines::io::read_mef_text(text, file);
        }
    } catch (const nines::InputError& e) {
        nines::fuzz::check_message(e, file);
    }
    return 0;
}
