"""Coverage of the seeds: per sentence, the records that cite it, or why it is excluded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SeedError
from .checks import check
from .corpus import citations, exclusion_reasons, load_corpus
from .segment import Segment


@dataclass(frozen=True)
class SentenceCoverage:
    sentence: Segment
    records: list[str]  # the records citing it, in seed order
    excluded: str | None  # why no record cites it

    @property
    def accounted_for(self) -> bool:
        return bool(self.records) or self.excluded is not None

    def render(self) -> str:
        s = self.sentence
        if self.records:
            status = f"{len(self.records)} record(s): " + ", ".join(self.records)
        elif self.excluded is not None:
            status = f"excluded: {self.excluded}"
        else:
            status = "UNACCOUNTED FOR"
        return f"{s.sentence_id} [{s.kind}] {s.text[:70]!r}\n    {status}"


@dataclass(frozen=True)
class Coverage:
    sentences: list[SentenceCoverage]
    errors: list[SeedError]  # every problem the cross-record checks found

    @property
    def complete(self) -> bool:
        return not self.errors and all(s.accounted_for for s in self.sentences)

    def summary(self) -> str:
        total = len(self.sentences)
        covered = sum(s.accounted_for for s in self.sentences)
        pct = 100 * covered / total if total else 100.0
        return f"coverage: {covered}/{total} sentences ({pct:.1f}%)"

    def render(self) -> str:
        return "\n".join([*(s.render() for s in self.sentences), self.summary()])


def coverage(seeds: Path) -> Coverage:
    """Read the seeds and account for every sentence of every article."""
    corpus = load_corpus(seeds)
    errors, _ = check(corpus)
    citing = citations(corpus)
    excluded = exclusion_reasons(corpus)
    return Coverage(
        [
            SentenceCoverage(s, citing.get(s.sentence_id, []), excluded.get(s.sentence_id))
            for doc in sorted(corpus.documents, key=lambda d: d.seed.document_id)
            for s in doc.sentences  # in the order of the published sentences table
        ],
        errors,
    )
