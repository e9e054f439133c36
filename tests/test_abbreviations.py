"""The segmenter's abbreviation search (`segment.search_for_abbreviations`) gives what pysbd's
own gives, line by line and sentence by sentence."""

from __future__ import annotations

import random
import re

import pysbd
import pytest
from conftest import ROOT
from pysbd.lang.english import English

from sinopak.pipeline import segment

ABBREVIATIONS = [a.strip() for a in English.Abbreviation.ABBREVIATIONS]
# letters, cases, spaces (also non-breaking and em spaces), periods and the "∯" pysbd puts in
# their place, and the characters whose case does not lower evenly
ALPHABET = [
    *"abcdefgiklmnopqrstuvxyz ABCDEFGKLMNOPRSTUVW.,:;-()'\"\n\t\u00a0\u2003∯é’",
    *sorted(segment.UNEVEN_CASE),
]

# what pysbd's patterns also find for a period ("." finds any character) or a letter
TWINS = {".": ".∯", "s": "sſS", "k": "k\u212aK", "i": "iıİI"}


def _lines(count: int) -> list[str]:
    """Seeded random lines dense in abbreviations, at word starts and inside words."""
    rnd = random.Random(13)
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rnd.randint(1, 12)):
            r = rnd.random()
            if r < 0.45:
                abbr = rnd.choice(ABBREVIATIONS)
                abbr = abbr.upper() if r < 0.1 else abbr.capitalize() if r < 0.2 else abbr
                parts.append(abbr + rnd.choice([".", ". ", "", " ", ".\n", ". X", "∯ ", "s"]))
            elif r < 0.6:  # at a word start only as "." and re.IGNORECASE find it; as it is inside
                abbr = rnd.choice(ABBREVIATIONS)
                twin = "".join(rnd.choice(TWINS.get(c, c)) for c in abbr)
                parts.append(f"{twin}. x{abbr}.")
            else:
                parts.append("".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 8))))
        out.append(rnd.choice(["", " ", "\n", "\u00a0"]).join(parts))
    return out


def _seed_paragraphs() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    return [p for t in texts for p in t.split("\n\n") if p.strip()]


def test_uneven_case_is_every_such_character() -> None:
    letter = re.compile("[a-z]", re.IGNORECASE)
    found = set()
    for point in range(0x80, 0x110000):
        char = chr(point)
        lowered = char.lower()
        odd_space = any(c.isspace() for c in lowered) != char.isspace()
        if letter.fullmatch(char) or any(c.isascii() for c in lowered) or odd_space:
            found.add(char)
    assert found == segment.UNEVEN_CASE


def test_lines_are_searched_as_pysbd_searches_them() -> None:
    lines = [ln for p in _seed_paragraphs() for ln in p.splitlines(True)] + _lines(6_000)
    theirs = English.AbbreviationReplacer("", English)
    ours = segment._segmenter().language_module.AbbreviationReplacer("", English)
    changed = 0
    for line in lines:
        expected = theirs.search_for_abbreviations_in_string(line)
        assert ours.search_for_abbreviations_in_string(line) == expected, repr(line)
        changed += expected != line
    assert changed > 1_200  # the lines exercise the replacements, not only the skipping


@pytest.mark.parametrize("source", ["seeds", "random"])
def test_sentences_are_pysbd_s(source: str) -> None:
    paragraphs = _seed_paragraphs() if source == "seeds" else _lines(2_000)
    theirs = pysbd.Segmenter(language="en", clean=False, char_span=True)
    ours = segment._segmenter()
    for paragraph in paragraphs:
        expected = [(s.sent, s.start, s.end) for s in theirs.segment(paragraph)]
        assert [(s.sent, s.start, s.end) for s in ours.segment(paragraph)] == expected
