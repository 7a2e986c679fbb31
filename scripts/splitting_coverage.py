"""Figure of splitting's 95 % intervals over many seeds (the csv of nines-splitting-coverage): one panel
per case, intervals sorted by estimate, divided by the exact value; misses in red.
Usage: splitting_coverage.py coverage.csv out.png"""
import csv
import math
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(path, out):
    rows = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            rows.setdefault(r["case"], []).append(r)
    fig, axes = plt.subplots(1, len(rows), figsize=(6 * len(rows), 4), squeeze=False)
    for ax, (name, rs) in zip(axes[0], rows.items()):
        exact = float(rs[0]["exact"])
        rs.sort(key=lambda r: float(r["estimate"]))
        n = len(rs)
        hit = 0
        for i, r in enumerate(rs):
            lo, hi, est = (float(r[k]) / exact for k in ("lower", "upper", "estimate"))
            ok = lo <= 1 <= hi
            hit += ok
            ax.plot([i, i], [lo, hi], color="tab:blue" if ok else "tab:red", lw=1)
            ax.plot(i, est, ".", color="black", ms=2)
        ax.axhline(1, color="black", lw=0.8)
        cover = hit / n
        se = math.sqrt(cover * (1 - cover) / n)
        ax.set_title(f"{name}: exact U = {exact:.4g}\ncoverage {100 * cover:.1f} % (+-{196 * se:.1f}) over {n} seeds")
        ax.set_xlabel("seed, sorted by estimate")
        ax.set_ylabel("95 % interval / exact")
        print(f"{name}: coverage {100 * cover:.1f} % +- {196 * se:.1f} ({n} seeds)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
