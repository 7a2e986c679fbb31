#include "io/library_reader.h"

#include <filesystem>

#include "io/distribution_reader.h"
#include "io/text_file.h"

namespace nines::io {

namespace {

const std::vector<std::string> kTypeKeys = {"description", "failure", "repair", "cost", "sources"};

}  // namespace

// `imports: [ ../models/infrastructure.yaml ]`: files with `types:`, paths relative to this file.
void read_imports(ReaderContext& ctx, const YamlNode& node) {
    ctx.yaml.expect_sequence(node, "imports");
    const std::filesystem::path base = std::filesystem::path(ctx.yaml.file()).parent_path();
    for (const YamlNode& entry : node) {
        const std::string rel = ctx.yaml.scalar(entry, "an import");
        const std::filesystem::path path = std::filesystem::path(rel).is_absolute() ? std::filesystem::path(rel) : base / rel;
        // Say where a relative import led: the path is relative to the importing file, not to the
        // directory nines runs in.
        std::error_code error;
        const std::filesystem::path resolved = std::filesystem::absolute(path, error).lexically_normal();
        const std::string shown = error || resolved.string() == rel
                                      ? "imported file '" + path.string() + "'"
                                      : "imported file '" + rel + "' (resolved to '" + resolved.string() + "')";
        const std::string text = read_text_file(path.string(), ctx.yaml.where(entry), shown);
        const std::string file = path.lexically_normal().string();
        check_text(text, file);
        YamlNode doc;
        try {
            // Kept by the context: the types' nodes are read again by the components that use them.
            ctx.documents.push_back(YamlDocument::parse(text));
            doc = ctx.documents.back()->root();
        } catch (const YAML::Exception& e) {
            throw InputError(SourceLocation{file, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1},
                             "malformed YAML: " + e.msg);
        }
        ctx.imports.emplace(file, YamlReader(file));
        const YamlReader& reader = ctx.imports.at(file);
        if (!doc.IsMap()) reader.fail(doc, "a model library must be a map with 'types'");
        reader.expect_map(doc, "the model library", {"description", "types"});
        if (!doc["types"] || !doc["types"].IsMap()) reader.fail(doc, "a model library needs a 'types' map");
        for (auto it = doc["types"].begin(); it != doc["types"].end(); ++it) {
            const std::string name = reader.scalar(it->first, "a type name");
            const YamlNode def = it->second;
            const std::string what = "type '" + name + "'";
            reader.expect_map(def, what, kTypeKeys);
            if (!def["failure"]) reader.fail(it->first, what + ": missing 'failure' distribution");
            // Every number needs its source (or the word "assumption"): a library is only as good as that.
            if (!def["sources"] || !def["sources"].IsMap()) reader.fail(it->first, what + ": missing 'sources' (where each number comes from)");
            reader.expect_map(def["sources"], what + " sources", {"failure", "repair", "cost"});
            for (const char* field : {"failure", "repair", "cost"}) {
                if (def[field] && !def["sources"][field]) {
                    reader.fail(def["sources"], what + ": no source for '" + std::string(field) + "' (cite one, or write \"assumption: ...\")");
                }
            }
            // Every type is read in full here, used or not, with the messages a component using it would
            // get: a library with a broken type is broken for every scenario that imports it, and a
            // scenario that does not use the type yet should say so before one does.
            read_distribution(reader, def["failure"], "failure of " + what, DistributionRole::Failure);
            if (def["repair"]) read_distribution(reader, def["repair"], "repair of " + what, DistributionRole::Repair);
            if (def["cost"]) read_cost(reader, def["cost"], "cost of " + what);
            if (!ctx.types.emplace(name, ImportedType{file, def}).second) {
                reader.fail(it->first, "type '" + name + "' is defined twice in the imports");
            }
        }
    }
}

}  // namespace nines::io
