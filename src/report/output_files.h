// Output files written whole or not at all, without harming what the path names.
//
// A set of outputs is staged first and committed last, so that an error or an interruption between
// the two leaves every target as it was and no temporary behind:
//  - a regular file (or a path that does not exist yet): written to a temporary created with mkstemp
//    in the same folder (O_EXCL, unpredictable name, never a fixed PATH.tmp) and renamed over it at
//    commit; the new file keeps the old one's permissions (a new one gets 0666 minus the umask);
//  - a symbolic link: followed, and its final target replaced as above (the link stays a link);
//  - a FIFO, a device, a socket, or any path under /dev or /proc (/dev/stdout, /dev/null): written
//    directly at commit, never replaced by a regular file;
//  - a folder: an error.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace nines::report {

class OutputFiles {
public:
    // `cancel` (may be null) is polled between steps: once set, staging and commit throw
    // CancelledError and nothing more is written. The CLI sets it from its SIGINT/SIGTERM handler.
    explicit OutputFiles(const std::atomic<bool>* cancel = nullptr);
    ~OutputFiles();  // an uncommitted set removes its temporaries and the folders it created
    OutputFiles(const OutputFiles&) = delete;
    OutputFiles& operator=(const OutputFiles&) = delete;

    // Creates `directory` (and missing parents) for outputs inside it; removed again if not committed.
    void make_directory(const std::string& directory);
    // Stages `content` for `path`. Throws nines::Error (cannot write) or CancelledError.
    void add(const std::string& path, const std::string& content);
    // The same for content made piece by piece: `produce` calls its argument with each piece in turn,
    // written as it comes (a million-component JSON is not held in memory whole).
    using PieceSink = std::function<void(const std::string&)>;
    void add_streamed(const std::string& path, const std::function<void(const PieceSink&)>& produce);
    // Writes every staged output to its target, in the order added.
    void commit();

private:
    struct Staged {
        std::string target;     // the path to replace (symlinks resolved), or the special file to write
        std::string temporary;  // empty: written directly at commit
        std::string content;    // kept only for direct writes
    };
    void check_cancel() const;
    void abandon(std::size_t from) noexcept;  // removes the temporaries from `from` on, and empty new folders
    const std::atomic<bool>* cancel_;
    std::vector<Staged> staged_;
    std::vector<std::string> created_directories_;
    bool committed_ = false;
};

// Writes one file as above (stage + commit).
void write_file_atomically(const std::string& path, const std::string& content, const std::atomic<bool>* cancel = nullptr);

// Throws InputError (named after `option`, e.g. "--json") when `output` is the same file as one of
// `inputs`: a scenario must never be overwritten by the results read from it.
void refuse_to_overwrite_inputs(const std::string& output, const std::vector<std::string>& inputs, const std::string& option);

}  // namespace nines::report
