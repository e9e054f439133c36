"""Scale: build and validate synthetic corpora of N = 1, 10, 100, 1000 articles.

Reports wall time, peak memory (of the build and its worker processes) and time per record, and the
ratio of time per record between the largest and N = 10 (flat means close to 1). Each size is
built twice: once timed, once under the memory probe (see `run_build`).

    python benchmarks/scale.py [--sizes 1 10 100 1000] [--frictionless csv]
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synth import generate  # noqa: E402

from sinopak.schema.tables import RECORD_TABLES  # noqa: E402

# Runs one build and prints its peak memory in KiB: the largest sum of the proportional set
# sizes (Pss: a page shared by n processes counts 1/n in each) of the build and all its
# descendants (frictionless's worker processes, forked from one server, run beside the
# build), sampled every 50 ms from /proc, and at least getrusage's max RSS of any one process.
# Pss (smaps_rollup walks every page of a process: at 10,000 articles, reading it for every
# process every 50 ms slowed the build it measures by 10-15 s) is read only when it could
# be a new peak: a process's Pss is at most its RSS (statm, a counter read), so while the
# RSS of the tree sums to no more than the peak so far, no sample could raise the peak.
PROBE = """
import os, resource, subprocess, sys, time

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
CPUS = os.cpu_count() or 1
# statm's counters may lag the pages: per CPU (kernels since 6.2: a batch of max(32, 2 x CPUs)
# pages for each of the file, anonymous and shared counters) or per thread (older kernels: 64
# events), so a process's RSS is taken as statm's plus that much
CPU_SLACK_KIB = 3 * CPUS * max(32, 2 * CPUS) * PAGE_KIB
THREAD_SLACK_KIB = 64 * PAGE_KIB

def resident_kib(pid):
    try:
        with open(f"/proc/{pid}/statm") as fh:
            pages = int(fh.read().split()[1])
        threads = len(os.listdir(f"/proc/{pid}/task"))
    except (OSError, ValueError, IndexError):
        return 0
    return pages * PAGE_KIB + CPU_SLACK_KIB + threads * THREAD_SLACK_KIB

def proportional_kib(pid):
    # Pss: pages shared with the fork server count once, split between the processes
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}") as fh:
                return next(int(l.split()[1]) for l in fh if l.startswith(key))
        except (OSError, StopIteration):
            continue
    return 0

def children(pid):
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return out

def tree(root):
    # descendants through /proc/<pid>/task/<tid>/children: a few reads per sample, not one
    # per process of the machine (which cost the build under measurement a few per cent)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        todo += children(pid)
        found.append(pid)
    return found

proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
peak = 0
while proc.poll() is None:
    pids = tree(proc.pid)
    if sum(resident_kib(p) for p in pids) > peak:
        peak = max(peak, sum(proportional_kib(p) for p in pids))
    time.sleep(0.05)
sys.stderr.write(proc.stdout.read().decode())
print(max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(proc.returncode)
"""


# Issue 13: (scope, articles) -> (seconds, MiB) at most; and the marginal cost per record
# between two sizes, (scope, low, high) -> ms at most.
TARGETS = {("all", 1000): (30.0, 1024.0), ("csv", 10000): (300.0, 2048.0)}
MARGINAL_TARGETS = {("csv", 1000, 10000): 0.3}


def target_lines(
    scope: str, measured: dict[int, tuple[float, int]], rss: dict[int, float]
) -> list[str]:
    """Each target of this scope: measured value, limit, met (or not run)."""
    lines = ["", "| target | measured | limit | met |", "|---|---:|---:|---|"]
    for (where, n), (seconds, mib) in TARGETS.items():
        if where != scope:
            continue
        if n not in measured:
            lines.append(f"| {n} articles, time | not run | ≤ {seconds:.0f} s | — |")
            lines.append(f"| {n} articles, peak RSS | not run | ≤ {mib:.0f} MiB | — |")
            continue
        wall, peak = measured[n][0], rss[n]
        lines.append(
            f"| {n} articles, time | {wall:.1f} s | ≤ {seconds:.0f} s | {_met(wall <= seconds)} |"
        )
        lines.append(
            f"| {n} articles, peak RSS | {peak:.0f} MiB | ≤ {mib:.0f} MiB | {_met(peak <= mib)} |"
        )
    for (where, lo, hi), limit in MARGINAL_TARGETS.items():
        if where != scope:
            continue
        if lo not in measured or hi not in measured:
            lines.append(f"| marginal, {lo} → {hi} articles | not run | ≤ {limit} ms/record | — |")
            continue
        (t0, r0), (t1, r1) = measured[lo], measured[hi]
        ms = (t1 - t0) / (r1 - r0) * 1000
        lines.append(
            f"| marginal, {lo} → {hi} articles | {ms:.3f} ms/record | ≤ {limit} ms/record | "
            f"{_met(ms <= limit)} |"
        )
    return lines


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


def run_build(project: Path, scope: str) -> tuple[float, float]:
    """Wall seconds of one `sinopak build` in a fresh process, and peak memory (MiB) of
    another, run by the memory probe after the first one's output is removed.

    Two runs because the probe is not free: reading Pss walks every page of every process of
    the build (tens of milliseconds a sample at 10,000 articles), which took about 15 CPU-s
    from a build that keeps both cores busy and made it about 6% slower. The time is what a
    user waits for, so it is measured without the probe; the probe's run measures memory only.
    """
    build = [str(Path(sys.executable).parent / "sinopak"), "build", "--root", str(project)]
    build += ["--frictionless", scope]
    start = time.perf_counter()
    timed = subprocess.run(build, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if timed.returncode != 0:
        raise SystemExit(f"build failed for {project}:\n{timed.stdout}{timed.stderr}")
    clear_outputs(project)
    probed = subprocess.run([sys.executable, "-c", PROBE, *build], capture_output=True, text=True)
    if probed.returncode != 0:
        raise SystemExit(f"build failed for {project}:\n{probed.stderr}")
    return wall, int(probed.stdout.strip()) / 1024


def clear_outputs(project: Path) -> None:
    """Remove what a build of `project` wrote (dist/, schema/ and the build manifest: a
    synthetic project has none of them), so that the next build starts as the first did."""
    shutil.rmtree(project / "dist", ignore_errors=True)
    shutil.rmtree(project / "schema", ignore_errors=True)
    (project / "build" / "manifest.json").unlink(missing_ok=True)


def records(project: Path) -> int:
    """Rows of the authored-record tables in the built package."""
    return sum(
        len(json.loads((project / "dist" / "json" / f"{t}.json").read_text()))
        for t in RECORD_TABLES
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10, 100, 1000])
    parser.add_argument("--frictionless", choices=["all", "csv", "none"], default="csv")
    parser.add_argument("--write", type=Path, default=None)
    args = parser.parse_args()
    lines = [
        f"frictionless scope: {args.frictionless}",
        "",
        "| articles | records | build + validate (s) | peak RSS (MiB) | ms per record |",
        "|---:|---:|---:|---:|---:|",
    ]
    per_record: dict[int, float] = {}
    measured: dict[int, tuple[float, int]] = {}
    peaks: dict[int, float] = {}
    for n in args.sizes:
        project = generate(ROOT / "build" / f"synth-{n}", n, seed=1)
        wall, rss = run_build(project, args.frictionless)
        count = records(project)
        per_record[n] = wall / count * 1000
        measured[n] = (wall, count)
        peaks[n] = rss
        lines.append(f"| {n} | {count} | {wall:.1f} | {rss:.0f} | {per_record[n]:.2f} |")
        print(lines[-1], flush=True)
    sizes = sorted(measured)
    if 10 in per_record and sizes[-1] > 10:
        big = sizes[-1]
        lines += [
            "",
            f"- time per record, N = {big} vs N = 10: "
            f"{per_record[big] / per_record[10]:.2f}× (includes the fixed start-up cost)",
        ]
    marginal = []
    for lo, hi in itertools.pairwise(sizes):
        (t0, r0), (t1, r1) = measured[lo], measured[hi]
        if lo >= 10 and r1 > r0:
            marginal.append((lo, hi, (t1 - t0) / (r1 - r0) * 1000))
    for lo, hi, ms in marginal:
        lines.append(f"- marginal cost from N = {lo} to N = {hi}: {ms:.2f} ms per record")
    if len(marginal) >= 2:
        lines.append(
            f"- marginal cost ratio, last step vs first: "
            f"{marginal[-1][2] / marginal[0][2]:.2f}× (flat ≈ 1: cost grows linearly)"
        )
    lines += target_lines(args.frictionless, measured, peaks)
    text = "\n".join(lines)
    print(text)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
