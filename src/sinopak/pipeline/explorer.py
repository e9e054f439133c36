"""The provenance explorer (dist/explorer.html): the article with every evidence span, offline."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

from ..schema.tables import RECORD_TABLES, TABLES

KEY = {name: t.primary_key[0] for name, t in TABLES.items() if len(t.primary_key) == 1}


def _jsonable(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v


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


def _timeline(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars for every event, on a linear axis over the events' years; open bounds fade."""
    dated = [e for e in events if e["date_end"] is not None]
    years = sorted({d.year for e in dated for d in (e["date_start"], e["date_end"]) if d})
    recent = [y for y in years if y >= years[-1] - 1] if years else []
    lo = dt.date(min(recent), 1, 1) if recent else dt.date(2000, 1, 1)
    hi = dt.date(max(recent), 12, 31) if recent else dt.date(2000, 12, 31)
    span = (hi - lo).days + 1
    width = 760.0
    rows = []
    earlier = []
    for e in sorted(dated, key=lambda e: (e["date_end"], e["date_start"] or lo, e["event_id"])):
        start = e["date_start"]
        if e["date_end"] < lo:
            earlier.append(e)
            continue
        open_start = start is None or start < lo
        s = lo if open_start else start
        x = (s - lo).days / span * width
        w = max(((e["date_end"] - s).days + 1) / span * width, 2.0)
        rows.append(
            {
                "id": e["event_id"],
                "label": e["label"],
                "x": round(x, 1),
                "w": round(w, 1),
                "open": open_start,
                "precision": e["date_precision"],
                "range": f"{start or '…'} – {e['date_end']}",
            }
        )
    ticks = []
    for year in range(lo.year, hi.year + 1):
        for month in (1, 4, 7, 10):
            d = dt.date(year, month, 1)
            ticks.append(
                {"x": round((d - lo).days / span * width, 1), "label": d.strftime("%b %Y")}
            )
    return {
        "rows": rows,
        "ticks": ticks,
        "width": width,
        "lo": lo,
        "hi": hi,
        "earlier": [
            {
                "id": e["event_id"],
                "label": e["label"],
                "range": f"{e['date_start']} – {e['date_end']}",
            }
            for e in earlier
        ],
    }


def explorer_html(
    descriptor: dict[str, Any], rows: dict[str, list[dict[str, Any]]], texts: dict[str, str]
) -> str:
    import jinja2

    evidence = rows["evidence"]
    records: dict[str, Any] = {}
    for table in RECORD_TABLES:
        for r in rows[table]:
            rid = r[KEY[table]]
            records[rid] = {
                "table": table,
                "fields": {k: _jsonable(v) for k, v in r.items()},
                "evidence": [],
                "modality": r.get("modality"),
            }
    ev_index = {}
    for ev in evidence:
        records[ev["record_id"]]["evidence"].append(ev["evidence_id"])
        ev_index[ev["evidence_id"]] = {
            "record": ev["record_id"],
            "sentence": ev["sentence_id"],
            "role": ev["role"],
            "quote": ev["quote"],
        }
    citing: dict[str, list[str]] = {}
    for ev in evidence:
        ids = citing.setdefault(ev["sentence_id"], [])
        if ev["record_id"] not in ids:
            ids.append(ev["record_id"])
    tone = {
        rid: rec["modality"]
        for rid, rec in records.items()
        if rec["modality"] in ("hedged", "editorial")
    }
    spans_by_sentence: dict[str, list[tuple[int, int, str]]] = {}
    for e in evidence:
        spans_by_sentence.setdefault(e["sentence_id"], []).append(
            (e["start"], e["end"], e["evidence_id"])
        )
    sentences_by_doc: dict[str, list[dict[str, Any]]] = {}
    for s in rows["sentences"]:
        sentences_by_doc.setdefault(s["document_id"], []).append(s)
    documents = []
    for doc in rows["documents"]:
        text = texts[doc["document_id"]]
        paragraphs: dict[int, list[Any]] = {}
        for s in sentences_by_doc.get(doc["document_id"], []):
            spans = spans_by_sentence.get(s["sentence_id"], [])
            pieces = _segments(text, s["start"], s["end"], spans)
            for p in pieces:
                kinds = {
                    str(tone[r]) for i in p["ids"].split() if (r := ev_index[i]["record"]) in tone
                }
                p["tone"] = " ".join(sorted(kinds))
            paragraphs.setdefault(s["paragraph"], []).append(
                {
                    "id": s["sentence_id"],
                    "kind": s["kind"],
                    "pieces": pieces,
                    "count": len(citing.get(s["sentence_id"], [])),
                }
            )
        documents.append(
            {
                "doc": doc,
                "metadata": text[: doc["body_start"]].strip(),
                "paragraphs": [paragraphs[k] for k in sorted(paragraphs)],
            }
        )
    data = {"records": records, "evidence": ev_index, "citing": citing}
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sinopak.pipeline", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(
        env.get_template("explorer.html.j2").render(
            dp=descriptor,
            documents=documents,
            tables=RECORD_TABLES,
            counts={t: len(rows[t]) for t in RECORD_TABLES},
            timeline=_timeline(rows["events"]),
            payload=payload.replace("</", "<\\/"),
        )
    )
