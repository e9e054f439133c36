"""Install footprint: packages and megabytes that `pip install sinopak` adds to an empty venv.

Builds the wheel from this checkout, then for each case makes a fresh venv, records what it
holds, installs (from the package index, versions pinned by constraints.txt), and prints how
many distributions and MB of site-packages the install added, with the time it took:

- `sinopak`: the base install (the accessor and the CLI);
- `sinopak[validate]`: what `sinopak validate` needs, and a run of it on the installed data;
- `0.1.0 dependencies`: the wheel with the dependency list of release 0.1.0 (everything was a
  base dependency then), the "before" of issue 12.

The issue's goal (base install ≤ 3 packages and ≤ 5 MB) is checked and printed, never
asserted in the test suite.

    python benchmarks/footprint.py [--write benchmarks/RESULTS.md]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
# `dependencies` of sinopak 0.1.0 (pyproject.toml at tag v0.1.0), kept for the comparison.
RELEASE_0_1_0 = [
    "click>=8.1",
    "pydantic>=2.7",
    "pyyaml>=6",
    "pysbd>=0.3.4",
    "pycountry>=24",
    "pyarrow>=15",
    "pandas>=2.2",
    "frictionless[json,parquet]>=5.18",
    "jsonschema>=4.20",
    "jinja2>=3.1",
]
GOAL_PACKAGES, GOAL_MB = 3, 5.0

INVENTORY = """
import importlib.metadata as md, json, os, sysconfig
paths = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
size = sum(os.path.getsize(os.path.join(d, f)) for p in paths for d, _, fs in os.walk(p)
           for f in fs if not os.path.islink(os.path.join(d, f)))
print(json.dumps({"dists": sorted(d.metadata["Name"].lower() for d in md.distributions()),
                  "bytes": size}))
"""


def inventory(py: Path) -> dict[str, object]:
    out = subprocess.run([str(py), "-c", INVENTORY], check=True, capture_output=True, text=True)
    found: dict[str, object] = json.loads(out.stdout)
    return found


def build_wheel(out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("sinopak-*.whl")
    return wheel


def measure(name: str, requirements: list[str], work: Path) -> dict[str, object]:
    """Install `requirements` into a fresh venv; what it added, and how long it took."""
    venv = work / name.replace(" ", "-").replace("[", "-").replace("]", "")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    before = inventory(py)
    start = time.perf_counter()
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS), *requirements],
        check=True,
    )
    seconds = time.perf_counter() - start
    after = inventory(py)
    added = sorted(set(after["dists"]) - set(before["dists"]))  # type: ignore[call-overload]
    grown = (int(after["bytes"]) - int(before["bytes"])) / 1e6  # type: ignore[call-overload]
    return {"case": name, "venv": venv, "added": added, "mb": grown, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="append the results to this Markdown file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sinopak-footprint-") as tmp:
        work = Path(tmp)
        wheel = build_wheel(work / "wheel")
        results = [
            measure("sinopak", [str(wheel)], work),
            measure("sinopak[validate]", [f"sinopak[validate] @ {wheel.as_uri()}"], work),
            measure("0.1.0 dependencies", [*RELEASE_0_1_0, str(wheel)], work),
        ]
        validate = subprocess.run(
            [str(Path(str(results[1]["venv"])) / "bin" / "sinopak"), "validate"],
            capture_output=True,
            text=True,
        )
    lines = render(results, validate.returncode, validate.stdout.splitlines()[:1])
    print("\n".join(lines))
    if args.write:
        with args.write.open("a", encoding="utf-8") as fh:
            fh.write("\n" + "\n".join(lines) + "\n")


def render(results: list[dict[str, object]], code: int, first: list[str]) -> list[str]:
    base, before = results[0], results[-1]
    n_base, n_before = len(base["added"]), len(before["added"])  # type: ignore[arg-type]
    mb_base, mb_before = float(base["mb"]), float(before["mb"])  # type: ignore[arg-type]
    ok = n_base <= GOAL_PACKAGES and mb_base <= GOAL_MB
    lines = [
        "## Install footprint (`benchmarks/footprint.py`)",
        "",
        f"Machine: {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()}; fresh venv per case, pip with constraints.txt, "
        "wheels from the local pip cache where present (times are indicative only).",
        "",
        "| case | packages added | MB added | install time (s) | packages |",
        "|---|---:|---:|---:|---|",
    ]
    for r in results:
        added = r["added"]
        names = ", ".join(added) if len(added) <= 6 else f"{', '.join(added[:6])}, …"  # type: ignore[arg-type, index]
        lines.append(
            f"| {r['case']} | {len(added)} | {float(r['mb']):.1f} | "  # type: ignore[arg-type]
            f"{float(r['seconds']):.1f} | {names} |"  # type: ignore[arg-type]
        )
    lines += [
        "",
        f"Base install vs 0.1.0: {n_before / n_base:.0f}× fewer packages, "
        f"{mb_before / mb_base:.0f}× fewer MB. Goal (≤ {GOAL_PACKAGES} packages, ≤ {GOAL_MB:g} "
        f"MB): {'met' if ok else 'NOT met'}.",
        f"`sinopak validate` after `pip install 'sinopak[validate]'`: exit {code} "
        f"({first[0] if first else 'no output'}).",
    ]
    return lines


if __name__ == "__main__":
    main()
