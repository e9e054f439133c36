"""The wheel carries the data: install it in a fresh venv outside the tree and load offline."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, tree_digest

SCRIPT = """
import json, sys, sinopak
from sinopak import _access
assert sinopak.__file__.startswith(sys.prefix), sinopak.__file__
assert _access.data_dir().startswith(sys.prefix), _access.data_dir()
assert sinopak.data_dir() == _access.data_dir()
import os
card = os.path.join(sinopak.data_dir(), "README.md")
assert open(card, encoding="utf-8").read().startswith("---")
sinopak.verify()
out = {}
for name in sinopak.tables():
    py = sinopak.load(name)
    arrow = sinopak.load(name, backend="arrow").to_pylist()
    polars = sinopak.load(name, backend="polars").to_dicts()
    pandas = sinopak.load(name, backend="pandas")
    assert py == arrow == polars, name
    assert len(pandas) == len(py) and list(pandas.columns) == list(py[0]), name
    out[name] = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
                 for r in py]
print(json.dumps({"version": sinopak.__version__, "tables": out}))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist, then a wheel built from that sdist (python -m build's default), in a temp dir."""
    out = tmp_path_factory.mktemp("pkg")
    before = tree_digest(ROOT / "dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    assert tree_digest(ROOT / "dist") == before  # building never writes into dist/
    return out


def test_wheel_contains_the_data_package(built: Path) -> None:
    (wheel,) = built.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for rel in tree_digest(ROOT / "dist"):
        if rel.split("/")[0] in ("csv", "json", "parquet", "sources") or rel == "datapackage.json":
            assert f"sinopak/data/{rel}" in names, rel
    assert "sinopak/py.typed" in names
    assert {"sinopak/data/README.md", "sinopak/data/sinopak.xlsx"} <= names  # card, spreadsheet
    assert not any(n.startswith(("tests/", "seeds/")) for n in names)


def test_sdist_contains_seeds_and_data(built: Path) -> None:
    (sdist,) = built.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert "seeds/000_d3da3a035377400c.txt" in names
    assert "dist/datapackage.json" in names
    assert "Makefile" in names and "constraints.txt" in names


def test_fresh_venv_loads_every_table_offline(built: Path, tmp_path: Path) -> None:
    (wheel,) = built.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # The backends' libraries come from this environment (no network), sinopak from the wheel.
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    )
    Path(site.stdout.strip(), "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    offline = {  # any attempt to reach the network would go to a closed local port
        "PATH": "/usr/bin:/bin",
        "no_proxy": "",
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }
    result = subprocess.run(
        [str(py), "-c", SCRIPT], cwd=tmp_path, capture_output=True, text=True, env=offline
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["version"] == json.loads((ROOT / "dist/datapackage.json").read_text())["version"]
    for name, rows in loaded["tables"].items():
        assert rows == json.loads((ROOT / "dist" / "json" / f"{name}.json").read_text()), name
    # the installed package validates its own bundled data (what a downstream CI runs)
    check = subprocess.run(
        [str(py), "-m", "sinopak", "validate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=offline,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("valid: ") and "/venv/" in check.stdout


def test_wheel_metadata_has_click_only_and_the_extras(built: Path) -> None:
    (wheel,) = built.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        (meta,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        headers = zf.read(meta).decode().split("\n\n", 1)[0].splitlines()
    requires = [h.split(": ", 1)[1] for h in headers if h.startswith("Requires-Dist: ")]
    assert [r for r in requires if "extra ==" not in r] == ["click>=8.1"]
    extras = [h.split(": ", 1)[1] for h in headers if h.startswith("Provides-Extra: ")]
    assert extras == ["all", "arrow", "pandas", "polars", "records", "validate"]
    assert not any(tool in r for r in requires for tool in ("pytest", "playwright", "pysbd"))
    urls = {h.split(": ", 1)[1].split(",")[0] for h in headers if h.startswith("Project-URL: ")}
    assert {"Homepage", "Documentation", "Changelog", "Issues"} <= urls
    classifiers = [h for h in headers if h.startswith("Classifier: ")]
    assert "Classifier: Programming Language :: Python :: 3.11" in classifiers
    assert any(c.startswith("Classifier: Development Status :: ") for c in classifiers)


BASE_SCRIPT = """
import sys, sinopak
rows = sinopak.load("events")
print(len(rows), sinopak.record(rows[0]["event_id"])["table"])
for module in ("pandas", "pyarrow", "pydantic", "frictionless", "polars", "numpy"):
    try:
        __import__(module)
    except ImportError:
        pass
    else:
        sys.exit(f"{module} is importable in the base install")
try:
    sinopak.load("events", backend="pandas")
except ImportError as exc:
    print(exc)
"""


def test_base_install_is_the_stdlib_and_click(built: Path, tmp_path: Path) -> None:
    """What `pip install sinopak` gives: the accessor and the CLI work; `validate` asks for
    its extra with exit 3."""
    import click

    (wheel,) = built.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet"]
    subprocess.run([*install, "--no-deps", "--no-index", str(wheel)], check=True)
    only_click = tmp_path / "only-click"  # click, and nothing else, from this environment
    only_click.mkdir()
    (only_click / "click").symlink_to(Path(click.__file__).parent)
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    )
    Path(site.stdout.strip(), "deps.pth").write_text(f"{only_click}\n")
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [str(py), "-c", BASE_SCRIPT], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2, result.stdout
    (counted, message) = result.stdout.splitlines()
    count, table = counted.split()
    rows = json.loads((ROOT / "dist/json/events.json").read_text())
    assert (int(count), table) == (len(rows), "events")
    assert message.endswith("pip install 'sinopak[pandas]'")
    cli = [str(py), "-m", "sinopak"]
    listed = subprocess.run([*cli, "--help"], cwd=tmp_path, capture_output=True, text=True)
    assert "  coverage " in listed.stdout and "  validate " in listed.stdout
    for hidden in ("build", "anchor", "release"):  # they need a clone of the repository
        assert f"  {hidden} " not in listed.stdout, hidden
    build = subprocess.run([*cli, "build"], cwd=tmp_path, capture_output=True, text=True)
    assert build.returncode == 1 and "run from a clone of the repository" in build.stderr
    coverage = subprocess.run([*cli, "coverage"], cwd=tmp_path, capture_output=True, text=True)
    assert coverage.returncode == 0, coverage.stderr
    assert coverage.stdout.splitlines()[-1].endswith("sentences (100.0%)")
    dist = str(ROOT / "dist")
    same = subprocess.run(
        [str(py), "-m", "sinopak", "diff", dist, dist], capture_output=True, text=True
    )
    assert same.returncode == 0, same.stderr
    assert same.stdout.endswith("\nno differences\n")
    check = subprocess.run(
        [str(py), "-m", "sinopak", "validate"], cwd=tmp_path, capture_output=True, text=True
    )
    assert check.returncode == 3
    assert check.stderr == (
        "Error: validation needs jsonschema, which is not installed: "
        "pip install 'sinopak[validate]'\n"
    )
