// Fuzzes the expectation parser ("availability >= 99.9%", "component.web.outage_share <= 5%"): the
// input is one expectation text, read as the scalar of an `expect:` list of a scenario with the
// components `web` and `db`.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "io/expectation_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string file = "fuzz.yaml";
    const nines::io::YamlReader yaml(file);
    const auto list = nines::io::YamlDocument::of_scalars({text});
    try {
        nines::io::read_expectations(yaml, list->root(), {"web", "db"});
    } catch (const nines::InputError& e) {
        nines::fuzz::check_message(e, file);
    }
    return 0;
}
