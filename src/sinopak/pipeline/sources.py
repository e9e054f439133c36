"""The source articles: byte-exact files pinned by sha256, with a leading metadata line."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError

# The file may open with `date YYYY-MM-DD` (after optional whitespace), on the same line as the
# first sentence. It is metadata, not text of the document: published on or before that date.
METADATA_RE = re.compile(r"\A\s*date (\d{4}-\d{2}-\d{2})\s+")


@dataclass(frozen=True)
class SourceText:
    """One source article as published: exact text, hash and parsed metadata."""

    document_id: str
    path: Path
    text: str
    sha256: str
    metadata_date: dt.date | None  # None when the file has no metadata line
    metadata_end: int  # code-point offset where the document's text starts (0 without one)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: Path, document_id: str, expected_sha256: str) -> SourceText:
    """Read a source file, refusing it if its bytes do not match the recorded hash."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read source article: {exc.strerror}") from None
    digest = sha256_bytes(data)
    if digest != expected_sha256:
        raise SourceError(
            f"{path}: source article changed: expected sha256 {expected_sha256}, "
            f"found {digest}. Restore the original bytes, or add the new text as a new document."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not valid UTF-8 at byte {exc.start}") from None
    match = METADATA_RE.match(text)
    if not match:
        return SourceText(document_id, path, text, digest, None, 0)
    try:
        date = dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise SourceError(f"{path}:1: invalid date {match.group(1)!r} in metadata line") from None
    return SourceText(document_id, path, text, digest, date, match.end())
