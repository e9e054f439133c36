"""Benchmarks: whole-process wall times measured side by side, printed as ratios.

Each case runs once to warm the file cache, then N times; medians and min-max are reported.
Targets (issues 4, 5 and 13) are checked and printed, never asserted in the test suite.

    python benchmarks/run.py [--runs N] [--write benchmarks/RESULTS.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PY = sys.executable

CASES: dict[str, list[str]] = {
    "python -c pass": [PY, "-c", "pass"],
    "sinopak.load (python)": [PY, "-c", "import sinopak; sinopak.load('events')"],
    "import pyarrow.parquet": [PY, "-c", "import pyarrow.parquet"],
    "sinopak.load (arrow)": [PY, "-c", "import sinopak; sinopak.load('events', backend='arrow')"],
    "import pandas": [PY, "-c", "import pandas"],
    "sinopak.load (pandas)": [PY, "-c", "import sinopak; sinopak.load('events', backend='pandas')"],
    "import polars": [PY, "-c", "import polars"],
    "sinopak.load (polars)": [PY, "-c", "import sinopak; sinopak.load('events', backend='polars')"],
    "palmerpenguins.load_penguins()": [
        PY,
        "-c",
        "import palmerpenguins; palmerpenguins.load_penguins()",
    ],
    "sinopak build": [str(BIN / "sinopak"), "build", "--root", str(ROOT)],
    "sinopak build --check": [str(BIN / "sinopak"), "build", "--check", "--root", str(ROOT)],
    "frictionless validate": [
        str(BIN / "frictionless"),
        "validate",
        str(ROOT / "dist" / "datapackage.json"),
    ],
    "sinopak validate": [str(BIN / "sinopak"), "validate", str(ROOT / "dist")],
    "sinopak validate --frictionless none": [
        str(BIN / "sinopak"),
        "validate",
        str(ROOT / "dist"),
        "--frictionless",
        "none",
    ],
}

# (case, baseline, kind, limit): kind "ratio" checks case/baseline, "over" checks case-baseline.
TARGETS = [
    ("sinopak.load (python)", "python -c pass", "over", 0.030),
    ("sinopak.load (arrow)", "import pyarrow.parquet", "ratio", 1.10),
    ("sinopak.load (pandas)", "import pandas", "ratio", 1.10),
    ("sinopak.load (polars)", "import polars", "ratio", 1.10),
    ("sinopak.load (python)", "palmerpenguins.load_penguins()", "ratio", None),
    # issue 13: validation and builds near the machine's floor
    ("sinopak validate", "frictionless validate", "ratio", 0.50),
    ("sinopak validate --frictionless none", "import pyarrow.parquet", "ratio", 3.0),
    ("sinopak build --check", "import pyarrow.parquet", "ratio", 2.0),
    ("sinopak build", "frictionless validate", "ratio", 1.0),
]


def once(cmd: list[str]) -> float:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


def measure_all(cases: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Warm every case up once, then run them round-robin, so that drift in the machine's load
    affects a case and its baseline alike."""
    results: dict[str, list[float]] = {}
    for name, cmd in cases.items():
        try:
            once(cmd)
            results[name] = []
        except (subprocess.CalledProcessError, FileNotFoundError) as exc:
            print(f"skip {name}: {exc}", file=sys.stderr)
    for _ in range(runs):
        for name in results:
            try:
                results[name].append(once(cases[name]))
            except subprocess.CalledProcessError as exc:  # reported with the results
                tail = (exc.stderr or b"").decode(errors="replace").strip().splitlines()[-3:]
                FAILURES.append(f"{name}: exit {exc.returncode}; {' / '.join(tail)}")
    return results


FAILURES: list[str] = []  # runs that failed after their warm-up passed (never hidden)


def machine() -> str:
    cpus = os.cpu_count()
    return (
        f"{platform.system()} {platform.machine()}, {cpus} CPUs, Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--write", type=Path, default=None, help="also write Markdown here")
    parser.add_argument("--only", nargs="*", default=None, help="case names to run")
    args = parser.parse_args()
    chosen = {k: v for k, v in CASES.items() if not args.only or k in args.only}
    results = {k: v for k, v in measure_all(chosen, args.runs).items() if v}
    med = {k: statistics.median(v) for k, v in results.items()}
    lines = [
        f"Machine: {machine()}; {args.runs} rounds, cases interleaved, after one warm-up; "
        "wall time per process.",
        "",
        "| case | median (s) | min–max (s) |",
        "|---|---:|---:|",
    ]
    for name, times in results.items():
        lines.append(f"| {name} | {med[name]:.3f} | {min(times):.3f}–{max(times):.3f} |")
    lines += ["", "| case | against | measured | target | met |", "|---|---|---:|---:|---|"]
    for case, base, kind, limit in TARGETS:
        if case not in med or base not in med:
            continue
        if kind == "over":
            value = med[case] - med[base]
            shown, target = f"+{value * 1000:.0f} ms", f"≤ +{limit * 1000:.0f} ms"
        else:
            value = med[case] / med[base]
            shown, target = f"{value:.2f}×", "—" if limit is None else f"≤ {limit:.2f}×"
        met = "—" if limit is None else ("yes" if value <= limit else "NO")
        lines.append(f"| {case} | {base} | {shown} | {target} | {met} |")
    if FAILURES:
        lines += ["", f"Failed runs ({len(FAILURES)}), left out of the medians:"]
        lines += [f"- {f}" for f in FAILURES]
    text = "\n".join(lines)
    print(text)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
