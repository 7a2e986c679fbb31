#!/usr/bin/env python3
"""Writes the scaling benchmark's scenario: N components as N/2 pairs in series (each pair a counted
component of 2 instances, 1-of-2), exponential MTTF 1000 h / MTTR 10 h, horizon 1 y, 2 replications.
This is the model of issue 14 ("pairs in series, counted components"); it is generated, not committed
(10^6 components is a 30 MB file).
    python3 scripts/million_model.py N > model.yaml"""
import sys


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    replications = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    if n < 2 or n % 2:
        sys.exit("N must be an even number >= 2")
    pairs = n // 2
    out = sys.stdout
    out.write(f"name: {pairs} pairs in series ({n} components)\ncomponents:\n")
    out.writelines(f"  p{p}: {{ count: 2, failure: {{ mttf: 1000h }}, repair: {{ mttr: 10h }} }}\n"
                   for p in range(pairs))
    out.write("system:\n  series:\n")
    out.writelines(f"    - {{ parallel: [p{p}] }}\n" for p in range(pairs))
    out.write(f"simulation: {{ horizon: 1y, replications: {replications}, seed: 1 }}\n")


if __name__ == "__main__":
    main()
