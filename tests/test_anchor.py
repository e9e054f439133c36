"""`sinopak anchor`: fills offsets for curators, refuses ambiguity, never guesses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
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


OTHER = "# a comment that stays\nkey: {a: 1}   # and this one\nrelations:\n"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('note: "a, b: c"', {"note": "a, b: c"}),
        ("role: null", {"role": None}),
        ('note: "yes"', {"note": "yes"}),
        ('note: "say \\"hi\\" # not a comment"', {"note": 'say "hi" # not a comment'}),
        ("role: mention, weight: 2", {"role": "mention", "weight": 2}),
    ],
    ids=["comma-colon", "null", "yaml11-bool-word", "quotes-and-hash", "plain"],
)
def test_anchor_keeps_every_other_value_and_line(
    project: Path, extra: str, expected: dict[str, object]
) -> None:
    line = f'    - {{sentence_id: d3da3a035377400c.s019, quote: "JF-17 fighter jets", {extra}}}\n'
    path = write(project, OTHER + line)
    result = run("anchor", "--root", str(project), str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text()
    assert text.startswith(OTHER)  # every other line byte for byte
    (span,) = yaml.safe_load(text)["relations"]
    assert span == {
        "sentence_id": "d3da3a035377400c.s019",
        "start": 3106,
        "end": 3124,
        "quote": "JF-17 fighter jets",
        **expected,
    }


@pytest.mark.parametrize(
    ("span", "message"),
    [
        ('quote: "Nepal", occurrence: 0', "expected occurrence to be a whole number from 1 to 2"),
        ('quote: "Nepal", occurrence: 3', "found 3"),
        ('quote: "Nepal", occurrence: two', "found 'two'"),
        ('quote: "Nepal", occurrence: true', "found True"),
        ("quote: 42", "expected the quote as non-empty text, found 42"),
        ("quote: [Nepal]", "found ['Nepal']"),
        ('quote: ""', "found ''"),
    ],
    ids=["zero", "too-large", "word", "bool", "int-quote", "list-quote", "empty-quote"],
)
def test_anchor_rejects_bad_arguments_with_a_message(
    project: Path, span: str, message: str
) -> None:
    path = write(project, f"    - {{sentence_id: d3da3a035377400c.s010, {span}}}\n")
    before = path.read_text()
    result = run("anchor", "--root", str(project), str(path))
    assert result.exit_code == 1, result.output
    assert message in result.output and ":1: field " in result.output
    assert "Traceback" not in result.output
    assert path.read_text() == before


def test_anchor_rejects_a_bad_sentence_id_and_no_files(project: Path) -> None:
    path = write(project, '    - {sentence_id: [a, b], quote: "Nepal"}\n')
    result = run("anchor", "--root", str(project), str(path))
    assert result.exit_code == 1 and "unknown sentence ['a', 'b']" in result.output
    result = run("anchor", "--root", str(project))
    assert result.exit_code == 2 and "give one or more seed files" in result.output
    path.write_bytes(b"\xff\xfe- {}\n")
    result = run("anchor", "--root", str(project), str(path))
    assert result.exit_code == 1 and "expected UTF-8" in result.output
