"""Deterministic segmentation of an article into paragraphs, headings and sentences.

Paragraphs are separated by blank lines. Inside a paragraph, pysbd (a maintained rule-based
segmenter that knows abbreviations such as "Gen.") splits sentences. A paragraph of one line
that does not end in sentence punctuation is a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n[^\n]+)*")
END_PUNCT = (".", "!", "?", '"', "”", "’", "'", ")")


@dataclass(frozen=True)
class Segment:
    sentence_id: str
    document_id: str
    paragraph: int
    position: int
    kind: Literal["sentence", "heading"]
    start: int
    end: int
    text: str


def sentence_id(document_id: str, position: int) -> str:
    return f"{document_id}.s{position:03d}"


def find_spans(text: str, sentences: list[str]) -> list[tuple[str, int, int]]:
    """(sentence with its trailing whitespace, start, end) of each sentence in `text`, found as
    pysbd 0.3.4's `sentences_with_char_spans` finds them (the first occurrence of the sentence
    and the whitespace after it that ends after the previous span), with `str.find` instead of
    one regular expression compiled per sentence (a third of the segmentation time)."""
    spans: list[tuple[str, int, int]] = []
    prior_end = 0
    size = len(text)
    for sent in sentences:
        pos = 0
        while (start := text.find(sent, pos)) >= 0:
            end = start + len(sent)
            while end < size and text[end].isspace():  # the regex's \s* (str.isspace)
                end += 1
            if end > prior_end:
                spans.append((text[start:end], start, end))
                prior_end = end
                break
            pos = end if end > start else start + 1  # as finditer steps past an empty match
    return spans


# Characters that match an ASCII letter when case is ignored (re.IGNORECASE) although their
# lower() is not that letter; tests/test_abbreviations.py finds them again from every code
# point. A line holding one is searched for abbreviations the library's own way.
UNEVEN_CASE = frozenset("\u0130\u0131\u017f\u212a")
Abbreviation = tuple[str, str | None, re.Pattern[str], re.Pattern[str]]


@cache
def _abbreviations(lang: Any) -> tuple[Abbreviation, ...]:
    """Each of pysbd's abbreviations with what `search_for_abbreviations` needs of it: " abbr"
    when it has no period, and the two patterns pysbd 0.3.4 makes of it for every line."""
    out = []
    for abbr in lang.Abbreviation.ABBREVIATIONS:
        stripped = abbr.strip()
        out.append(
            (
                stripped,
                None if "." in stripped else " " + stripped,
                re.compile(rf"(?:^|\s|\r|\n){stripped}", re.IGNORECASE),
                re.compile(r"(?<={" + re.escape(stripped) + "} ).{1}"),
            )
        )
    return tuple(out)


def search_for_abbreviations(replacer: Any, text: str) -> str:
    """pysbd 0.3.4's `AbbreviationReplacer.search_for_abbreviations_in_string`, the same
    replacements in the same order, without the search (a quarter of the segmentation time)
    for an abbreviation that cannot be found in `text`.

    pysbd looks for every abbreviation contained in the line, lower-cased, at the start of
    the line or after a space: "al" of "also", for one. An abbreviation without a period can
    be found only if some word of the line starts with it: that is what "words" tells, in one
    substring test. Its replacements change "." into "∯" only, which changes no match. A line
    whose case does not lower evenly (UNEVEN_CASE) is searched as pysbd searches it."""
    lowered = text.lower()
    words = None if UNEVEN_CASE.intersection(text) else " " + " ".join(lowered.split())
    for stripped, spaced, at_word_start, next_word_start in _abbreviations(replacer.lang):
        if stripped not in lowered:
            continue
        if words is not None and spaced is not None and spaced not in words:
            continue
        abbrev_match = at_word_start.findall(text)
        if not abbrev_match:
            continue
        char_array = next_word_start.findall(text)
        for ind, match in enumerate(abbrev_match):
            text = replacer.scan_for_replacements(text, match, ind, char_array)
    return text


@cache
def _segmenter() -> Any:
    """pysbd's segmenter, with its character spans found by `find_spans` and its abbreviations
    by `search_for_abbreviations`."""
    import pysbd  # lazy: only the build segments text
    from pysbd.lang.english import English
    from pysbd.utils import TextSpan

    class Replacer(English.AbbreviationReplacer):  # type: ignore[misc]
        def search_for_abbreviations_in_string(self, text: str) -> str:
            return search_for_abbreviations(self, text)

    class Language(English):  # type: ignore[misc]
        AbbreviationReplacer = Replacer

    class Segmenter(pysbd.Segmenter):  # type: ignore[misc]
        def sentences_with_char_spans(self, sentences: list[str]) -> list[Any]:
            return [TextSpan(*span) for span in find_spans(self.original_text, sentences)]

    segmenter = Segmenter(language="en", clean=False, char_span=True)
    segmenter.language_module = Language
    return segmenter


def segment(document_id: str, text: str, body_start: int) -> list[Segment]:
    """Split `text[body_start:]` into sentences with offsets into `text`."""
    segmenter = _segmenter()
    out: list[Segment] = []
    paragraph = 0
    for para in PARAGRAPH_RE.finditer(text, body_start):
        paragraph += 1
        ptext = para.group()
        spans = segmenter.segment(ptext)
        is_heading = "\n" not in ptext and not ptext.rstrip().endswith(END_PUNCT)
        for span in spans:
            raw = span.sent
            start = para.start() + span.start
            if text[start : start + len(raw)] != raw:  # pysbd must not alter text
                raise AssertionError(f"segmenter changed text at offset {start}")
            stripped = raw.strip()
            start += len(raw) - len(raw.lstrip())
            end = start + len(stripped)
            if not stripped:
                continue
            position = len(out) + 1
            out.append(
                Segment(
                    sentence_id(document_id, position),
                    document_id,
                    paragraph,
                    position,
                    "heading" if is_heading else "sentence",
                    start,
                    end,
                    text[start:end],
                )
            )
    return out
