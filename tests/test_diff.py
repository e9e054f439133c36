"""`sinopak diff` and `sinopak release`: pairs of packages built from edited seeds.

The variant build corrects one date (evt.shaheen-ix starts a day later), adds one record (a
subject of a statement) and, as a model change would, removes one field (events.topic).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import http.server
import io
import json
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, run

from sinopak.errors import PackageError
from sinopak.validation.diff import DiffError, diff, render

DIST = ROOT / "dist"
DATE = (  # a corrected claim rule: "Earlier this year" read as only "on or before"
    "      - text: Earlier this year\n        rule: earlier_this_year\n",
    "      - text: Earlier this year\n        rule: on_or_before_publication\n",
)
SUBJECT = (
    "subjects: [evt.shaheen-ix, ent.china]",
    "subjects: [evt.shaheen-ix, ent.china, ent.pakistan]",
)


def edit(root: Path, kind: str, old: str, new: str) -> None:
    path = root / "seeds" / "records" / "d3da3a035377400c" / f"{kind}.yaml"  # the seed's
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected one {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def set_version(root: Path, version: str) -> None:
    path = root / "pyproject.toml"
    text = re.sub(r'(?m)^version = "[^"]+"$', f'version = "{version}"', path.read_text())
    path.write_text(text)


def build_variant(root: Path, *edits: Callable[[Path], None], version: str = "1.0.0") -> Path:
    """A copy of the project with edited seeds, built (frictionless off: sinopak's own checks
    still run); returns the project folder."""
    root.mkdir(parents=True)
    for name in ("seeds", "schema", "dist"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    set_version(root, version)
    for change in edits:
        change(root)
    result = run("build", "--root", str(root), "--frictionless", "none")
    assert result.exit_code == 0, result.output
    return root


def corrected_date(root: Path) -> None:
    edit(root, "events", *DATE)


def added_subject(root: Path) -> None:
    edit(root, "statements", *SUBJECT)


def _facts(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), "sha256:" + hashlib.sha256(data).hexdigest()


def drop_field(pkg: Path, table: str, name: str) -> None:
    """Remove a field from a built package in every format, as a model change would."""
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        if res.get("schema") is None or not res["path"].split("/")[-1].startswith(f"{table}."):
            continue
        res["schema"]["fields"] = [f for f in res["schema"]["fields"] if f["name"] != name]
        path = pkg / res["path"]
        if res["format"] == "csv":
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
            i = rows[0].index(name)
            buf = io.StringIO(newline="")
            csv.writer(buf, lineterminator="\n").writerows([r[:i] + r[i + 1 :] for r in rows])
            path.write_text(buf.getvalue(), encoding="utf-8")
        elif res["format"] == "json":
            items = json.loads(path.read_text(encoding="utf-8"))
            lines = [json.dumps({k: v for k, v in o.items() if k != name}) for o in items]
            path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
        else:
            pq.write_table(pq.read_table(path).drop_columns([name]), path, compression="zstd")
        size, digest = _facts(path)
        res["bytes" if "bytes" in res else "sinopak:bytes"] = size
        res["hash"] = digest
    (pkg / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n")


@pytest.fixture(scope="module")
def three_changes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Version 1.1.0 of the project: a corrected date, an added record, a removed field."""
    root = tmp_path_factory.mktemp("three") / "project"
    build_variant(root, corrected_date, added_subject, version="1.1.0")
    drop_field(root / "dist", "events", "topic")
    return root


def test_diff_reports_exactly_the_three_changes(three_changes: Path) -> None:
    d = diff(DIST, three_changes / "dist").to_dict()
    assert d["old"]["version"] == "1.0.0" and d["new"]["version"] == "1.1.0"
    assert d["added_tables"] == d["removed_tables"] == []
    assert d["tables"] == [
        {
            "name": "events",
            "added_fields": [],
            "removed_fields": [{"name": "topic", "type": "string"}],
            "retyped_fields": [],
            "categories": {},
            "added": [],
            "removed": [],
            "changed": [
                {
                    "key": "evt.beca-signing",
                    "fields": {
                        "date_start": {"old": "2020-01-01", "new": None},
                        "date_precision": {"old": "year", "new": "unknown"},
                        "date_method": {"old": "resolved", "new": "bounded"},
                    },
                }
            ],
        },
        {
            "name": "date_claims",
            "added_fields": [],
            "removed_fields": [],
            "retyped_fields": [],
            "categories": {},
            "added": [],
            "removed": [],
            "changed": [
                {
                    "key": "evt.beca-signing/d3da3a035377400c.c1",
                    "fields": {
                        "rule": {"old": "earlier_this_year", "new": "on_or_before_publication"},
                        "range_start": {"old": "2020-01-01", "new": None},
                    },
                }
            ],
        },
        {
            "name": "statement_subjects",
            "added_fields": [],
            "removed_fields": [],
            "retyped_fields": [],
            "categories": {},
            "added": ["stm.s012-heading-provocation / ent.pakistan"],
            "removed": [],
            "changed": [],
        },
    ]
    assert d["required_bump"] == "major"
    assert d["reasons"] == ["removed field events.topic"]


def test_text_and_markdown_output(three_changes: Path) -> None:
    new = three_changes / "dist"
    result = run("diff", str(DIST), str(new))
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{DIST} (1.0.0) → {new} (1.1.0)\n"
        "schema:\n"
        "  removed field events.topic (string)\n"
        "events: 0 added, 0 removed, 1 changed\n"
        "  ~ evt.beca-signing\n"
        "      date_start: 2020-01-01 → null\n"
        "      date_precision: 'year' → 'unknown'\n"
        "      date_method: 'resolved' → 'bounded'\n"
        "date_claims: 0 added, 0 removed, 1 changed\n"
        "  ~ evt.beca-signing/d3da3a035377400c.c1\n"
        "      rule: 'earlier_this_year' → 'on_or_before_publication'\n"
        "      range_start: 2020-01-01 → null\n"
        "statement_subjects: 1 added, 0 removed, 0 changed\n"
        "  + stm.s012-heading-provocation / ent.pakistan\n"
        "required version bump: major (removed field events.topic)\n"
    )
    markdown = run("diff", str(DIST), str(new), "--format", "markdown").output
    assert markdown == (
        "### Data\n\n"
        "- Schema: removed field events.topic (string).\n"
        "- `events`: `evt.beca-signing` corrected: `date_start` 2020-01-01 → null; "
        "`date_precision` 'year' → 'unknown'; `date_method` 'resolved' → 'bounded'.\n"
        "- `date_claims`: `evt.beca-signing/d3da3a035377400c.c1` corrected: `rule` "
        "'earlier_this_year' → 'on_or_before_publication'; `range_start` 2020-01-01 → null.\n"
        "- `statement_subjects`: 1 record(s) added: `stm.s012-heading-provocation / "
        "ent.pakistan`.\n"
        "\nVersion bump required by these changes: **major**.\n"
    )


def test_json_output_is_the_library_report(three_changes: Path) -> None:
    result = run("diff", str(DIST), str(three_changes / "dist"), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == diff(DIST, three_changes / "dist").to_dict()


def test_release_check_demands_a_major_bump(three_changes: Path) -> None:
    result = run("release", "--check", "--root", str(three_changes), "--previous", str(DIST))
    assert result.exit_code == 1
    assert result.output == (
        "1.0.0 → 1.1.0: a minor bump, but the data change needs a major bump (removed field "
        "events.topic). Raise the version in pyproject.toml to at least 2.0.0 and run "
        "`sinopak build`.\n"
    )


def test_release_check_passes_a_major_bump(tmp_path: Path) -> None:
    root = build_variant(tmp_path / "p", corrected_date, added_subject, version="2.0.0")
    drop_field(root / "dist", "events", "topic")
    result = run("release", "--check", "--root", str(root), "--previous", str(DIST))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1.0.0 → 2.0.0: a major bump; the data change needs a major")


@pytest.mark.parametrize(
    ("edits", "version", "needed", "ok"),
    [
        ((corrected_date,), "1.0.1", "patch", True),
        ((corrected_date,), "1.0.0", "patch", False),
        ((added_subject,), "1.0.1", "minor", False),
        ((added_subject, corrected_date), "1.1.0", "minor", True),
        ((), "1.0.0", "none", True),
    ],
)
def test_release_check_classifies_each_kind_of_change(
    tmp_path: Path,
    edits: tuple[Callable[[Path], None], ...],
    version: str,
    needed: str,
    ok: bool,
) -> None:
    root = build_variant(tmp_path / "p", *edits, version=version)
    result = run("release", "--check", "--root", str(root), "--previous", str(DIST))
    assert result.exit_code == (0 if ok else 1), result.output
    if needed == "none":
        assert "the data change needs no bump (the data did not change). OK" in result.output
    else:
        assert f"the data change needs a {needed} bump" in result.output


def test_the_changelog_section_is_generated_from_the_diff(tmp_path: Path) -> None:
    root = build_variant(tmp_path / "p", corrected_date, added_subject, version="1.1.0")
    result = run("release", "--changelog", "--root", str(root), "--previous", str(DIST))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "### Data (1.0.0 → 1.1.0, from `sinopak release --changelog`)\n\n"
        "- `events`: `evt.beca-signing` corrected: `date_start` 2020-01-01 → null; "
        "`date_precision` 'year' → 'unknown'; `date_method` 'resolved' → 'bounded'.\n"
        "- `date_claims`: `evt.beca-signing/d3da3a035377400c.c1` corrected: `rule` "
        "'earlier_this_year' → 'on_or_before_publication'; `range_start` 2020-01-01 → null.\n"
        "- `statement_subjects`: 1 record(s) added: `stm.s012-heading-provocation / "
        "ent.pakistan`.\n"
        "\nVersion bump required by these changes: **minor**.\n"
    )


def test_a_stale_dist_is_refused(tmp_path: Path) -> None:
    root = build_variant(tmp_path / "p")
    set_version(root, "1.2.0")  # pyproject changed, dist/ not rebuilt
    result = run("release", "--check", "--root", str(root), "--previous", str(DIST))
    assert result.exit_code == 1
    assert "dist/ holds version 1.0.0 but pyproject.toml says 1.2.0" in result.output


def test_without_a_tag_the_previous_release_must_be_named(tmp_path: Path) -> None:
    root = build_variant(tmp_path / "p", version="1.1.0")
    result = run("release", "--check", "--root", str(root))
    assert result.exit_code == 1
    assert "no previous release: no git tag vX.Y.Z below 1.1.0" in result.output


def test_the_previous_release_defaults_to_the_newest_tag_below(tmp_path: Path) -> None:
    import subprocess

    root = build_variant(tmp_path / "p", version="1.0.0")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "1.0.0"], check=True)
    subprocess.run([*git, "tag", "v1.0.0"], check=True)
    set_version(root, "1.0.1")
    edit(root, "events", *DATE)
    assert run("build", "--root", str(root), "--frictionless", "none").exit_code == 0
    result = run("release", "--check", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1.0.0 → 1.0.1: a patch bump; the data change needs a patch")


# --------------------------------------------------------------------------- schema changes


def changed_descriptor(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of dist/ whose descriptor `change` edits (tables read from CSV still parse)."""
    pkg = tmp_path / "pkg"
    shutil.copytree(DIST, pkg)
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    change(descriptor)
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return pkg


def csv_resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def field_of(descriptor: dict[str, Any], table: str, name: str) -> dict[str, Any]:
    fields = csv_resource(descriptor, table)["schema"]["fields"]
    return next(f for f in fields if f["name"] == name)


def test_added_and_removed_tables(tmp_path: Path) -> None:
    def drop_coverage(descriptor: dict[str, Any]) -> None:
        descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "coverage"]

    smaller = changed_descriptor(tmp_path, drop_coverage)
    removed = diff(DIST, smaller)
    assert removed.removed_tables == ["coverage"] and removed.tables == []
    assert removed.required_bump() == ("major", ["removed table coverage"])
    added = diff(smaller, DIST)
    assert added.added_tables == ["coverage"]
    assert added.required_bump() == ("minor", ["added table coverage"])


def test_a_retyped_field_is_major(tmp_path: Path) -> None:
    def retype(descriptor: dict[str, Any]) -> None:
        field_of(descriptor, "events", "evidence_count")["type"] = "string"

    d = diff(DIST, changed_descriptor(tmp_path, retype))
    (events,) = d.tables
    assert events.retyped_fields == [("evidence_count", "integer", "string")]
    assert events.changed == []  # values of a retyped field are not compared
    assert d.required_bump() == (
        "major",
        ["retyped field events.evidence_count (integer → string)"],
    )


def test_changed_categories(tmp_path: Path) -> None:
    def add_one(descriptor: dict[str, Any]) -> None:
        f = field_of(descriptor, "events", "event_type")
        f["categories"] = [*f["categories"], {"value": "briefing", "label": "A briefing."}]
        f["constraints"]["enum"].append("briefing")

    wider = changed_descriptor(tmp_path, add_one)
    d = diff(DIST, wider)
    assert d.tables[0].categories == {"event_type": (["briefing"], [])}
    assert d.required_bump() == ("minor", ["added categories of events.event_type"])
    back = diff(wider, DIST)
    assert back.tables[0].categories == {"event_type": ([], ["briefing"])}
    assert back.required_bump() == ("major", ["removed categories of events.event_type"])
    text = render(back)
    assert "categories of events.event_type: removed 'briefing'" in text


# --------------------------------------------------------------------------- bad input


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_a_package_over_http_against_its_corrected_build(
    three_changes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OLD served on 127.0.0.1 (fetched and verified by the downloader), NEW a folder."""
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)
    handler = functools.partial(Quiet, directory=str(DIST))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/datapackage.json"
        remote = diff(url, three_changes / "dist").to_dict()
    finally:
        server.shutdown()
        server.server_close()
    local = diff(DIST, three_changes / "dist").to_dict()
    assert remote["old"]["target"] == url
    assert {k: v for k, v in remote.items() if k != "old"} == {
        k: v for k, v in local.items() if k != "old"
    }


def test_a_zip_and_its_folder_do_not_differ() -> None:
    d = diff(DIST / "sinopak-1.0.0.zip", DIST / "datapackage.json")
    assert d.empty and d.required_bump() == ("none", [])
    assert render(d).endswith("no differences\n")


def test_different_primary_keys_are_a_clear_error(tmp_path: Path) -> None:
    def rekey(descriptor: dict[str, Any]) -> None:
        csv_resource(descriptor, "events")["schema"]["primaryKey"] = ["label"]

    with pytest.raises(
        DiffError,
        match=r"table events: the primary key changed from "
        r"\['event_id'\] to \['label'\]",
    ):
        diff(DIST, changed_descriptor(tmp_path, rekey))
    result = run("diff", str(DIST), str(changed_descriptor(tmp_path / "b", rekey)))
    assert result.exit_code == 1
    assert result.output.startswith("Error: table events: the primary key changed")


def test_a_folder_that_is_not_a_package_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(PackageError, match=r"is not a data package: no datapackage\.json"):
        diff(tmp_path, DIST)
    result = run("diff", str(DIST), str(tmp_path))
    assert result.exit_code == 1
    assert "is not a data package" in result.output
    bad_zip = tmp_path / "x.zip"
    bad_zip.write_bytes(b"not a zip")
    assert "not a readable zip file" in run("diff", str(bad_zip), str(DIST)).output


def test_release_needs_a_flag() -> None:
    result = run("release", "--root", str(ROOT))
    assert result.exit_code == 2
    assert "give --check, --changelog or both" in result.output


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("0.1.0", "0.1.0", "none"),
        ("0.1.0", "0.1.1", "patch"),
        ("0.1.9", "0.2.0", "minor"),
        ("0.9.3", "1.0.0", "major"),
        ("1.2.3", "1.10.0", "minor"),  # numbers, not strings
    ],
)
def test_bump_between_versions(old: str, new: str, bump: str) -> None:
    from sinopak.pipeline.versioning import bump_between

    assert bump_between(old, new) == bump


def test_versions_that_go_backwards_or_are_not_semver_are_refused() -> None:
    from sinopak.pipeline.versioning import ReleaseError, bump_between, next_version

    with pytest.raises(ReleaseError, match=r"the version goes backwards: 0\.2\.0 → 0\.1\.9"):
        bump_between("0.2.0", "0.1.9")
    with pytest.raises(ReleaseError, match=r"version '1\.0' is not MAJOR\.MINOR\.PATCH"):
        bump_between("1.0", "1.0.1")
    assert [next_version("0.4.2", b) for b in ("major", "minor", "patch", "none")] == [
        "1.0.0",
        "0.5.0",
        "0.4.3",
        "0.4.2",
    ]
