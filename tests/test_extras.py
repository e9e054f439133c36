"""Exit codes and missing extras: each says what to install, the CLI exits 3 for it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, run, tree_digest

import sinopak
from sinopak.cli import main
from sinopak.errors import MissingDependencyError


def block(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make `import module` fail as if it were not installed."""
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)


def test_validate_without_the_validate_extra_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    block(monkeypatch, "frictionless")
    result = run("validate", str(ROOT / "dist"))
    assert result.exit_code == 3
    assert result.output == (
        "Error: validation needs frictionless, which is not installed: "
        "pip install 'sinopak[validate]'\n"
    )


def test_library_validate_raises_an_import_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    block(monkeypatch, "jsonschema")
    with pytest.raises(MissingDependencyError, match=r"pip install 'sinopak\[validate\]'"):
        sinopak.validate()
    with pytest.raises(ImportError):  # still catchable as the ImportError it stands for
        sinopak.validate()


@pytest.mark.parametrize(
    ("backend", "missing", "extra"),
    [("polars", "polars", "polars"), ("pandas", "pandas", "pandas"), ("arrow", "pyarrow", "arrow")],
)
def test_each_backend_names_its_extra(
    monkeypatch: pytest.MonkeyPatch, backend: str, missing: str, extra: str
) -> None:
    block(monkeypatch, missing, f"{missing}.parquet")
    with pytest.raises(MissingDependencyError) as info:
        sinopak.load("events", backend=backend)  # type: ignore[call-overload]
    assert str(info.value) == (
        f"backend={backend!r} needs {missing}, which is not installed: "
        f"pip install 'sinopak[{extra}]'"
    )
    assert sinopak.load("events")[0]["event_id"]  # the standard-library backend still works


def test_pandas_backend_without_pyarrow_names_the_pandas_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    block(monkeypatch, "pyarrow", "pyarrow.parquet")
    with pytest.raises(MissingDependencyError, match=r"sinopak\[pandas\]"):
        sinopak.load("events", backend="pandas")


def test_records_names_the_records_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    block(monkeypatch, "pydantic")
    with pytest.raises(MissingDependencyError, match=r"pip install 'sinopak\[records\]'"):
        sinopak.records("events")


def test_build_without_the_build_group_exits_3(
    monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    block(monkeypatch, "pysbd", "pycountry")
    before = tree_digest(project / "dist")
    result = run("build", "--root", str(project))
    assert result.exit_code == 3
    assert result.output.startswith("Error: sinopak build needs pysbd, pycountry, which are ")
    assert "--group build" in result.output
    assert tree_digest(project / "dist") == before


def test_internal_error_exits_3_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(record_id: str) -> None:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(sinopak, "record", broken)
    result = CliRunner().invoke(main, ["show", "evt.wei-bajwa-talks"])
    assert result.exit_code == 3
    assert result.output == (
        "Internal error: RuntimeError: disk on fire (rerun with --debug for the traceback)\n"
    )
    debug = CliRunner().invoke(main, ["--debug", "show", "evt.wei-bajwa-talks"])
    assert isinstance(debug.exception, RuntimeError)  # the traceback is shown, not hidden
    assert debug.exit_code == 1 and "Internal error" not in debug.output


def test_debug_shows_the_traceback_of_a_reported_error() -> None:
    assert run("show", "evt.nope").exit_code == 1
    debug = CliRunner().invoke(main, ["--debug", "show", "evt.nope"])
    assert type(debug.exception).__name__ == "UnknownRecordError"


def test_usage_errors_exit_2() -> None:
    assert run("no-such-command").exit_code == 2
    assert run("show").exit_code == 2  # missing argument
    assert run("validate", "--frictionless", "some").exit_code == 2
