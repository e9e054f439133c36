"""The source article: pinned by hash, metadata line parsed, not a sentence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import DOC, ROOT, SOURCE, run, tree_digest

from sinopak.errors import SourceError
from sinopak.pipeline.sources import read_source

SHA = "f373c3ee4b22a06333590173080f3ad3081dc79378bea815207bdd78b03310c9"


def test_source_hash_and_metadata() -> None:
    src = read_source(SOURCE, DOC, SHA)
    assert src.sha256 == SHA
    assert src.metadata_date == dt.date(2020, 12, 11)
    assert src.metadata_end == 17
    assert src.text[: src.metadata_end] == " date 2020-12-11 "
    assert src.text[src.metadata_end :].startswith("China and Pakistan have signed")
    assert len(src.text) == 3387


def test_changed_source_is_refused(tmp_path: Path) -> None:
    changed = tmp_path / SOURCE.name
    changed.write_bytes(SOURCE.read_bytes().replace(b"Monday", b"Sunday", 1))
    with pytest.raises(SourceError, match="source article changed: expected sha256 f373c3"):
        read_source(changed, DOC, SHA)


def test_a_source_without_a_metadata_line_starts_at_its_first_character(tmp_path: Path) -> None:
    plain = tmp_path / "x.txt"
    plain.write_bytes(b"KATHMANDU, NOVEMBER 29\n\nChina and Pakistan")
    import hashlib

    src = read_source(plain, "x", hashlib.sha256(plain.read_bytes()).hexdigest())
    assert (src.metadata_date, src.metadata_end) == (None, 0)


def test_build_refuses_changed_source_and_leaves_dist(project: Path) -> None:
    before = tree_digest(project / "dist")
    src = project / "seeds" / SOURCE.name
    src.write_bytes(src.read_bytes() + b" ")
    result = run("build", "--root", str(project))
    assert result.exit_code == 1
    assert "source article changed" in result.output
    assert "Traceback" not in result.output
    assert tree_digest(project / "dist") == before


def test_published_sources_are_the_seed_files_byte_for_byte() -> None:
    # the committed dist/, which test_build's test_committed_dist_is_up_to_date rebuilds with
    # the code under test and compares: together they cover the code that writes the sources
    import hashlib
    import json

    descriptor = json.loads((ROOT / "dist" / "datapackage.json").read_bytes())
    sources = [r for r in descriptor["resources"] if r["name"].startswith("source-")]
    assert sources
    for res in sources:
        published = (ROOT / "dist" / res["path"]).read_bytes()
        assert published == (ROOT / "seeds" / res["path"].removeprefix("sources/")).read_bytes()
        assert res["hash"] == "sha256:" + hashlib.sha256(published).hexdigest()
        assert res["bytes"] == len(published)
