"""`sinopak anchor`: fills offsets for curators, refuses ambiguity, never guesses."""

from __future__ import annotations

from pathlib import Path

from conftest import run

RECORDS = "seeds/records/d3da3a035377400c"


def write(project: Path, body: str) -> Path:
    path = project / RECORDS / "zz-new.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_anchor_fills_offsets_in_place(project: Path) -> None:
    path = write(
        project,
        "relations: []\n# x\n"
        '    - {sentence_id: d3da3a035377400c.s019, quote: "JF-17 fighter jets"}\n',
    )
    result = run("anchor", "--root", str(project), str(path))
    assert result.exit_code == 0, result.output
    assert "anchored 1 span(s)" in result.output
    assert path.read_text().splitlines()[-1] == (
        "    - {sentence_id: d3da3a035377400c.s019, start: 3106, end: 3124, "
        'quote: "JF-17 fighter jets"}'
    )


def test_anchor_matches_whole_words_only(project: Path) -> None:
    # "it" occurs inside "Military" and "capacity" in s004, but only once as a word.
    path = write(
        project, '    - {sentence_id: d3da3a035377400c.s004, quote: "it", role: mention}\n'
    )
    assert run("anchor", "--root", str(project), str(path)).exit_code == 0
    assert "start: 601, end: 603" in path.read_text() and "role: mention" in path.read_text()


def test_anchor_refuses_an_ambiguous_quote(project: Path) -> None:
    path = write(project, '    - {sentence_id: d3da3a035377400c.s010, quote: "Nepal"}\n')
    result = run("anchor", "--root", str(project), str(path))
    assert result.exit_code == 1
    assert (
        ":1: field quote: quote 'Nepal' occurs 2 times in d3da3a035377400c.s010; add "
        "occurrence: N" in result.output
    )
    assert "start:" not in path.read_text()


def test_anchor_refuses_a_quote_not_in_the_sentence(project: Path) -> None:
    path = write(project, '    - {sentence_id: d3da3a035377400c.s010, quote: "Kathmandu"}\n')
    result = run("anchor", "--root", str(project), str(path))
    assert result.exit_code == 1
    assert "quote 'Kathmandu' is not in sentence d3da3a035377400c.s010" in result.output
