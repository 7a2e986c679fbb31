#!/usr/bin/env python3
"""The README's shell sessions, run and compared with what they show.

A shell session is a fenced block whose lines start with "$ " (a command) followed by its shown output.
Every command runs (bash, in a scratch folder that mirrors the checkout, with the build's `nines` first
on PATH); the lines it shows must equal what it prints (stdout and stderr together), except:
- timing figures are masked on both sides (wall seconds, events per second, thread counts: see MASKS);
- a shown line that is just "..." (any indentation) stands for any number of lines.
A command shown without output is run for its effect (files later commands read) and not compared.
`$ cat FILE` of a file that does not exist yet writes the shown text to FILE (the README defines it).

A block that cannot run in CI is marked on the line before its fence with
    <!-- readme-test: skip REASON -->
and is reported as skipped (keep that list short: long benchmarks, mpirun on many ranks).

    test_readme.py REPO NINES [--update] [--only TEXT]

--update rewrites the README's shown outputs from real runs (elided parts stay elided: the lines
before and after a "..." are replaced by the first and last lines of the real output).
Exit code 0 when every compared block matches, 1 otherwise.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = re.compile(r"<!--\s*readme-test:\s*skip\b(.*?)-->")

# Timing varies from run to run and machine to machine; nothing else may.
MASKS = [
    (re.compile(r"\bin \d[\d.,]* ?(?:s|ms|min)\b"), "in <t>"),
    (re.compile(r"\d[\d.,]* ?[kMG]? ?(?:events|ev)/s"), "<rate>/s"),
    (re.compile(r"\bon \d+ threads?\b"), "on <n> threads"),
    (re.compile(r", \d[\d.]* s\)"), ", <t> s)"),
    (re.compile(r"\d[\d.]* ?s wall"), "<t> s wall"),
    (re.compile(r"\bwall[ :=]+\d[\d.]* ?s\b"), "wall <t> s"),
    (re.compile(r"\d[\d.]* ?(?:s|ms) (?:elapsed|per run)"), "<t> elapsed"),
    (re.compile(r'"(wall_s|events_per_s|rare_event_wall_s)": [0-9.e+-]+'), r'"\1": <t>'),
]


def mask(line):
    for pattern, replacement in MASKS:
        line = pattern.sub(replacement, line)
    return line.rstrip()


def sessions(lines):
    """Yields (fence_line_index, close_index, skip_reason or None, [(cmd_index, cmd, [output line indices])])."""
    i = 0
    while i < len(lines):
        if lines[i].startswith("```"):
            start = i
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            body = list(range(start + 1, j))
            if body and lines[body[0]].startswith("$ "):
                skip = None
                k = start - 1
                while k >= 0 and not lines[k].strip():
                    k -= 1
                m = SKIP.search(lines[k]) if k >= 0 else None
                if m:
                    skip = m.group(1).strip() or "marked"
                commands = []
                for idx in body:
                    if lines[idx].startswith("$ "):
                        commands.append((idx, lines[idx][2:], []))
                    elif commands:
                        commands[-1][2].append(idx)
                yield start, j, skip, commands
            i = j + 1
        else:
            i += 1


def matches(shown, real):
    """Whether the shown lines (with "..." elisions) match the real ones, both masked."""
    shown = [mask(s) for s in shown]
    real = [mask(r) for r in real]

    def go(si, ri):
        if si == len(shown):
            return ri == len(real)
        if shown[si].strip() == "...":
            return any(go(si + 1, k) for k in range(ri, len(real) + 1))
        return ri < len(real) and shown[si] == real[ri] and go(si + 1, ri + 1)

    return go(0, 0)


def updated(shown, real):
    """The shown lines rewritten from the real output, keeping elisions where they were."""
    if not any(s.strip() == "..." for s in shown):
        return real
    first = next(k for k, s in enumerate(shown) if s.strip() == "...")
    last = max(k for k, s in enumerate(shown) if s.strip() == "...")
    if first != last:
        return shown  # several elisions: which real lines each hides is ambiguous; left as written
    head, tail = first, len(shown) - last - 1
    if head + tail > len(real):
        return real
    return real[:head] + [shown[first]] + (real[len(real) - tail:] if tail else [])


def scratch_folder(repo, nines):
    work = tempfile.mkdtemp(prefix="nines-readme-")
    for name in os.listdir(repo):
        if name.startswith("."):  # .git, and a scratch folder's own .bin
            continue
        os.symlink(os.path.join(repo, name), os.path.join(work, name))
    bindir = os.path.join(work, ".bin")
    os.mkdir(bindir)
    os.symlink(os.path.abspath(nines), os.path.join(bindir, "nines"))
    return work, bindir


def run(command, work, bindir):
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""), COLUMNS="200")
    done = subprocess.run(["bash", "-c", command], cwd=work, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=600)
    text = done.stdout.decode("utf-8", "replace")
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    update = "--update" in argv
    only = None
    if "--only" in argv:
        only = argv[argv.index("--only") + 1]
        args.remove(only)
    repo, nines = os.path.abspath(args[0]), os.path.abspath(args[1])
    readme = os.path.join(repo, "README.md")
    with open(readme, encoding="utf-8") as f:
        lines = f.read().split("\n")
    work, bindir = scratch_folder(repo, nines)
    failures, skipped, compared = [], [], 0
    replacements = {}  # (first output index, last output index) -> new lines
    try:
        for start, end, skip, commands in sessions(lines):
            title = lines[commands[0][0]]
            if only and not any(only in cmd for _, cmd, _ in commands):
                continue
            if skip:
                skipped.append("README.md:%d: %s (%s)" % (start + 1, title, skip))
                continue
            for idx, cmd, out in commands:
                shown = [lines[k] for k in out]
                target = re.match(r"cat (\S+)\s*$", cmd)
                if target and out and not os.path.exists(os.path.join(work, target.group(1))):
                    with open(os.path.join(work, target.group(1)), "w", encoding="utf-8") as f:
                        f.write("\n".join(shown) + "\n")
                real = run(cmd, work, bindir)
                if not out:
                    continue
                compared += 1
                if matches(shown, real):
                    continue
                if update:
                    replacements[(out[0], out[-1])] = updated(shown, real)
                    continue
                diff = ["README.md:%d: $ %s" % (idx + 1, cmd)]
                for k in range(max(len(shown), len(real))):
                    s = mask(shown[k]) if k < len(shown) else "<none>"
                    r = mask(real[k]) if k < len(real) else "<none>"
                    if s != r:
                        diff.append("  line %d of the output\n    shown: %s\n    real:  %s" % (k + 1, s, r))
                        if len(diff) > 6:
                            break
                failures.append("\n".join(diff))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if update and replacements:
        for (first, last), new in sorted(replacements.items(), reverse=True):
            lines[first:last + 1] = new
        with open(readme, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print("updated %d command output(s) in README.md" % len(replacements))
    for s in skipped:
        print("skipped: " + s)
    for f in failures:
        print("MISMATCH " + f)
    print("%d command output(s) compared, %d mismatched, %d block(s) skipped" % (compared, len(failures), len(skipped)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
