"""The provenance explorer (dist/explorer.html): the article with every evidence span, offline."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

from ..codec import to_json_value
from ..schema.tables import RECORD_TABLES, TABLES
from .corpus import citing_records
from .render import render
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


def explorer_html(
    descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]], texts: dict[str, str]
) -> str:
    """The explorer page: the articles with every evidence span, records and a timeline."""
    evidence = rows["evidence"]
    records = _records(rows)
    ev_index = _evidence_index(evidence, records)
    citing = citing_records((ev["sentence_id"], ev["record_id"]) for ev in evidence)
    related: dict[str, list[str]] = {}
    for table in ("reports", "date_claims"):
        for r in rows[table]:
            related.setdefault(r["event_id"], []).append(r[KEY[table]])
    data = {"records": records, "evidence": ev_index, "citing": citing, "related": related}
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return render(
        "explorer.html.j2",
        dp=descriptor,
        documents=_documents(rows, texts, records, ev_index, citing),
        tables=RECORD_TABLES,
        counts={t: len(rows[t]) for t in RECORD_TABLES},
        timeline=_timeline(rows["events"], rows["date_claims"]),
        payload=payload.replace("</", "<\\/"),
        jsonld=script_block(dataset(descriptor, rows)),
    )


def _records(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Every authored record by id: its table, fields, modality; evidence ids filled later."""
    records: dict[str, Any] = {}
    for table in RECORD_TABLES:
        for r in rows[table]:
            records[r[KEY[table]]] = {
                "table": table,
                "fields": {k: to_json_value(v) for k, v in r.items()},
                "evidence": [],
                "modality": r.get("modality"),
            }
    return records


def _evidence_index(evidence: list[dict[str, Any]], records: dict[str, Any]) -> dict[str, Any]:
    """Every span by evidence id; each record also lists its spans' ids."""
    index = {}
    for ev in evidence:
        records[ev["record_id"]]["evidence"].append(ev["evidence_id"])
        index[ev["evidence_id"]] = {
            "record": ev["record_id"],
            "sentence": ev["sentence_id"],
            "role": ev["role"],
            "quote": ev["quote"],
        }
    return index


def _documents(
    rows: dict[str, list[dict[str, Any]]],
    texts: dict[str, str],
    records: dict[str, Any],
    ev_index: dict[str, Any],
    citing: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """Each article as paragraphs of sentences, cut into pieces at evidence boundaries."""
    tone = {rid: r["modality"] for rid, r in records.items() if r["modality"] in TONES}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for e in rows["evidence"]:
        spans.setdefault(e["sentence_id"], []).append((e["start"], e["end"], e["evidence_id"]))
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for s in rows["sentences"]:
        by_doc.setdefault(s["document_id"], []).append(s)
    documents = []
    for doc in rows["documents"]:
        text = texts[doc["document_id"]]
        paragraphs: dict[int, list[Any]] = {}
        for s in by_doc.get(doc["document_id"], []):
            pieces = _segments(text, s["start"], s["end"], spans.get(s["sentence_id"], []))
            for p in pieces:
                here = {ev_index[i]["record"] for i in p["ids"].split()}
                p["tone"] = " ".join(sorted({str(tone[r]) for r in here if r in tone}))
            count = len(citing.get(s["sentence_id"], []))
            view = {"id": s["sentence_id"], "kind": s["kind"], "pieces": pieces, "count": count}
            paragraphs.setdefault(s["paragraph"], []).append(view)
        documents.append(
            {
                "doc": doc,
                "metadata": text[: doc["body_start"]].strip(),
                "paragraphs": [paragraphs[k] for k in sorted(paragraphs)],
            }
        )
    return documents
