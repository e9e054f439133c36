"""The build: deterministic, --check detects staleness, validates what it writes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run, tree_digest

from sinopak.pipeline.build import listing


def test_committed_dist_is_up_to_date() -> None:
    result = run("build", "--check", "--root", str(ROOT))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "dist/ and schema/ are up to date."


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    shutil.rmtree(project / "dist")
    shutil.rmtree(project / "schema")
    assert run("build", "--root", str(project)).exit_code == 0
    first = tree_digest(project / "dist")
    shutil.rmtree(project / "dist")
    assert run("build", "--root", str(project)).exit_code == 0
    assert tree_digest(project / "dist") == first
    assert first == tree_digest(ROOT / "dist")  # and equal to what is committed


def test_check_reports_a_stale_file_and_changes_nothing(project: Path) -> None:
    events = project / "dist" / "csv" / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"2020-12-07", b"2020-12-08", 1))
    before = tree_digest(project / "dist")
    result = run("build", "--check", "--root", str(project))
    assert result.exit_code == 1
    assert "stale" in result.output and "dist/csv/events.csv" in result.output
    assert tree_digest(project / "dist") == before


def test_check_reports_schema_drift(project: Path) -> None:
    (project / "schema" / "events.json").write_text("{}\n")
    result = run("build", "--check", "--root", str(project))
    assert result.exit_code == 1
    assert "schema/events.json" in result.output


def test_build_repairs_a_corrupted_dist(project: Path) -> None:
    (project / "dist" / "json" / "events.json").write_text("[]")
    result = run("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    assert tree_digest(project / "dist") == tree_digest(ROOT / "dist")


def test_build_recovers_an_interrupted_swap(project: Path) -> None:
    # Simulate a kill between the two renames: dist/ moved aside, new one not yet in place.
    hold = project / "build" / "old-x"
    hold.mkdir(parents=True)
    (project / "dist").rename(hold / "dist")
    result = run("build", "--check", "--root", str(project))
    assert result.exit_code == 0, result.output
    assert tree_digest(project / "dist") == tree_digest(ROOT / "dist")


def test_build_leaves_no_scratch_behind(project: Path) -> None:
    assert run("build", "--root", str(project)).exit_code == 0
    # the (empty) lock file stays: deleting it would race with a build waiting on it
    assert sorted(p.name for p in (project / "build").iterdir()) == [".lock", "manifest.json"]
    assert (project / "build" / ".lock").read_bytes() == b""


def test_long_lists_of_problems_say_where_they_stop() -> None:
    items = [f"dist/f{i}" for i in range(25)]
    text = listing("generated files are stale; run `sinopak build`", items)
    assert text.startswith("generated files are stale; run `sinopak build`: dist/f0, dist/f1,")
    assert "dist/f19, … and 5 more (only the first 20 shown)" in text
    assert "dist/f20" not in text
    assert listing("x", ["a", "b"], lines=True) == "x:\na\nb"


def test_a_release_zip_that_cannot_be_written_fails_the_build_and_keeps_dist(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the zip is written by a process of its own beside the validation: its error (here, a
    # folder to zip into that is not there) still reaches the user, as an error, not a traceback
    from sinopak.pipeline import build

    real = build.zip_job
    monkeypatch.setattr(build, "zip_job", lambda folder, version: real(folder / "gone", version))
    shutil.rmtree(project / "dist" / "csv")  # stale: the build would replace dist/
    before = tree_digest(project / "dist")
    result = run("build", "--root", str(project))
    assert result.exit_code == 1
    assert "sinopak-1.0.0.zip: cannot write the release zip: [Errno 2] No such file" in (
        result.output
    )
    assert "Traceback" not in result.output
    assert tree_digest(project / "dist") == before
    assert not list((project / "build").glob("stage-*"))


def test_the_release_is_listed_in_the_sums_and_checked(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SHA256SUMS is written after the zip thread and checked after it is written
    from sinopak.pipeline import build, release

    def wrong(folder: Path, known: object = None) -> None:
        (folder / release.SUMS).write_text(release.sums_text(folder).replace("a", "b", 1))

    monkeypatch.setattr(build, "write_sums", wrong)
    result = run("build", "--root", str(project))
    assert result.exit_code == 1 and "checksum" in result.output, result.output
    monkeypatch.undo()  # a build as it is: its sums list the zip and hold for every file
    assert run("build", "--root", str(project)).exit_code == 0
    sums = (project / "dist" / release.SUMS).read_text()
    assert "  sinopak-" in sums and ".zip\n" in sums
    assert sums == release.sums_text(project / "dist")


@pytest.mark.parametrize("scope", ["all", "csv", "none"])
def test_frictionless_gets_every_table_of_its_scope_in_the_build(
    project: Path, monkeypatch: pytest.MonkeyPatch, scope: str
) -> None:
    """The CSV tables go to frictionless from an early descriptor (before the package's
    exists), the JSON and Parquet tables (scope "all") from the package's descriptor."""
    import json

    from sinopak.pipeline import build
    from sinopak.validation.frictionless_runner import Pending

    given: list[tuple[str, str, dict[str, object]]] = []
    submit = Pending.submit

    def recording(
        self: Pending, path: Path, resources: list[dict[str, object]], task: object = None
    ) -> None:
        descriptor = json.loads(path.read_bytes())
        for res in resources:
            declared = next(r for r in descriptor["resources"] if r["name"] == res["name"])
            given.append((path.name, str(res["name"]), declared))
        submit(self, path, resources, task)  # type: ignore[arg-type]

    monkeypatch.setattr(Pending, "submit", recording)
    shutil.rmtree(project / "dist" / "csv")  # stale: a full build
    result = run("build", "--root", str(project), "--frictionless", scope)
    assert result.exit_code == 0, result.output
    published = json.loads((project / "dist" / "datapackage.json").read_bytes())["resources"]
    tables = {r["name"]: r for r in published}  # the sources' texts too
    expected = {n for n, r in tables.items() if scope == "all" or r["format"] == "csv"}
    assert len(expected) == (len(published) if scope == "all" else 18)
    assert {name for _, name, _ in given} == (expected if scope != "none" else set())
    assert len(given) == len({name for _, name, _ in given})  # each once
    for file, name, declared in given:
        if tables[name]["format"] == "csv":  # the early descriptor: paths from the stage folder
            assert file == build.EARLY_DESCRIPTOR
            assert declared == {**tables[name], "path": "dist/" + str(tables[name]["path"])}
        else:
            assert (file, declared) == ("datapackage.json", tables[name])


def test_the_zip_reports_the_digests_of_what_it_zipped(tmp_path: Path) -> None:
    """SHA256SUMS takes the digests the zip computed from the bytes it zipped: they are the
    files' own, and the zip itself (not zipped) is hashed when the sums are written."""
    import hashlib

    from sinopak.pipeline import release

    shutil.copytree(ROOT / "dist", tmp_path / "dist")
    folder = tmp_path / "dist"
    (folder / release.SUMS).unlink()
    zipped = release.zip_name("9.9.9")
    digests: dict[str, str] = {}
    release.write_zip(folder, "9.9.9", digests)
    files = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }
    assert digests == {name: d for name, d in files.items() if name != zipped}
    assert len(digests) > 50 and zipped in files
    assert release.sums_text(folder, digests) == release.sums_text(folder)


def test_a_failing_validation_stops_the_zip_and_is_the_error_reported(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import time

    from sinopak.pipeline import build

    # a zip that would take a minute: the build kills its process rather than wait for it
    (tmp_path / "slow_zip.py").write_text(
        "import time\n\ndef write_staged(args):\n    time.sleep(60)\n", encoding="utf-8"
    )
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])  # the process takes it
    started: list[build.Background] = []

    class Recorded(build.Background):
        def __init__(self, jobs: list[tuple[str, str, list[str]]]) -> None:
            super().__init__(jobs)
            started.append(self)

    def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError("validation broke")

    monkeypatch.setattr(build, "zip_job", lambda folder, version: ("x.zip", "slow_zip", []))
    monkeypatch.setattr(build, "Background", Recorded)
    monkeypatch.setattr(build, "validate", failing)
    shutil.rmtree(project / "dist" / "csv")
    before = tree_digest(project / "dist")
    begun = time.monotonic()
    result = run("build", "--root", str(project))
    assert result.exit_code == 3 and "RuntimeError: validation broke" in result.output
    assert time.monotonic() - begun < 50  # not waited for
    zipping = [job for job in started if job.names == ["x.zip"]]  # the workbook's is the other
    assert len(started) == 2 and len(zipping) == 1
    assert zipping[0].process.returncode == -9  # killed
    assert tree_digest(project / "dist") == before
    assert not list((project / "build").glob("stage-*"))


@pytest.mark.parametrize("scope", ["all", "csv", "none"])
def test_frictionless_starts_on_the_csv_tables_before_the_evidence_is_checked(
    project: Path, monkeypatch: pytest.MonkeyPatch, scope: str
) -> None:
    # its fork server imports frictionless while the seeds are read, and its workers validate
    # every CSV table on the core the checks of the evidence leave idle; never for a build
    # without frictionless
    from sinopak.pipeline import build

    calls: list[str] = []

    def recorded(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        return call

    for name in ("warm_frictionless", "read_corpus", "start_frictionless", "check"):
        monkeypatch.setattr(build, name, recorded(name, getattr(build, name)))
    shutil.rmtree(project / "dist" / "csv")  # stale: a full build
    assert run("build", "--root", str(project), "--frictionless", scope).exit_code == 0
    expected = ["warm_frictionless", "read_corpus", "start_frictionless", "check"]
    assert calls == (["read_corpus", "check"] if scope == "none" else expected)


def test_the_early_descriptor_is_the_same_made_before_or_after_the_checks(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # frictionless and the workbook start from it; made before the evidence is checked it
    # is what the build wrote after every check (when making the rows ahead fails)
    from sinopak.pipeline import build

    written: list[bytes] = []
    real = build.write_early_descriptor

    def recording(path: Path, *args: Any) -> None:
        real(path, *args)
        written.append(path.read_bytes())

    monkeypatch.setattr(build, "write_early_descriptor", recording)
    for ahead in (True, False):
        if not ahead:
            monkeypatch.setattr(build, "sentence_rows", _broken)
        shutil.rmtree(project / "dist" / "csv")  # stale: a full build
        result = run("build", "--root", str(project), "--frictionless", "csv")
        assert result.exit_code == 0, result.output
    assert len(written) == 2 and written[0] == written[1]
    assert b'"sinopak:coverage"' in written[0] and written[0].count(b'"dialect"') == 18


def _broken(corpus: object) -> object:
    raise KeyError("made again after the checks")
