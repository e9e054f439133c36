"""Deterministic segmentation of an article into paragraphs, headings and sentences.

Paragraphs are separated by blank lines. Inside a paragraph, pysbd (a maintained rule-based
segmenter that knows abbreviations such as "Gen.") splits sentences. A paragraph of one line
that does not end in sentence punctuation is a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

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


def segment(document_id: str, text: str, body_start: int) -> list[Segment]:
    """Split `text[body_start:]` into sentences with offsets into `text`."""
    import pysbd  # lazy: only the build segments text

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
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
