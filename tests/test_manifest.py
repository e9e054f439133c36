"""The build manifest: `build --check` with nothing changed only hashes; any change to a seed,
the code, the installed packages or a published file, and any damaged manifest, still goes
through the full rebuild and comparison."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, run

from sinopak.pipeline import build as build_module
from sinopak.pipeline import export, manifest, release
from sinopak.pipeline.project import Project


@pytest.fixture
def full_builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records each full build (the staging step); the fast path never stages."""
    calls: list[Path] = []
    real: Callable[..., tuple[Path, dict[str, str]]] = build_module.stage

    def spy(project: Project, **kwargs: object) -> tuple[Path, dict[str, str]]:
        calls.append(project.root)
        return real(project, **kwargs)

    monkeypatch.setattr(build_module, "stage", spy)
    return calls


@pytest.fixture
def built(project: Path) -> Path:
    """A project copy whose last build recorded a manifest."""
    assert run("build", "--root", str(project)).exit_code == 0
    assert (project / "build" / "manifest.json").is_file()
    return project


def check(project: Path, *args: str) -> tuple[int, str]:
    result = run("build", "--check", "--root", str(project), *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_check_with_nothing_changed_does_not_rebuild(built: Path, full_builds: list[Path]) -> None:
    assert check(built) == (0, "dist/ and schema/ are up to date.\n")
    assert full_builds == []
    # the library call takes the same path
    assert build_module.build(Project(built), check_only=True) == []
    assert full_builds == []


def test_the_manifest_records_inputs_and_outputs(built: Path) -> None:
    data = json.loads((built / "build" / "manifest.json").read_text())
    assert data["format"] == manifest.FORMAT and data["scope"] == "all"
    files = data["inputs"]["files"]
    assert "pyproject.toml" in files and "seeds/package.yaml" in files
    assert "pipeline/manifest.py" in data["inputs"]["code"]
    assert any(d.startswith("pydantic-") for d in data["inputs"]["installed"])
    published = {p.relative_to(built).as_posix() for p in (built / "dist").rglob("*")}
    published = {p for p in published if (built / p).is_file()}
    assert {p for p in data["outputs"] if p.startswith("dist/")} == published
    assert data["outputs"]["schema/events.json"] == manifest.digest(
        built / "schema" / "events.json"
    )


def test_an_edited_seed_is_caught(built: Path, full_builds: list[Path]) -> None:
    seed = built / "seeds" / "package.yaml"
    seed.write_text(seed.read_text().replace("Hand-curated records", "Curated records", 1))
    code, output = check(built)
    assert code == 1
    assert "stale" in output and "dist/datapackage.json" in output
    assert full_builds == [built]


def test_an_edited_published_file_is_caught(built: Path, full_builds: list[Path]) -> None:
    events = built / "dist" / "csv" / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"Shaheen", b"Shahin", 1))
    code, output = check(built)
    assert code == 1 and "dist/csv/events.csv" in output
    assert full_builds == [built]


def test_an_added_published_file_is_caught(built: Path, full_builds: list[Path]) -> None:
    (built / "dist" / "csv" / "extra.csv").write_text("a\n1\n")
    code, output = check(built)
    assert code == 1 and "dist/csv/extra.csv" in output


def test_an_edited_source_file_is_caught(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_builds: list[Path]
) -> None:
    code_copy = tmp_path / "code"
    shutil.copytree(
        manifest.CODE_DIR, code_copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    monkeypatch.setattr(manifest, "CODE_DIR", code_copy)
    assert run("build", "--root", str(built)).exit_code == 0  # manifest of this code
    assert check(built)[0] == 0 and len(full_builds) == 1  # the fast path
    # Edit the code: the CSV note changes (the edit, on disk; its effect, in the running code).
    path = code_copy / "pipeline" / "export.py"
    path.write_text(path.read_text().replace("CSV injection guard", "CSV formula guard"))
    monkeypatch.setattr(export, "FORMULA_NOTE", export.FORMULA_NOTE.replace("injection", "formula"))
    code, output = check(built)
    assert code == 1 and "dist/datapackage.json" in output
    assert len(full_builds) == 2


def test_a_code_edit_without_effect_rebuilds_and_passes(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_builds: list[Path]
) -> None:
    code_copy = tmp_path / "code"
    shutil.copytree(manifest.CODE_DIR, code_copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(manifest, "CODE_DIR", code_copy)
    (code_copy / "pipeline" / "rows.py").write_text("# edited\n", encoding="utf-8")
    assert check(built)[0] == 0
    assert full_builds == [built]  # the inputs differ from the manifest: full comparison
    assert check(built)[0] == 0
    assert full_builds == [built]  # that check recorded a new manifest


def test_other_installed_packages_mean_a_full_check(
    built: Path, monkeypatch: pytest.MonkeyPatch, full_builds: list[Path]
) -> None:
    real = manifest.installed
    monkeypatch.setattr(manifest, "installed", lambda: [*real(), "pydantic-99.0.dist-info"])
    assert check(built)[0] == 0
    assert full_builds == [built]


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{",
        b"[]",
        b'{"format": 1}',
        b'{"format": 99, "scope": "all", "inputs": {}, "generated": [], "outputs": {}}',
        b'{"format": 1, "scope": "all", "inputs": {}, "generated": [3], "outputs": {}}',
        b"\xff\xfe not utf-8",
    ],
)
def test_a_damaged_manifest_means_a_full_check(
    built: Path, full_builds: list[Path], damage: bytes
) -> None:
    path = built / "build" / "manifest.json"
    path.write_bytes(damage)
    assert check(built)[0] == 0
    assert full_builds == [built]
    assert manifest.load(Project(built)) is not None  # rewritten by the passing check


def test_a_damaged_manifest_still_catches_an_edit(built: Path, full_builds: list[Path]) -> None:
    (built / "build" / "manifest.json").write_text("{")
    events = built / "dist" / "json" / "events.json"
    events.write_text("[]\n")
    code, output = check(built)
    assert code == 1 and "dist/json/events.json" in output


def test_a_doctored_manifest_cannot_hide_an_edit_the_descriptor_contradicts(
    built: Path, full_builds: list[Path]
) -> None:
    """Even a manifest rewritten to match an edited file is checked against the descriptor."""
    events = built / "dist" / "csv" / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"Shaheen", b"Shahin", 1))
    path = built / "build" / "manifest.json"
    data = json.loads(path.read_text())
    data["outputs"]["dist/csv/events.csv"] = manifest.digest(events)
    path.write_text(json.dumps(data))
    assert check(built)[0] == 1
    assert full_builds == [built]


def test_a_narrower_frictionless_scope_does_not_cover_the_default(
    project: Path, full_builds: list[Path]
) -> None:
    assert run("build", "--root", str(project), "--frictionless", "csv").exit_code == 0
    assert check(project, "--frictionless", "csv")[0] == 0
    assert len(full_builds) == 1  # covered: fast
    assert check(project)[0] == 0  # the default (all) was never run on these files
    assert len(full_builds) == 2
    assert check(project, "--frictionless", "none")[0] == 0
    assert len(full_builds) == 2


def test_the_recorded_digests_are_the_files_own(built: Path) -> None:
    # dist/'s digests come from the staged package's SHA256SUMS: they are its files' own
    data = json.loads((built / "build" / "manifest.json").read_text())
    assert data["outputs"] == manifest.outputs(Project(built), data["generated"])
    assert release.read_sums(built / "dist") == {
        p.relative_to(built / "dist").as_posix(): manifest.digest(p)
        for p in (built / "dist").rglob("*")
        if p.is_file() and p.name != "SHA256SUMS"
    }


def test_known_digests_are_taken_as_given_and_the_rest_computed(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_text("b")
    found = manifest.tree(tmp_path, "x/", known={"sub/b": "given"})
    assert found == {"x/a": manifest.digest(tmp_path / "a"), "x/sub/b": "given"}
    (tmp_path / "SHA256SUMS").write_text("0" * 64 + "  a\nnot a line\n" + "1" * 63 + "  b\n")
    assert release.read_sums(tmp_path) == {"a": "0" * 64}
    assert release.read_sums(tmp_path / "sub") == {}


def test_the_seed_digests_recorded_are_the_files_own(built: Path) -> None:
    # the seeds' digests come from the bytes the build read: they are what hashing gives
    data = json.loads((built / "build" / "manifest.json").read_text())
    assert data["inputs"] == manifest.inputs(Project(built))
    files = data["inputs"]["files"]
    assert len([p for p in files if p.startswith("seeds/records/")]) > 5
    assert files["seeds/000_d3da3a035377400c.txt"] == manifest.digest(
        built / "seeds" / "000_d3da3a035377400c.txt"
    )


def _append_comment(path: Path) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write("# edited while the build ran\n")


def _first_record_file(seeds: Path) -> Path:
    return sorted((seeds / "records").rglob("*.yaml"))[0]


# Seed changes made while a build runs, after it read the seeds: (what, the file it touches)
MID_BUILD: dict[str, Callable[[Path], Path]] = {
    "record file edited": lambda seeds: _first_record_file(seeds),
    "package.yaml edited": lambda seeds: seeds / "package.yaml",
    "documents.yaml edited": lambda seeds: seeds / "documents.yaml",
    "record file added": lambda seeds: seeds / "records" / "zzz-added" / "events.yaml",
    "record file removed": lambda seeds: _first_record_file(seeds),
}


@pytest.mark.parametrize("change", list(MID_BUILD))
def test_a_seed_changed_while_the_build_runs_is_never_recorded_as_built(
    project: Path, monkeypatch: pytest.MonkeyPatch, full_builds: list[Path], change: str
) -> None:
    # the manifest holds the seeds as the build read them: a change made after the build read
    # them (here a comment, which changes nothing built) keeps the next check off the fast path
    seeds = project / "seeds"
    touched = MID_BUILD[change](seeds)
    before = manifest.digest(touched) if touched.exists() else None
    real = build_module.read_corpus

    def read_then_change(seeds_folder: Path) -> object:
        corpus = real(seeds_folder)
        if change == "record file added":
            touched.parent.mkdir()
            touched.write_text("# nothing yet\n", encoding="utf-8")
        elif change == "record file removed":
            touched.unlink()
        else:
            _append_comment(touched)
        return corpus

    monkeypatch.setattr(build_module, "read_corpus", read_then_change)
    assert run("build", "--root", str(project)).exit_code == 0
    monkeypatch.setattr(build_module, "read_corpus", real)
    files = json.loads((project / "build" / "manifest.json").read_text())["inputs"]["files"]
    key = "seeds/" + touched.relative_to(seeds).as_posix()
    assert files[key] == (before if before is not None else manifest.UNREAD)
    if change == "record file removed":  # put back: the check then sees the seeds as built
        touched.write_bytes(b"")
        shutil.copyfile(ROOT / key, touched)
        assert check(project) == (0, "dist/ and schema/ are up to date.\n")
        assert full_builds == [project]  # recorded as read, and as it is again: fast
        return
    assert check(project)[0] == 0  # nothing built changed, but it took the full check
    assert full_builds == [project, project]
    assert check(project)[0] == 0  # now recorded as it is: the fast path
    assert full_builds == [project, project]
