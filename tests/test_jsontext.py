"""orjson writes the same bytes as json.dumps(ensure_ascii=False, indent=2) plus a newline."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import ROOT

from sinopak.pipeline.jsontext import json_bytes, json_text


def reference(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("name", ["datapackage.json", "croissant.json", "annotations.jsonld"])
def test_published_json_files_are_json_text_of_their_contents(name: str) -> None:
    text = (ROOT / "dist" / name).read_text(encoding="utf-8")
    doc = json.loads(text)
    assert json_text(doc) == reference(doc) == text
    assert json_bytes(doc) == (ROOT / "dist" / name).read_bytes()


def test_escapes_empty_containers_and_numbers_match_the_standard_library() -> None:
    doc = {
        "text": '\u2028\u2029\x7f\x00\x1f"\\/é中😀',
        "empty": [[], {}],
        "numbers": [0, -2, 2**62, 1.5],
        "other": [None, True, False],
    }
    assert json_text(doc) == reference(doc)
