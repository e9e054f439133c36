"""Curator helper: fill in evidence offsets.

A curator writes an evidence span as a one-line flow mapping without offsets::

    - {sentence_id: d3da3a035377400c.s002, quote: "held talks"}

and `sinopak anchor FILE` rewrites the line with `start` and `end` found in the cited sentence.
A quote that occurs more than once in its sentence needs `occurrence: N` (1-based). Lines that
already have offsets are left alone; the build still verifies every one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from ..errors import SeedError
from .corpus import Corpus, load_corpus_texts

LINE_RE = re.compile(r"^(?P<indent>\s*-\s*)(?P<body>\{.*\})\s*$")


def _pattern(quote: str) -> str:
    """The quote as a regex that does not match inside a longer word ('it' in 'military')."""
    head = r"(?<!\w)" if quote[:1].isalnum() else ""
    tail = r"(?!\w)" if quote[-1:].isalnum() else ""
    return head + re.escape(quote) + tail


def anchor_files(seeds: Path, files: Iterable[Path]) -> Iterator[tuple[Path, int]]:
    """Fill offsets in each file, against the sources registered in `seeds`; yield each file
    with the number of spans anchored."""
    corpus = load_corpus_texts(seeds)
    for path in files:
        yield path, anchor_file(path, corpus, str(path))


def anchor_file(path: Path, corpus: Corpus, display: str) -> int:
    """Fill offsets in one YAML file; return the number of spans anchored."""
    sentences = corpus.sentences
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    count = 0
    for n, line in enumerate(lines, start=1):
        match = LINE_RE.match(line)
        if not match:
            continue
        try:
            span = yaml.safe_load(match.group("body"))
        except yaml.YAMLError:
            continue
        if not isinstance(span, dict) or "quote" not in span or "start" in span:
            continue
        sid, quote = span.get("sentence_id"), span["quote"]
        if sid not in sentences:
            raise SeedError(f"unknown sentence {sid!r}", file=display, line=n, field="sentence_id")
        _, sent = sentences[sid]
        hits = [m.start() for m in re.finditer(_pattern(quote), sent.text)]
        occurrence = span.pop("occurrence", None)
        if not hits:
            raise SeedError(
                f"quote {quote!r} is not in sentence {sid}: {sent.text!r}",
                file=display,
                line=n,
                field="quote",
            )
        if len(hits) > 1 and occurrence is None:
            raise SeedError(
                f"quote {quote!r} occurs {len(hits)} times in {sid}; add occurrence: N",
                file=display,
                line=n,
                field="quote",
            )
        start = sent.start + hits[(occurrence or 1) - 1]
        parts = [
            f"sentence_id: {sid}",
            f"start: {start}",
            f"end: {start + len(quote)}",
            f"quote: {json.dumps(quote, ensure_ascii=False)}",
        ]
        parts += [f"{k}: {v}" for k, v in span.items() if k not in ("sentence_id", "quote")]
        lines[n - 1] = f"{match.group('indent')}{{{', '.join(parts)}}}\n"
        count += 1
    if count:
        path.write_text("".join(lines), encoding="utf-8")
    return count
