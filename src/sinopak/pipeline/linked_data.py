"""Write the package's linked-data descriptions: Croissant 1.1 and W3C Web Annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import croissant, web_annotations
from .jsontext import json_bytes


def dump(doc: dict[str, Any]) -> bytes:
    """Deterministic UTF-8 JSON: keys in insertion order, two-space indent, final newline."""
    return json_bytes(doc)


def write_linked_data(
    pkg: Path,
    descriptor: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    texts: dict[str, str],
) -> None:
    """dist/croissant.json and dist/annotations.jsonld, from the descriptor and the rows."""
    (pkg / croissant.FILE_NAME).write_bytes(dump(croissant.croissant(descriptor, rows)))
    with (pkg / web_annotations.FILE_NAME).open("wb") as out:
        web_annotations.write_annotations(out, descriptor, rows, texts)
