// Fuzzes the scenario reader from a string with a fake file name. Any input may be refused, but only
// with a one-line InputError naming the file; any other exception, crash, leak, undefined behaviour,
// timeout (-timeout) or excess memory (-rss_limit_mb) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "io/scenario_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string file = "fuzz.yaml";
    try {
        nines::io::read_scenario_text(text, file);
    } catch (const nines::InputError& e) {
        nines::fuzz::check_message(e, file);
    }
    return 0;
}
