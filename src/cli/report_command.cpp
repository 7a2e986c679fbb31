// `nines report SCENARIO -o DIR`: the charts are drawn by the Python package (matplotlib), so the CLI
// runs `python3 -m nines.reporting` from the build's Python directory; both the CLI and notebooks thus
// produce the same report from the same code.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "model/error.h"

namespace nines::cli {

int report_command(const ReportCommandOptions& options) {
    const std::string python = NINES_PYTHON_EXECUTABLE;
    const std::string package_dir = NINES_PYTHON_DIR;
    if (python.empty()) throw Error("this nines was built without Python (NINES_BUILD_PYTHON=OFF): reports need it");
    std::vector<std::string> args = {python, "-m", "nines.reporting", options.scenario, "-o", options.output};
    if (options.overrides.replications) args.insert(args.end(), {"--replications", std::to_string(*options.overrides.replications)});
    if (options.overrides.seed) args.insert(args.end(), {"--seed", std::to_string(*options.overrides.seed)});
    if (options.overrides.threads) args.insert(args.end(), {"--threads", std::to_string(*options.overrides.threads)});
    if (options.overrides.horizon) args.insert(args.end(), {"--horizon", *options.overrides.horizon});
    const pid_t pid = fork();
    if (pid < 0) throw Error("cannot start the report process");
    if (pid == 0) {
        const char* old = std::getenv("PYTHONPATH");
        const std::string path = package_dir + (old && *old ? ":" + std::string(old) : "");
        setenv("PYTHONPATH", path.c_str(), 1);
        std::vector<char*> argv;
        for (std::string& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(python.c_str(), argv.data());
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
    }
    if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        if (code == 127) throw Error("cannot run " + python);
        return code;  // the Python side uses the same exit codes
    }
    return kExitFailure;
}

}  // namespace nines::cli
