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
from typing import Any

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
    """Fill offsets in one YAML file; return the number of spans anchored. Only the anchored
    lines change; the file is written only if it still parses to the same data apart from
    the new offsets (checked, not assumed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SeedError(f"expected UTF-8 text, found {exc.reason}", file=display) from None
    lines = text.splitlines(keepends=True)
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
        new = _anchored(span, corpus, display, n)
        lines[n - 1] = f"{match.group('indent')}{flow_mapping(new)}\n"
        if yaml.safe_load(flow_mapping(new)) != new:  # the emitter below must round-trip
            raise SeedError("cannot write this span back unchanged", file=display, line=n)
        count += 1
    if count:
        _check_only_offsets_changed(text, "".join(lines), display)
        path.write_text("".join(lines), encoding="utf-8")
    return count


def _anchored(span: dict[Any, Any], corpus: Corpus, display: str, n: int) -> dict[Any, Any]:
    """The span with `start` and `end` (and without `occurrence`), or a located SeedError."""
    sid, quote = span.get("sentence_id"), span["quote"]
    if not isinstance(sid, str) or sid not in corpus.sentences:
        raise SeedError(f"unknown sentence {sid!r}", file=display, line=n, field="sentence_id")
    if not isinstance(quote, str) or not quote:
        raise SeedError(
            f"expected the quote as non-empty text, found {quote!r}",
            file=display,
            line=n,
            field="quote",
        )
    _, sent = corpus.sentences[sid]
    hits = [m.start() for m in re.finditer(_pattern(quote), sent.text)]
    if not hits:
        raise SeedError(
            f"quote {quote!r} is not in sentence {sid}: {sent.text!r}",
            file=display,
            line=n,
            field="quote",
        )
    occurrence = span.get("occurrence")
    if occurrence is None and len(hits) > 1:
        raise SeedError(
            f"quote {quote!r} occurs {len(hits)} times in {sid}; add occurrence: N",
            file=display,
            line=n,
            field="quote",
        )
    if occurrence is not None and (
        isinstance(occurrence, bool)
        or not isinstance(occurrence, int)
        or not 1 <= occurrence <= len(hits)
    ):
        raise SeedError(
            f"expected occurrence to be a whole number from 1 to {len(hits)} (the quote "
            f"occurs {len(hits)} time(s) in {sid}), found {occurrence!r}",
            file=display,
            line=n,
            field="occurrence",
        )
    start = sent.start + hits[(occurrence or 1) - 1]
    rest = {k: v for k, v in span.items() if k not in ("sentence_id", "quote", "occurrence")}
    return {"sentence_id": sid, "start": start, "end": start + len(quote), "quote": quote, **rest}


def flow_mapping(data: dict[Any, Any]) -> str:
    """A one-line YAML flow mapping of `data`. Keys and values are written as JSON (every JSON
    value is YAML) unless they are plain words that YAML reads back as the same string."""
    return "{" + ", ".join(f"{_scalar(k)}: {_scalar(v)}" for k, v in data.items()) + "}"


PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-/#]*")


def _scalar(value: Any) -> str:
    if isinstance(value, str) and PLAIN.fullmatch(value) and yaml.safe_load(value) == value:
        return value  # e.g. d3da3a035377400c.s002, support: not null, true, 1e3 or "a, b: c"
    return json.dumps(value, ensure_ascii=False)


def _check_only_offsets_changed(before: str, after: str, display: str) -> None:
    """The file parses to the same data apart from added offsets and removed occurrences (when
    it parsed before)."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            keys = ("start", "end", "occurrence") if "quote" in node else ()
            return {k: strip(v) for k, v in node.items() if k not in keys}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    try:
        old = yaml.safe_load(before)
    except yaml.YAMLError:
        return  # a file being written: each changed line was checked on its own
    try:
        same = strip(old) == strip(yaml.safe_load(after))
    except yaml.YAMLError:
        same = False
    if not same:
        raise SeedError(
            "anchoring would change more than the offsets; file left as is", file=display
        )
