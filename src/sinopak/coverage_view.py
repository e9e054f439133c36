"""Coverage of the installed data: per sentence, the records that cite it, read from the
published sentences, evidence and coverage tables (no seeds needed; standard library only)."""

from __future__ import annotations

from ._access import load


def published_coverage() -> tuple[str, bool]:
    """The text `sinopak coverage` prints for the installed data, and whether every sentence
    is cited or excluded with a reason."""
    citing: dict[str, list[str]] = {}
    for span in load("evidence"):
        records = citing.setdefault(span["sentence_id"], [])
        if span["record_id"] not in records:
            records.append(span["record_id"])
    reasons = {c["sentence_id"]: c["reason"] for c in load("coverage")}
    lines = []
    covered = total = 0
    for s in load("sentences"):
        total += 1
        records = citing.get(s["sentence_id"], [])
        if records:
            status = f"{len(records)} record(s): " + ", ".join(records)
        elif reasons.get(s["sentence_id"]):
            status = f"excluded: {reasons[s['sentence_id']]}"
        else:
            status = "UNACCOUNTED FOR"
        covered += status != "UNACCOUNTED FOR"
        lines.append(f"{s['sentence_id']} [{s['kind']}] {s['text'][:70]!r}\n    {status}")
    pct = 100 * covered / total if total else 100.0
    lines.append(f"coverage: {covered}/{total} sentences ({pct:.1f}%)")
    return "\n".join(lines), covered == total
