"""The checks and rows the build makes while the sources are segmented need no sentence:
made before the sentences exist, they are what they are after."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from conftest import ROOT
from test_seed_errors import RECORDS, build_fails, mutate

from sinopak.pipeline.checks import check, check_records
from sinopak.pipeline.corpus import add_sentences, load_corpus, read_corpus, segmenting
from sinopak.pipeline.rows import FROM_SENTENCES, build_rows, record_rows, sentence_rows


def _errors(errors: Sequence[object]) -> list[str]:
    return [str(e) for e in errors]


def test_checks_and_rows_ahead_of_the_sentences_equal_those_after() -> None:
    corpus = read_corpus(ROOT / "seeds")
    assert all(d.sentences == [] for d in corpus.documents)
    early = check_records(corpus)
    ahead = record_rows(corpus, early.dating)
    add_sentences(corpus, segmenting(corpus))
    full = load_corpus(ROOT / "seeds")  # read afresh: nothing carried over from above
    errors, dating = check(full)
    assert errors == [] and early.ids == early.references == early.reports == early.dates == []
    # the dates are compared through the rows, which hold every column made of them
    assert early.dating.events.keys() == dating.events.keys()
    assert early.dating.claims.keys() == dating.claims.keys()
    rows = build_rows(full, dating)
    assert set(ahead) == set(rows) - set(FROM_SENTENCES)
    assert sum(len(v) for v in ahead.values()) > 100
    for name, table in ahead.items():
        assert table == rows[name], name
    assert build_rows(corpus, dating, ahead) == rows
    # the tables made of the sentences, before the evidence is checked: what they are after
    more = sentence_rows(corpus)
    assert list(more) == list(FROM_SENTENCES) and all(more.values())
    for name, table in more.items():
        assert table == rows[name], name
    assert build_rows(corpus, dating, {**ahead, **more}) == rows


def test_errors_found_ahead_are_those_found_after(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    project = tmp_path
    mutate(project, f"{RECORDS}/posts.yaml", "person_id: ent.wei-fenghe", "person_id: ent.nobody")
    mutate(
        project,
        f"{RECORDS}/posts.yaml",
        "post_id: post.bajwa-army-chief",
        "post_id: post.xu-qiliang-cmc-vice-chairman",
    )
    mutate(project, f"{RECORDS}/posts.yaml", "start: 156, end: 195", "start: 157, end: 195")
    corpus = read_corpus(seeds)
    early = check_records(corpus)
    add_sentences(corpus, segmenting(corpus))
    ahead, _ = check(corpus, early)
    after, _ = check(load_corpus(seeds))
    assert _errors(ahead) == _errors(after)
    text = "\n".join(_errors(after))
    # the order of the checks: ids, references, then the evidence
    assert text.index("duplicate") < text.index("ent.nobody") < text.index("quote does not")


def test_a_record_that_breaks_its_rows_ahead_gets_the_evidence_error(project: Path) -> None:
    # a post's as-of date is its document's: a sentence of no document breaks the row made
    # ahead, and the build reports what the evidence check finds, as it did before
    line = mutate(
        project,
        f"{RECORDS}/posts.yaml",
        "{sentence_id: d3da3a035377400c.s002, start: 156",
        "{sentence_id: 0000000000000000.s002, start: 156",
    )
    build_fails(
        project,
        f"{RECORDS}/posts.yaml:{line}: record post.wei-fenghe-defence-minister: "
        "field evidence.0.sentence_id:",
    )
