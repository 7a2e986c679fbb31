#include "report/output_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "model/error.h"

namespace nines::report {

namespace {

namespace fs = std::filesystem;

std::string errno_text() { return std::strerror(errno); }

// Paths whose meaning is a device or a descriptor (/dev/stdout -> /proc/self/fd/1 -> "pipe:[..]"):
// they are written directly, whatever they point at.
bool is_device_path(const std::string& path) {
    return path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
}

// Follows symbolic links (at most 40) to the path that would be written. A dangling link gives the
// path it points to, which is then created.
fs::path resolve_links(const std::string& path) {
    fs::path p(path);
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st{};
        if (lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
        std::error_code ec;
        const fs::path target = fs::read_symlink(p, ec);
        if (ec) throw Error("cannot write " + path + ": " + ec.message());
        p = target.is_absolute() ? target : p.parent_path() / target;
    }
    throw Error("cannot write " + path + ": too many levels of symbolic links");
}

mode_t default_file_mode() {
    const mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

// Writes all of `content` to `fd`, retrying short writes; an interrupted write is retried unless
// `cancel` is set.
bool write_all(int fd, const std::string& content, const std::atomic<bool>* cancel) {
    const char* p = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR && !(cancel && cancel->load())) continue;
            return false;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

OutputFiles::OutputFiles(const std::atomic<bool>* cancel) : cancel_(cancel) {}

OutputFiles::~OutputFiles() {
    if (!committed_) abandon(0);
}

void OutputFiles::abandon(std::size_t from) noexcept {
    for (std::size_t i = from; i < staged_.size(); ++i) {
        if (!staged_[i].temporary.empty()) ::unlink(staged_[i].temporary.c_str());
    }
    // Only empty folders go: one that already received a committed file stays.
    for (auto it = created_directories_.rbegin(); it != created_directories_.rend(); ++it) ::rmdir(it->c_str());
}

void OutputFiles::check_cancel() const {
    if (cancel_ && cancel_->load()) throw CancelledError();
}

void OutputFiles::make_directory(const std::string& directory) {
    check_cancel();
    // Remember each missing level, outermost first, so that an abandoned set removes exactly those.
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path p = fs::path(directory).lexically_normal(); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
        missing.push_back(p);
        if (p == p.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0777) != 0 && errno != EEXIST) {
            throw Error("cannot create directory " + directory + ": " + errno_text());
        }
        created_directories_.push_back(it->string());
    }
    if (!fs::is_directory(directory, ec)) throw Error("cannot create directory " + directory + ": not a folder");
}

void OutputFiles::add(const std::string& path, const std::string& content) {
    add_streamed(path, [&content](const PieceSink& sink) { sink(content); });
}

void OutputFiles::add_streamed(const std::string& path, const std::function<void(const PieceSink&)>& produce) {
    check_cancel();
    if (path.empty()) throw Error("cannot write an output file with an empty name");
    struct stat st{};
    const bool exists = ::stat(path.c_str(), &st) == 0;  // follows links, including /proc magic ones
    if (exists && S_ISDIR(st.st_mode)) throw Error("cannot write " + path + ": it is a folder");
    if (is_device_path(path) || (exists && !S_ISREG(st.st_mode))) {
        std::string content;
        produce([&content](const std::string& piece) { content += piece; });
        staged_.push_back({path, "", std::move(content)});  // a FIFO, a device, a socket: written directly at commit
        return;
    }
    const fs::path target = resolve_links(path);
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::string name = (folder / ("." + target.filename().string() + ".nines-XXXXXX")).string();
    const int fd = ::mkstemp(name.data());  // O_CREAT | O_EXCL, mode 0600
    if (fd < 0) throw Error("cannot write " + path + ": " + errno_text());
    staged_.push_back({target.string(), name, ""});
    const mode_t mode = exists ? (st.st_mode & 07777) : default_file_mode();
    bool ok = ::fchmod(fd, mode) == 0;
    int saved_write = 0;
    if (ok) {
        try {
            produce([&](const std::string& piece) {
                if (ok && !write_all(fd, piece, cancel_)) {
                    ok = false;
                    saved_write = errno;
                }
            });
        } catch (...) {
            ::close(fd);
            throw;  // the staged temporary is removed by abandon() when the set is not committed
        }
    }
    if (!ok && saved_write != 0) errno = saved_write;
    ok = ok && ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    check_cancel();
    if (!ok) throw Error("cannot write " + path + ": " + std::strerror(saved));
}

void OutputFiles::commit() {
    check_cancel();
    committed_ = true;  // from here on, targets are written in turn; each is whole
    for (std::size_t i = 0; i < staged_.size(); ++i) {
        Staged& s = staged_[i];
        if (!s.temporary.empty()) {
            if (::rename(s.temporary.c_str(), s.target.c_str()) != 0) {
                const std::string why = errno_text();
                abandon(i);
                throw Error("cannot write " + s.target + ": " + why);
            }
            continue;
        }
        // Direct write. Opening a FIFO waits for a reader; Ctrl-C interrupts the wait.
        int fd = -1;
        while ((fd = ::open(s.target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC | O_APPEND)) < 0 && errno == EINTR) {
            if (cancel_ && cancel_->load()) break;
        }
        const bool ok = fd >= 0 && write_all(fd, s.content, cancel_);
        const std::string why = errno_text();
        if (fd >= 0) ::close(fd);
        if (!ok) {
            abandon(i + 1);
            if (cancel_ && cancel_->load()) throw CancelledError();
            throw Error("cannot write " + s.target + ": " + why);
        }
    }
}

void write_file_atomically(const std::string& path, const std::string& content, const std::atomic<bool>* cancel) {
    OutputFiles files(cancel);
    files.add(path, content);
    files.commit();
}

void refuse_to_overwrite_inputs(const std::string& output, const std::vector<std::string>& inputs, const std::string& option) {
    if (output == "-") return;
    struct stat out{};
    if (::stat(output.c_str(), &out) != 0 || !S_ISREG(out.st_mode)) return;
    for (const std::string& input : inputs) {
        struct stat in{};
        if (::stat(input.c_str(), &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            throw InputError(SourceLocation{"command line", 0, 0},
                             option + " " + output + " is the scenario file " + input + ": refusing to overwrite it");
        }
    }
}

}  // namespace nines::report
