"""Sentence spans found with str.find are exactly the spans pysbd finds with its regexes."""

from __future__ import annotations

import pysbd
import pytest
from conftest import ROOT

from sinopak.pipeline.segment import PARAGRAPH_RE, find_spans

PYSBD = pysbd.Segmenter(language="en", clean=False, char_span=True)


def pysbd_spans(text: str, sentences: list[str]) -> list[tuple[str, int, int]]:
    PYSBD.original_text = text
    return [(s.sent, s.start, s.end) for s in PYSBD.sentences_with_char_spans(sentences)]


def paragraphs() -> list[str]:
    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out += [m.group() for m in PARAGRAPH_RE.finditer(text)]
    return out


def test_every_paragraph_of_the_seeds_gets_pysbds_spans() -> None:
    paras = paragraphs()
    assert len(paras) > 50
    for para in paras:
        sentences = PYSBD.processor(para).process()
        assert find_spans(para, sentences) == pysbd_spans(para, sentences)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Yes. Yes. Yes.", ["Yes.", "Yes.", "Yes."]),  # repeated: each after the last
        ("A b.  \n\tC d.\u00a0 E.", ["A b.", "C d.", "E."]),  # unicode whitespace is \\s
        ("One. Two.", ["Two.", "One."]),  # out of order: the second is not found again
        ("abc", ["", "abc", ""]),  # empty sentences step past empty matches
        ("x", ["missing", "x"]),
        ("", []),
    ],
)
def test_edge_cases_match_pysbd(text: str, sentences: list[str]) -> None:
    assert find_spans(text, sentences) == pysbd_spans(text, sentences)
