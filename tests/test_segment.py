"""Sentence segmentation: stable ids and offsets, and the article's traps pinned."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest
from conftest import DOC, ROOT, SOURCE

from sinopak.pipeline.segment import segment
from sinopak.pipeline.sources import METADATA_RE


@pytest.fixture(scope="module")
def sentences() -> list:
    text = SOURCE.read_text(encoding="utf-8")
    match = METADATA_RE.match(text)
    assert match is not None
    return segment(DOC, text, match.end())


def by_id(sentences: list, n: int):
    return next(s for s in sentences if s.sentence_id == f"{DOC}.s{n:03d}")


def test_count_ids_and_offsets(sentences: list) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    assert len(sentences) == 20
    assert [s.position for s in sentences] == list(range(1, 21))
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    assert (sentences[0].start, sentences[0].end) == (17, 154)
    assert (sentences[-1].start, sentences[-1].end) == (3147, 3387)


def test_metadata_line_is_not_a_sentence(sentences: list) -> None:
    assert not any("date 2020-12-11" in s.text for s in sentences)
    assert sentences[0].text.startswith("China and Pakistan have signed")


def test_gen_wei_does_not_split(sentences: list) -> None:
    s = by_id(sentences, 9)
    assert s.text.startswith("Gen. Wei also discussed on-going projects")
    assert s.text.endswith("an increasingly prominent role.")


def test_gen_purna_chandra_thapa_does_not_split(sentences: list) -> None:
    s = by_id(sentences, 11)
    assert "Nepal Army chief Gen. Purna Chandra Thapa on ways" in s.text
    assert s.text.startswith("He also held talks")


def test_quote_followed_by_attribution_is_one_sentence(sentences: list) -> None:
    s = by_id(sentences, 8)
    assert s.text.startswith("He called on both countries")
    assert s.text.endswith("regional peace and stability,” Chinese State media reported.")


def test_heading_is_separate(sentences: list) -> None:
    heading = by_id(sentences, 12)
    assert heading.text == "China's provocation"
    assert heading.kind == "heading"
    assert by_id(sentences, 13).text.startswith("A batch of Chinese air force personnel")
    assert [s.sentence_id[-3:] for s in sentences if s.kind == "heading"] == ["012"]


def test_paragraphs(sentences: list) -> None:
    assert [s.paragraph for s in sentences] == [
        1,
        2,
        3,
        4,
        5,
        5,
        6,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
        12,
        13,
        13,
        13,
        13,
        14,
    ]


SEGMENT_IN_A_FRESH_PROCESS = """
import json, sys
from sinopak.pipeline.segment import segment
from sinopak.pipeline.sources import METADATA_RE
text = open(sys.argv[1], encoding="utf-8").read()
out = segment(sys.argv[2], text, METADATA_RE.match(text).end())
print(json.dumps([[s.sentence_id, s.paragraph, s.kind, s.start, s.end] for s in out]))
"""


def test_segmentation_is_deterministic(sentences: list) -> None:
    """Other processes (other hash seeds) cut the same sentences, and so did the build that
    published dist/: ids, paragraphs, kinds and offsets all agree."""
    here = [[s.sentence_id, s.paragraph, s.kind, s.start, s.end] for s in sentences]
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", SEGMENT_IN_A_FRESH_PROCESS, str(SOURCE), DOC],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        assert json.loads(out.stdout) == here
    with (ROOT / "dist" / "csv" / "sentences.csv").open(encoding="utf-8", newline="") as fh:
        published = [
            [r["sentence_id"], int(r["paragraph"]), r["kind"], int(r["start"]), int(r["end"])]
            for r in csv.DictReader(fh)
            if r["document_id"] == DOC
        ]
    assert published == here
    assert len(here) == 20
