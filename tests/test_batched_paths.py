"""The batched fast paths of the build give exactly what the record-by-record paths give."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

from sinopak.errors import SeedError
from sinopak.pipeline import safe_yaml, seeds
from sinopak.schema.models import KINDS
from sinopak.schema.tables import TABLES


def test_records_validated_as_lists_equal_records_validated_one_by_one() -> None:
    loaded = seeds.load_records(ROOT / "seeds")
    assert loaded
    raw: dict[str, Any] = {}
    for item in loaded:
        assert item.located.value is None  # dropped once the models are made; lines kept
        assert item.line_of() is not None
        if item.file not in raw:
            raw[item.file] = safe_yaml.load_yaml(ROOT / item.file, item.file).value
        record = raw[item.file][item.path[0]][item.path[1]]
        assert KINDS[item.kind].model_validate(record) == item.model


def test_a_bad_record_in_a_list_is_still_located(tmp_path: Path) -> None:
    source = next((ROOT / "seeds" / "records").rglob("*.yaml"))
    kind, items = next((k, v) for k, v in yaml.safe_load(source.read_text()).items() if len(v) >= 2)
    good, bad = dict(items[0]), dict(items[1])
    field = next(k for k, v in bad.items() if isinstance(v, str) and k != "note")
    bad[field] = 12345
    root = tmp_path / "seeds"
    (root / "records").mkdir(parents=True)
    (root / "records" / "x.yaml").write_text(
        yaml.safe_dump({kind: [good, bad]}, sort_keys=False), encoding="utf-8"
    )
    try:
        seeds.load_records(root)
    except seeds.SeedErrors as exc:
        problems = [str(e) for e in exc.errors]
    else:
        raise AssertionError("a bad record was accepted")
    assert len(problems) == 1 and f"field {field}" in problems[0], problems
    assert "records/x.yaml" in problems[0]


def test_plain_strings_read_as_the_safe_constructor_reads_them(tmp_path: Path) -> None:
    text = (
        "a: plain\nb: 'quoted: yes'\nc: \"esc\\u00e9\"\nd: >-\n  folded\n  text\n"
        "e: 12\nf: true\ng: 2020-01-02\nh: null\ni: '12'\nj: ~\n"
    )
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert safe_yaml.load_yaml(path, "x.yaml").value == yaml.safe_load(text)


def test_table_columns_are_derived_once_and_immutable() -> None:
    table = next(iter(TABLES.values()))
    assert isinstance(table.columns, tuple) and table.columns is table.columns
    assert table.column_names == tuple(c.name for c in table.columns)
    assert table.column_names is table.column_names  # cached


def test_the_corpus_releases_its_records_after_the_rows_are_made() -> None:
    from sinopak.pipeline.checks import check
    from sinopak.pipeline.corpus import load_corpus
    from sinopak.pipeline.rows import build_rows

    corpus = load_corpus(ROOT / "seeds")
    errors, dating = check(corpus)
    assert not errors
    build_rows(corpus, dating)
    records, docs = list(corpus.records), corpus.documents
    assert records[0].line_of() is not None and docs[0].line_of("file") is not None
    assert len(docs[0].sentences) == 20
    corpus.release_records()
    assert all(r.located.value is None and r.located.lines == {} for r in records)
    assert records[0].line_of() is None and docs[0].line_of("file") is None
    assert corpus.records == [] and all(d.sentences == [] for d in docs)
    # what the files after the rows read is kept (the build's "no changes" tests show the
    # rest of the package never needed what was dropped)
    assert [d.seed.document_id for d in docs][:1] == ["d3da3a035377400c"]
    assert docs[0].source.text.startswith(" date 2020-12-11 China and Pakistan")


def test_lines_found_again_are_the_lines_read_at_once(tmp_path: Path) -> None:
    for path in sorted((ROOT / "seeds" / "records").rglob("*.yaml"))[:5]:
        eager = safe_yaml.load_yaml(path, path.name)
        lazy = safe_yaml.load_yaml(path, path.name, lines=False)
        assert lazy.value == eager.value and lazy.lines == {}  # nothing kept until asked
        assert len(eager.lines) > 10
        for where, line in eager.lines.items():
            assert lazy.line(where) == line
    changed = tmp_path / "x.yaml"
    changed.write_text("events:\n- event_id: evt.a\n  label: A\n", encoding="utf-8")
    lazy = safe_yaml.load_yaml(changed, "x.yaml", lines=False)
    changed.write_text("\n\nevents:\n- event_id: evt.a\n  label: A\n", encoding="utf-8")
    assert lazy.line(("events", 0, "label")) is None  # never a line of another text
    lazy = safe_yaml.load_yaml(changed, "x.yaml", lines=False)
    assert lazy.line(("events", 0, "label")) == 5
    lazy.release()
    assert lazy.line(("events", 0, "label")) is None  # released: not read again


def test_yaml_is_read_as_bytes_hashed_and_decoded_as_read_text_decodes(tmp_path: Path) -> None:
    lf = "events:\n- event_id: evt.a\n  label: A\n"
    for data in (lf.encode(), lf.replace("\n", "\r\n").encode(), lf.replace("\n", "\r").encode()):
        path = tmp_path / "x.yaml"
        path.write_bytes(data)
        eager = safe_yaml.load_yaml(path, "x.yaml")
        lazy = safe_yaml.load_yaml(path, "x.yaml", lines=False)
        assert eager.sha256 == lazy.sha256 == hashlib.sha256(data).hexdigest()
        assert eager.value == lazy.value == yaml.safe_load(path.read_text(encoding="utf-8"))
        assert eager.line(("events", 0, "label")) == lazy.line(("events", 0, "label")) == 3
    path.write_bytes("events: [caf\u00e9]\n".encode("latin-1"))
    with pytest.raises(SeedError) as caught:
        safe_yaml.load_yaml(path, "x.yaml")
    assert (caught.value.file, caught.value.message) == ("x.yaml", "not valid UTF-8 at byte 12")


def test_the_corpus_keeps_the_digest_of_every_seed_file_it_read() -> None:
    from sinopak.pipeline.corpus import load_corpus

    corpus = load_corpus(ROOT / "seeds")
    records = sorted((ROOT / "seeds" / "records").rglob("*.yaml"))
    sources = [ROOT / "seeds" / d.seed.file for d in corpus.documents]
    metadata = [ROOT / "seeds" / "package.yaml", ROOT / "seeds" / "documents.yaml"]
    assert len(records) > 5 and len(sources) > 1
    assert corpus.read == {
        p.relative_to(ROOT / "seeds").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in [*metadata, *sources, *records]
    }


def test_a_yaml_path_that_cannot_be_read_is_a_seed_error(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").mkdir()  # a folder named like a record file
    with pytest.raises(SeedError) as caught:
        safe_yaml.load_yaml(tmp_path / "x.yaml", "seeds/records/x.yaml")
    assert (caught.value.file, caught.value.message) == (
        "seeds/records/x.yaml",
        "cannot read: Is a directory",
    )
