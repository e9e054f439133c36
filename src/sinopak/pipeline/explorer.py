"""The provenance explorer (dist/explorer.html): the article with every evidence span, offline."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from collections.abc import Iterator
from typing import Any, TextIO

from ..codec import to_json_value
from ..schema.tables import RECORD_TABLES, TABLES
from .corpus import citing_records
from .render import environment
from .schemaorg import dataset, script_block

TONES = ("hedged", "editorial")  # modalities the explorer marks in the text
KEY = {name: t.primary_key[0] for name, t in TABLES.items() if len(t.primary_key) == 1}


def _segments(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> list[Any]:
    """Cut text[start:end] at every evidence boundary; each piece lists the spans covering it."""
    cuts = {start, end}
    for s, e, _ in spans:
        cuts.update((max(s, start), min(e, end)))
    points = sorted(c for c in cuts if start <= c <= end)
    out = []
    for a, b in itertools.pairwise(points):
        ids = sorted(ev for s, e, ev in spans if s <= a and b <= e)
        out.append({"text": text[a:b], "ids": " ".join(ids)})
    return out


def _axis(dated: list[dict[str, Any]]) -> tuple[dt.date, dt.date]:
    """Whole months around the events of the latest two years (older ones are listed apart)."""
    ends = [e["date_end"] for e in dated]
    if not ends:
        return dt.date(2000, 1, 1), dt.date(2000, 12, 31)
    last = max(ends)
    recent = [e for e in dated if e["date_end"].year >= last.year - 1]
    first = min((e["date_start"] or e["date_end"]) for e in recent)
    first = max(first, dt.date(last.year - 1, 1, 1))
    lo = first.replace(day=1)
    hi = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return lo, hi


def _ticks(lo: dt.date, hi: dt.date, x: Any) -> list[dict[str, Any]]:
    """Weekly ticks (Mondays) on a short axis, else the first of every quarter."""
    out = []
    if (hi - lo).days <= 124:
        d = lo + dt.timedelta(days=(7 - lo.weekday()) % 7)
        while d <= hi:
            out.append({"x": x(d), "label": d.strftime("%d %b")})
            d += dt.timedelta(days=7)
        return out
    for year in range(lo.year, hi.year + 1):
        for month in (1, 4, 7, 10):
            d = dt.date(year, month, 1)
            if lo <= d <= hi:
                out.append({"x": x(d), "label": d.strftime("%b %Y")})
    return out


def _timeline_row(e: dict[str, Any], own: list[dict[str, Any]], y: int, bar: Any) -> dict[str, Any]:
    """One event's bar and, under it, a thin bar per date claim."""
    return {
        "id": e["event_id"],
        "label": e["label"],
        "y": y,
        "precision": e["date_precision"],
        "range": f"{e['date_start'] or '…'} – {e['date_end']}",
        **bar(e["date_start"], e["date_end"]),
        "claims": [
            {
                "id": c["claim_id"],
                "y": y + 13 + 5 * i,
                "status": c["status"],
                "title": f"{c['document_id']}: {c['text'] or c['rule']} "
                f"({c['range_start'] or '…'} – {c['range_end'] or '…'}, {c['status']})",
                **bar(c["range_start"], c["range_end"]),
            }
            for i, c in enumerate(own)
        ],
    }


def _timeline(events: list[dict[str, Any]], claims: list[dict[str, Any]]) -> dict[str, Any]:
    """A bar per event (its reconciled range) with a thin bar per date claim under it; open
    bounds fade; events before the axis are listed apart."""
    dated = [e for e in events if e["date_end"] is not None]
    lo, hi = _axis(dated)
    span = (hi - lo).days + 1
    width = 760.0

    def x(d: dt.date) -> float:
        return round((min(max(d, lo), hi + dt.timedelta(days=1)) - lo).days / span * width, 1)

    def bar(start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
        s = lo if start is None or start < lo else start
        e = hi if end is None or end > hi else end
        return {
            "x": x(s),
            "w": max(round(x(e + dt.timedelta(days=1)) - x(s), 1), 2.0),
            "open": start is None or start < lo or end is None or end > hi,
        }

    by_event: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_event.setdefault(c["event_id"], []).append(c)
    rows = []
    earlier = []
    y = 18
    for e in sorted(dated, key=lambda e: (e["date_end"], e["date_start"] or lo, e["event_id"])):
        if e["date_end"] < lo:
            earlier.append(e)
            continue
        own = by_event.get(e["event_id"], [])
        row = _timeline_row(e, own, y, bar)
        rows.append(row)
        y += 18 + 5 * len(own)
    return {
        "rows": rows,
        "ticks": _ticks(lo, hi, x),
        "width": width,
        "height": y + 12,
        "lo": lo,
        "hi": hi,
        "earlier": [
            {
                "id": e["event_id"],
                "label": e["label"],
                "range": f"{e['date_start'] or '…'} – {e['date_end']}",
            }
            for e in earlier
        ],
    }


def write_explorer(
    out: TextIO,
    descriptor: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    texts: dict[str, str],
) -> None:
    """The explorer page: the articles with every evidence span, records and a timeline.

    Written to `out` as it is rendered, article by article, and its data block record by
    record: at 10,000 articles the page is 250 MB, and holding it (its data, every article's
    pieces) whole cost gigabytes."""
    evidence = rows["evidence"]
    citing = citing_records((ev["sentence_id"], ev["record_id"]) for ev in evidence)
    tone = {
        r[KEY[t]]: r["modality"]
        for t in RECORD_TABLES
        for r in rows[t]
        if r.get("modality") in TONES
    }
    record_of = {ev["evidence_id"]: ev["record_id"] for ev in evidence}
    template = environment(html=True).get_template("explorer.html.j2")
    # where the template puts the data block, written apart: a marker no data can hold
    marker = f"\x00payload-{secrets.token_hex(16)}\x00"
    pieces = template.stream(
        dp=descriptor,
        documents=_documents(rows, texts, tone, record_of, citing),
        tables=RECORD_TABLES,
        counts={t: len(rows[t]) for t in RECORD_TABLES},
        timeline=_timeline(rows["events"], rows["date_claims"]),
        payload=marker,
        jsonld=script_block(dataset(descriptor, rows)),
    )
    pieces.enable_buffering(PIECES)  # joined: one write for many pieces (3 million at 10,000)
    for piece in pieces:
        if marker in piece:
            before, after = piece.split(marker)
            out.write(before)
            for chunk in _payload(rows, citing):
                out.write(chunk.replace("</", "<\\/"))  # no "</script>" may end the block
            piece = after
        out.write(piece)


BATCH = 1000  # entries per write
PIECES = 1000  # pieces of the rendered page per write


def _payload(rows: dict[str, list[dict[str, Any]]], citing: dict[str, Any]) -> Iterator[str]:
    """The data block: every record (table, fields, modality, evidence ids), every span,
    the records citing each sentence and each event's reports and claims, as the text
    `json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` (tested),
    written a batch of entries at a time."""
    import orjson  # lazy: only the build writes the explorer

    # a row's cells are str, int, bool, None or date (the schema's types): the dates go
    # through `_iso_date`, written as `to_json_value` writes them, and nothing else is
    # converted (every cell of every record was, before); a time or datetime would also
    # reach `_iso_date`, which writes the datetime too and refuses the time
    options = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME

    records: dict[str, tuple[str, dict[str, Any]]] = {}
    for table in RECORD_TABLES:
        for r in rows[table]:
            records[r[KEY[table]]] = (table, r)
    spans: dict[str, list[str]] = {rid: [] for rid in records}
    index: dict[str, dict[str, Any]] = {}
    for ev in rows["evidence"]:
        spans[ev["record_id"]].append(ev["evidence_id"])
        index[ev["evidence_id"]] = ev
    related: dict[str, list[str]] = {}
    for table in ("reports", "date_claims"):
        for r in rows[table]:
            related.setdefault(r["event_id"], []).append(r[KEY[table]])

    def record(rid: str) -> dict[str, Any]:
        table, r = records[rid]
        return {"table": table, "fields": r, "evidence": spans[rid], "modality": r.get("modality")}

    def span(eid: str) -> dict[str, Any]:
        ev = index[eid]
        return {
            "record": ev["record_id"],
            "sentence": ev["sentence_id"],
            "role": ev["role"],
            "quote": ev["quote"],
        }

    def entries(keys: list[str], value: Any) -> Iterator[str]:
        # a batch of sorted keys as one object, written without its braces: the entries
        # `"key":value` joined by commas (orjson orders keys as `sorted` does: by code point)
        for n in range(0, len(keys), BATCH):
            batch = {k: value(k) for k in keys[n : n + BATCH]}
            text = orjson.dumps(batch, option=options, default=_iso_date)[1:-1]
            yield ("," if n else "") + text.decode("utf-8")

    sections = {
        "citing": citing.__getitem__,
        "evidence": span,
        "records": record,
        "related": related.__getitem__,
    }
    keys = {"citing": citing, "evidence": index, "records": records, "related": related}
    for n, name in enumerate(sorted(sections)):
        yield ("{" if n == 0 else "},") + f'"{name}":{{'
        yield from entries(sorted(keys[name]), sections[name])
    yield "}}"


def _iso_date(value: Any) -> str:
    """A date cell of the data block (what orjson is not asked to write itself)."""
    if isinstance(value, dt.date):
        return str(to_json_value(value))
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _documents(
    rows: dict[str, list[dict[str, Any]]],
    texts: dict[str, str],
    tone: dict[str, Any],
    record_of: dict[str, str],
    citing: dict[str, list[str]],
) -> Iterator[dict[str, Any]]:
    """Each article as paragraphs of sentences, cut into pieces at evidence boundaries; made
    one article at a time, as the page is written."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for e in rows["evidence"]:
        spans.setdefault(e["sentence_id"], []).append((e["start"], e["end"], e["evidence_id"]))
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for s in rows["sentences"]:
        by_doc.setdefault(s["document_id"], []).append(s)
    for doc in rows["documents"]:
        text = texts[doc["document_id"]]
        paragraphs: dict[int, list[Any]] = {}
        for s in by_doc.get(doc["document_id"], []):
            pieces = _segments(text, s["start"], s["end"], spans.get(s["sentence_id"], []))
            count = len(citing.get(s["sentence_id"], []))
            view = _sentence(s["sentence_id"], s["kind"], count, pieces, tone, record_of)
            paragraphs.setdefault(s["paragraph"], []).append(view)
        yield {
            "doc": doc,
            "metadata": text[: doc["body_start"]].strip(),
            "paragraphs": [paragraphs[k] for k in sorted(paragraphs)],
        }


def _sentence(
    sid: str,
    kind: str,
    count: int,
    pieces: list[dict[str, Any]],
    tone: dict[str, Any],
    record_of: dict[str, str],
) -> Any:
    """A sentence of the page, its pieces marked with the evidence covering them: the HTML
    the template's autoescaping would make of it (markupsafe's `escape`), made here because
    the template's attribute lookups, six per piece, took a third of the page's time."""
    from markupsafe import Markup, escape

    html: list[str] = []
    for p in pieces:
        if not p["ids"]:
            html.append(escape(p["text"]))
            continue
        here = {record_of[i] for i in p["ids"].split()}
        tones = " ".join(sorted({str(tone[r]) for r in here if r in tone}))
        marks = f"ev {escape(tones)}" if tones else "ev"
        ids, text = escape(p["ids"]), escape(p["text"])
        html.append(f'<span class="{marks}" data-ev="{ids}">{text}</span>')
    heading = " heading" if kind == "heading" else ""
    sid = escape(sid)
    return Markup(
        f'<span class="sent{heading}" id="{sid}" data-sid="{sid}" '
        f'title="{sid}: {count} record(s)">{"".join(html)}</span>'
    )
