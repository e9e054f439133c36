"""The checks' and rows' shortcuts answer as the full paths do: a span `_span_holds` accepts is
one `_check_span` finds no problem with, `_ref_fields` leaves out only fields that can hold
no reference, and rows made in schema order are published as the reordered rows would be."""

from __future__ import annotations

import random
import typing
from typing import Annotated, Any, Literal

from conftest import ROOT
from pydantic import BaseModel

from sinopak.pipeline import checks, rows
from sinopak.pipeline.corpus import load_corpus, units
from sinopak.schema import models
from sinopak.schema.models import EventDate, Evidence, Ref
from sinopak.schema.tables import TABLES


def test_a_span_passes_the_quick_test_exactly_when_the_full_check_finds_nothing() -> None:
    corpus = load_corpus(ROOT / "seeds")
    sentences = corpus.sentences
    unit = units(corpus)[0]
    rng = random.Random(7)
    ids = [*sentences, "d3da3a035377400c.s999", "0000000000000000.s001"]
    passed = failed = 0
    for _ in range(3000):
        sid = rng.choice(ids)
        doc, sent = sentences.get(sid, next(iter(sentences.values())))
        text = doc.source.text
        start = rng.choice([sent.start, sent.start + 1, sent.start - 1, rng.randrange(len(text))])
        end = rng.choice([sent.end, sent.end + 1, start, start + rng.randrange(1, 40)])
        quote = text[start:end] if rng.random() < 0.8 else (text[start:end] + "x")[1:]
        ev = Evidence.model_construct(sentence_id=sid, start=start, end=end, quote=quote)
        problems = list(checks._check_span(unit, 0, ev, sentences))
        holds = checks._span_holds(ev, sentences.get(sid))
        assert holds == (not problems), (sid, start, end, quote, problems)
        passed += holds
        failed += not holds
    assert passed > 300 and failed > 300  # both answers were put to the test


def _holds_a_model(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, BaseModel)
    if typing.get_origin(annotation) is list:
        return False  # `_refs` looks into a list only for the Ref on its items
    return any(_holds_a_model(a) for a in typing.get_args(annotation))


def test_only_fields_without_references_are_left_out() -> None:
    kinds = [
        m
        for m in vars(models).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m is not BaseModel
    ]
    assert len(kinds) > 20
    for model in kinds:
        kept = {name for name, _, _ in checks._ref_fields(model)}
        for name, info in model.model_fields.items():
            has_ref = any(isinstance(x, Ref) for x in info.metadata) or "Ref(" in repr(
                info.annotation
            )
            if has_ref or _holds_a_model(info.annotation):
                assert name in kept, (model.__name__, name)
    assert "date" in {name for name, _, _ in checks._ref_fields(models.Event)}  # EventDate


def test_plain_annotations() -> None:
    assert checks._plain(str | None)
    assert checks._plain(list[EventDate])  # a list: `_refs` looks only at a Ref on its items
    assert checks._plain(Literal["a", "b"] | None)
    assert checks._plain(Annotated[int, "meta"])
    assert not checks._plain(EventDate | None)
    assert not checks._plain(Any)
    assert not checks._plain(str | EventDate)
    assert not checks._plain(dict[str, str])


def test_rows_made_in_schema_order_are_published_as_reordered_rows() -> None:
    cols = list(TABLES["events"].column_names)
    made = [dict.fromkeys(cols, None) | {"event_id": f"evt.{n}"} for n in (3, 1, 2)]
    shuffled = [dict(reversed(list(r.items()))) for r in made]
    for given in (made, shuffled, [made[0], shuffled[1], made[2]]):
        out = rows._ordered("events", [dict(r) for r in given])
        assert [r["event_id"] for r in out] == ["evt.1", "evt.2", "evt.3"]
        assert all(list(r) == cols for r in out)
        assert out == rows._ordered("events", [dict(r) for r in shuffled])


def test_keys_that_are_not_texts_sort_as_their_texts() -> None:
    cols = list(TABLES["coverage"].column_names)
    key = TABLES["coverage"].primary_key[0]
    given = [dict.fromkeys(cols, None) | {key: k} for k in (10, 9, "b", None)]
    out = rows._ordered("coverage", given)
    assert [r[key] for r in out] == sorted((10, 9, "b", None), key=str)
