"""`layout.relative_path`: the one rule for a path inside a package (resources, SHA256SUMS
lines, zip members)."""

from __future__ import annotations

import random

from sinopak.layout import relative_path


def _unportable(text: str) -> bool:
    """The rule as first written: a C0 or C1 control character, DEL, or a lone surrogate."""
    return any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF for c in text)


def test_control_characters_and_lone_surrogates_are_refused_wherever_they_are() -> None:
    rng = random.Random(5)
    alphabet = "ab/._-~ é\x00\x1f\x7f\x80\x9f\xa0\ud800\udbff\udc00\udfff\ue000\u2028"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(50000)]
    texts = [t for t in texts if not t.startswith(("/", "~")) and ".." not in t]
    refused = [t for t in texts if _unportable(t)]
    assert len(refused) > 10000 and len(texts) - len(refused) > 1000  # both kinds met
    for text in texts:
        assert (relative_path(text) is None) == _unportable(text), repr(text)
    assert str(relative_path("sources/000_d3.txt")) == "sources/000_d3.txt"
    assert relative_path("csv/a\x85b.csv") is None and relative_path("a\u00a0b") is not None
