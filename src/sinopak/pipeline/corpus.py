"""The seeds as one object: source texts, their sentences and the authored records."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import SeedError
from ..schema.models import (
    Alias,
    DateClaim,
    DocumentSeed,
    Event,
    Exclusion,
    PackageSeed,
    Record,
    Report,
)
from .parallel import imap_in_order
from .seeds import (
    Loaded,
    collect_records,
    load_documents_located,
    load_package,
    reading_records,
    record_id,
)
from .segment import Segment, segment
from .sources import SourceText, read_source


@dataclass(frozen=True)
class Document:
    seed: DocumentSeed
    source: SourceText
    sentences: list[Segment]
    loaded: Loaded | None = None  # where the document is registered, for error lines

    def line_of(self, *field: str | int) -> int | None:
        return None if self.loaded is None else self.loaded.line_of(*field)


@dataclass(frozen=True)
class Corpus:
    package: PackageSeed
    documents: list[Document]
    records: list[Loaded]
    # sha256 of each seed file read (package.yaml, documents.yaml, the sources and the record
    # files), by path inside seeds/, of the bytes read: the build manifest records these
    read: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # what `units` and `citations` made of the records, made once (checking and making rows
    # both need them)
    made: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def release_records(self) -> None:
        """Once the rows are made, the build reads only the package metadata and the
        documents' seeds and texts: drop the records, the sentences, the raw YAML and its
        line numbers (at 10,000 articles they held over a gigabyte that writing and
        validating need). Nothing reports a seed's line after this."""
        for loaded in [*self.records, *(d.loaded for d in self.documents if d.loaded)]:
            loaded.located.release()
        self.records.clear()
        self.made.clear()
        for doc in self.documents:
            doc.sentences.clear()

    @property
    def sentences(self) -> dict[str, tuple[Document, Segment]]:
        return {s.sentence_id: (d, s) for d in self.documents for s in d.sentences}


def load_corpus(seeds: Path) -> Corpus:
    """Read and verify every source, segment it, and read every record (Pydantic-validated)."""
    corpus = read_corpus(seeds)
    add_sentences(corpus, segmenting(corpus))
    return corpus


def read_corpus(seeds: Path) -> Corpus:
    """`load_corpus` without the sentences: the build checks what needs none of them while
    workers make them (`segmenting`, then `add_sentences`)."""
    with contextlib.closing(reading_records(seeds)) as reading:  # parsed meanwhile
        texts = _read_texts(seeds)
        records = collect_records(reading, texts.read)
    return Corpus(texts.package, texts.documents, records, texts.read)


def load_corpus_texts(seeds: Path) -> Corpus:
    """The package metadata and the verified, segmented sources (records not read)."""
    texts = _read_texts(seeds)
    add_sentences(texts, segmenting(texts))
    return texts


def _read_texts(seeds: Path) -> Corpus:
    """The package metadata and the verified sources, not yet segmented: the first source
    that cannot be read or does not match its sha256 raises, before any record is read."""
    read: dict[str, str] = {}
    package = load_package(seeds, read)
    located = load_documents_located(seeds, read)
    for seed, _ in located:
        path = seeds / seed.file
        if path.resolve().parent != seeds.resolve() or "/" in seed.file:
            raise SeedError(
                f"source file must sit directly in seeds/, found {seed.file!r}",
                file="seeds/documents.yaml",
                record=seed.document_id,
                field="file",
            )
    documents = [
        Document(seed, read_source(seeds / seed.file, seed.document_id, seed.sha256), [], loaded)
        for seed, loaded in located
    ]
    read.update((d.seed.file, d.source.sha256) for d in documents)  # the bytes read: checked
    return Corpus(package, documents, [], read)


def segmenting(corpus: Corpus) -> Generator[list[Segment], None, None]:
    """The sentences of each document, in order; on a large corpus worker processes start
    on them at once (`imap_in_order`). Close it if not read to the end."""
    jobs = [(d.seed.document_id, d.source.text, d.source.metadata_end) for d in corpus.documents]
    return imap_in_order(_segment, jobs, what="segmenting sources")


def add_sentences(corpus: Corpus, sentences: Iterable[list[Segment]]) -> None:
    """Give each document its sentences, from `segmenting`."""
    for doc, made in zip(corpus.documents, sentences, strict=True):
        doc.sentences[:] = made


def _segment(job: tuple[str, str, int]) -> list[Segment]:
    """One source's sentences (run in a worker)."""
    return segment(*job)


# Nested lists of authored records that become link tables of their own.
CHILDREN = {
    "aliases": "aliases",
    "participants": "participants",
    "parties": "agreement_parties",
    "date_claims": "date_claims",
}


@dataclass(frozen=True)
class Unit:
    """One record with evidence: a top-level record or a nested child (alias, participant...)."""

    record_id: str
    table: str
    model: Record
    loaded: Loaded
    path: tuple[str | int, ...]  # inside the top-level record; () for the record itself
    parent_id: str | None = None  # for a date claim: its event, also when a report holds it

    @property
    def document_id(self) -> str:
        """The document of the unit's first evidence span."""
        return document_of(self.model.evidence[0].sentence_id)

    def error(self, message: str, *field: str | int) -> SeedError:
        full = (*self.path, *field)
        return SeedError(
            message,
            file=self.loaded.file,
            line=self.loaded.line_of(*full),
            record=self.record_id,
            field=".".join(str(f) for f in full) or None,
        )


@functools.cache
def has_attribute(model: type[BaseModel], name: str) -> bool:
    """Whether records of this kind have the attribute (a field or otherwise)."""
    return name in model.model_fields or hasattr(model, name)


def attribute(model: BaseModel, name: str, default: Any = None) -> Any:
    """getattr(model, name, default), asking the model's class once: pydantic answers a
    missing attribute slowly (it formats an error message), and the build asks millions of
    times (at 10,000 articles, 7 s of a build)."""
    return getattr(model, name) if has_attribute(type(model), name) else default


def child_id(parent_id: str, child: BaseModel, index: int) -> str:
    entity = attribute(child, "entity_id")
    if isinstance(child, Alias) or entity is None:
        return f"{parent_id}/a{index + 1}"
    return f"{parent_id}/{entity.removeprefix('ent.')}"


def document_of(sentence_id: str) -> str:
    return sentence_id.split(".")[0]


def units(corpus: Corpus) -> list[Unit]:
    """Every record that carries evidence, parents before their children, in seed order.

    A date claim's id is `<event_id>/<document_id>.c<n>`, numbered per event and document, so
    adding a report of an event never renumbers the claims already published. Made once per
    corpus."""
    made: list[Unit] | None = corpus.made.get("units")
    if made is None:
        made = corpus.made["units"] = _units(corpus)
    return made


def _units(corpus: Corpus) -> list[Unit]:
    out: list[Unit] = []
    claims: dict[tuple[str, str], int] = {}
    for loaded in corpus.records:
        model = loaded.model
        if not isinstance(model, Record):
            continue
        rid = record_id(model)
        assert rid is not None
        out.append(Unit(rid, loaded.kind, model, loaded, ()))
        for attr, table in CHILDREN.items():
            for i, child in enumerate(attribute(model, attr, ())):
                if isinstance(child, DateClaim):
                    assert isinstance(model, (Event, Report))
                    event_id = model.event_id
                    doc = document_of(child.evidence[0].sentence_id)
                    n = claims[event_id, doc] = claims.get((event_id, doc), 0) + 1
                    cid = f"{event_id}/{doc}.c{n}"
                    out.append(Unit(cid, table, child, loaded, (attr, i), event_id))
                    continue
                out.append(Unit(child_id(rid, child, i), table, child, loaded, (attr, i), rid))
    return out


def citing_records(spans: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """The distinct records citing each sentence, from (sentence_id, record_id) pairs, in the
    order the pairs come. The one rule for "which records cite a sentence"."""
    out: dict[str, dict[str, None]] = {}
    for sid, rid in spans:
        out.setdefault(sid, {})[rid] = None
    return {sid: list(ids) for sid, ids in out.items()}


def citations(corpus: Corpus) -> dict[str, list[str]]:
    """The distinct records citing each sentence, in seed order. Made once per corpus (the
    coverage check and the coverage rows both need it)."""
    made: dict[str, list[str]] | None = corpus.made.get("citations")
    if made is None:
        made = corpus.made["citations"] = citing_records(
            (ev.sentence_id, u.record_id) for u in units(corpus) for ev in u.model.evidence
        )
    return made


def exclusion_reasons(corpus: Corpus) -> dict[str, str]:
    """Why each excluded sentence is cited by no record, by sentence id."""
    return {
        r.model.sentence_id: r.model.reason
        for r in corpus.records
        if isinstance(r.model, Exclusion)
    }
