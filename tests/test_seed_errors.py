"""Bad seeds: each gets a short error naming file:line, record and field; dist/ is untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, tree_digest

RECORDS = "seeds/records/d3da3a035377400c"


def mutate(project: Path, rel: str, old: str, new: str, count: int = 1, *, after: str = "") -> int:
    """Replace `old` by `new` in a seed file (from the first `after` on, if given); return the
    1-based line where it happened."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    assert old in text[start:], old
    at = text.index(old, start)
    path.write_text(text[:at] + text[at:].replace(old, new, count), encoding="utf-8")
    return text[:at].count("\n") + 1


def build_fails(project: Path, *expected: str) -> str:
    before = tree_digest(project / "dist")
    result = run("build", "--root", str(project))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for part in expected:
        assert part in result.output, f"{part!r} not in:\n{result.output}"
    assert tree_digest(project / "dist") == before
    return result.output


def test_malformed_yaml(project: Path) -> None:
    line = mutate(
        project, f"{RECORDS}/posts.yaml", "    title: Army chief\n", "    title: [Army chief\n"
    )
    build_fails(project, f"{RECORDS}/posts.yaml:", "malformed YAML")
    assert line > 1


def test_unknown_field(project: Path) -> None:
    line = mutate(
        project, f"{RECORDS}/posts.yaml", "    title: Army chief\n", "    titel: Army chief\n"
    )
    build_fails(
        project,
        f"{RECORDS}/posts.yaml:{line}: record post.bajwa-army-chief: "
        "field titel: unknown field; expected one of:",
        "title",
    )


def test_wrong_type(project: Path) -> None:
    line = mutate(
        project, f"{RECORDS}/events.yaml", "      - text: March 2011\n", "      - text: 2011\n"
    )
    build_fails(
        project,
        f"{RECORDS}/events.yaml:{line}: record evt.shaheen-2011: field "
        "date_claims.0.text: Input should be a valid string; found 2011",
    )


def test_unknown_enumeration_value(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/relations.yaml",
        "    relation_type: alliance\n",
        "    relation_type: friendship\n",
    )
    build_fails(
        project,
        f"{RECORDS}/relations.yaml:{line}: record "
        "rel.china-pakistan-alliance: field relation_type:",
        "'alliance'",
        "found 'friendship'",
    )


def test_duplicate_id(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/posts.yaml",
        "post_id: post.thapa-army-chief",
        "post_id: post.bajwa-army-chief",
    )
    build_fails(
        project,
        f"{RECORDS}/posts.yaml:{line}: record post.bajwa-army-chief: "
        "field post_id: duplicate id 'post.bajwa-army-chief'; first defined at "
        f"{RECORDS}/posts.yaml:",
    )


def test_dangling_reference(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/posts.yaml",
        "    person_id: ent.arif-alvi\n",
        "    person_id: ent.arif-alvy\n",
    )
    build_fails(
        project,
        f"{RECORDS}/posts.yaml:{line}: record post.arif-alvi-president: "
        "field person_id: expected an id from table entities, found 'ent.arif-alvy'",
    )


def test_reference_to_wrong_entity_type(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/posts.yaml",
        "    person_id: ent.arif-alvi\n",
        "    person_id: ent.pakistan\n",
    )
    build_fails(
        project,
        f"{RECORDS}/posts.yaml:{line}: record post.arif-alvi-president: "
        "field person_id: expected an entity of type person, found 'ent.pakistan' of "
        "type 'country'",
    )


def test_participant_that_is_not_an_entity(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/events.yaml",
        "      - entity_id: ent.kp-sharma-oli\n",
        "      - entity_id: ent.oli\n",
    )
    build_fails(
        project,
        f"{RECORDS}/events.yaml:{line}: record evt.wei-oli-meeting/oli: "
        "field participants.1.entity_id: expected an id from table entities",
    )


def test_place_that_is_not_a_place(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/events.yaml",
        "    place_id: ent.pakistan\n",
        "    place_id: ent.jf-17\n",
        after="  - event_id: evt.shaheen-2011",
    )
    build_fails(
        project,
        f"{RECORDS}/events.yaml:{line}: record evt.shaheen-2011: field "
        "place_id: expected an entity of type place or facility or border or country, "
        "found 'ent.jf-17' of type 'equipment'",
    )


def test_quote_that_does_not_match_its_offsets(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/relations.yaml",
        'quote: "China helps Pakistan to jointly produce',
        'quote: "China forces Pakistan to jointly produce',
    )
    build_fails(
        project,
        f"{RECORDS}/relations.yaml:{line}: record "
        "rel.china-pakistan-jf-17-co-production: field evidence.0.quote: quote does not "
        "match the source at [3066, 3144): expected 'China forces Pakistan",
    )


def test_quote_outside_its_cited_sentence(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/relations.yaml",
        "{sentence_id: d3da3a035377400c.s019, start: 3066",
        "{sentence_id: d3da3a035377400c.s018, start: 3066",
    )
    build_fails(
        project,
        f"{RECORDS}/relations.yaml:{line}: record "
        "rel.china-pakistan-jf-17-co-production: field evidence.0.sentence_id: quote "
        "lies outside its cited sentence d3da3a035377400c.s018",
    )


def test_offsets_out_of_range(project: Path) -> None:
    line = mutate(
        project, f"{RECORDS}/relations.yaml", "start: 3066, end: 3144", "start: 3066, end: 9144"
    )
    build_fails(project, f"{RECORDS}/relations.yaml:{line}:", "out of range")


def test_statement_without_speaker_or_source(project: Path) -> None:
    line = mutate(
        project, f"{RECORDS}/statements.yaml", "    speaker_id: ent.chinese-military\n", ""
    )
    build_fails(
        project,
        f"{RECORDS}/statements.yaml:",
        "stm.s013-chinese-military-deployment",
        "field speaker_id: a statement needs a speaker_id or a source_id",
    )
    assert line > 1


def test_document_without_a_date_basis(project: Path) -> None:
    line = mutate(project, "seeds/documents.yaml", "    date_basis: metadata\n", "")
    build_fails(
        project,
        "seeds/documents.yaml:",
        "record d3da3a035377400c: field date_basis: required field is missing",
    )
    assert line > 1


def test_metadata_basis_without_a_metadata_line(project: Path) -> None:
    entry = "document_id: d53b39f11df785d3"
    docs = "seeds/documents.yaml"
    mutate(project, docs, "    date_basis: text\n", "    date_basis: metadata\n", after=entry)
    mutate(
        project,
        docs,
        '    date_text: "KATHMANDU, NOVEMBER 29"\n    date: 2020-11-29\n',
        "",
        after=entry,
    )
    build_fails(
        project,
        "seeds/documents.yaml:",
        "record d53b39f11df785d3: field date_basis: date_basis is 'metadata' but "
        "seeds/001_d53b39f11df785d3.txt has no metadata line",
    )


def test_claim_whose_phrase_is_not_in_its_quote(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/events.yaml",
        "      - text: March 2011\n",
        "      - text: April 2011\n",
    )
    build_fails(
        project,
        f"{RECORDS}/events.yaml:{line}: record evt.shaheen-2011/d3da3a035377400c.c1: field "
        "date_claims.0.text: text must appear verbatim in the record's evidence; "
        "'April 2011' is in none",
    )


def test_claim_that_points_at_a_missing_document(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/events.yaml",
        "{sentence_id: d3da3a035377400c.s017, ",
        "{sentence_id: ffff0000.s001, ",
        after="      - text: March 2011",
    )
    build_fails(
        project,
        f"{RECORDS}/events.yaml:{line}: record evt.shaheen-2011/ffff0000.c1: field "
        "date_claims.0.evidence.0.sentence_id: unknown document 'ffff0000' in 'ffff0000.s001' "
        "(not in seeds/documents.yaml)",
    )


def _second_claim(project: Path, extra: str = "") -> None:
    """Give evt.shaheen-2011 a second claim, 'last year', that cannot meet 'March 2011'."""
    path = project / f"{RECORDS}/events.yaml"
    text = path.read_text()
    start = text.index("      - text: March 2011")
    end = text.index("\n", text.index("{sentence_id:", start)) + 1
    first = text[start:end]
    second = first.replace("rule: month_year", "rule: last_year") + extra
    path.write_text(text[:end] + second + text[end:])


def test_claims_that_do_not_intersect(project: Path) -> None:
    _second_claim(project)
    build_fails(
        project,
        f"{RECORDS}/events.yaml:",
        "record evt.shaheen-2011: field date_claims: the date claims for the event's start do "
        "not overlap: document d3da3a035377400c says 'March 2011' "
        "(evt.shaheen-2011/d3da3a035377400c.c1): 2011-03-01..2011-03-31; document "
        "d3da3a035377400c says 'March 2011' (evt.shaheen-2011/d3da3a035377400c.c2): "
        "2019-01-01..2019-12-31",
        "discount one claim with discount_reason",
    )


def test_a_recorded_judgement_resolves_a_conflict(project: Path) -> None:
    _second_claim(project, "        discount_reason: A test of the judgement.\n")
    result = run("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    csv_text = (project / "dist" / "csv" / "date_claims.csv").read_text()
    row = next(r for r in csv_text.splitlines() if "evt.shaheen-2011/d3da3a035377400c.c2" in r)
    assert ",discounted," in row and "A test of the judgement." in row


def test_typed_date_that_disagrees_with_the_claims(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/events.yaml",
        "  - event_id: evt.shaheen-2011\n",
        "  - event_id: evt.shaheen-2011\n    date: {start: 2011-03-01, end: 2011-03-30}\n",
    )
    build_fails(
        project,
        f"{RECORDS}/events.yaml:{line + 1}: record evt.shaheen-2011: field date: the typed date "
        "2011-03-01..2011-03-30 disagrees with its claims, which give 2011-03-01..2011-03-31",
    )


def test_event_linked_twice_to_the_same_report(project: Path) -> None:
    path = next(sorted((project / "seeds" / "records").glob("*/reports.yaml")).__iter__())
    text = path.read_text()
    start = text.index("  - event_id: ")
    nxt = text.find("\n  - event_id: ", start + 1)
    entry = text[start : nxt + 1] if nxt > 0 else text[start:]
    if not entry.endswith("\n"):
        entry += "\n"
    path.write_text(text.rstrip("\n") + "\n" + entry)
    event = entry.split("\n")[0].split()[-1]
    rel = path.relative_to(project).as_posix()
    build_fails(
        project,
        f"{rel}:",
        f"field event_id: event {event} is linked twice to the report in document "
        f"{path.parent.name}; first at {rel}:",
    )


def test_sentence_left_out_of_coverage(project: Path) -> None:
    path = project / f"{RECORDS}/events.yaml"
    text = path.read_text()
    start = text.index("  - event_id: evt.shaheen-2011")
    path.write_text(text[:start])  # the last event: the only records citing s017
    build_fails(
        project,
        "seeds/000_d3da3a035377400c.txt:25: sentence d3da3a035377400c.s017 is "
        "not cited by any record and not excluded: 'The first such drill",
    )


def test_confidence_below_high_needs_a_reason(project: Path) -> None:
    line = mutate(
        project,
        f"{RECORDS}/posts.yaml",
        "    title: President\n",
        "    title: President\n    confidence: low\n",
    )
    build_fails(
        project,
        f"{RECORDS}/posts.yaml:",
        "post.arif-alvi-president",
        "confidence_reason is required when confidence is 'low'",
    )
    assert line > 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("x: !!python/object/apply:os.system ['true']\n", "unsupported YAML tag"),
        ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "anchors and aliases are not allowed"),
        ("entities: [\n", "malformed YAML"),
        ("widgets: []\n", "unknown record kind 'widgets'"),
        ("entities:\n- x: !!int abc\n", "2: expected a value of YAML type !!int, found 'abc'"),
        ("x: !!bool maybe\n", "1: expected a value of YAML type !!bool, found 'maybe'"),
        ("x: !!timestamp 2020-13-45\n", "expected a value of YAML type !!timestamp"),
    ],
)
def test_hostile_or_broken_yaml_file(project: Path, payload: str, message: str) -> None:
    (project / f"{RECORDS}/zz-extra.yaml").write_text(payload)
    build_fails(project, f"{RECORDS}/zz-extra.yaml:", message)


def test_debug_shows_the_traceback(project: Path) -> None:
    mutate(project, f"{RECORDS}/posts.yaml", "    title: Army chief\n", "    titel: x\n")
    result = run("--debug", "build", "--root", str(project))
    assert result.exit_code == 1
    assert result.exception is not None
    assert type(result.exception).__name__ == "SeedErrors"
