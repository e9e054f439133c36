"""Pydantic models: the one source of truth for records and for the published tables.

Two families live here:

* authored records (`Entity`, `Event`, ...), read from the YAML in `seeds/records/`;
* row models (`DocumentRow`, `SentenceRow`, ...), the columns of tables the build computes.

`tables.TABLES` says which models make up each published table; `table_schema` turns them into
Frictionless Table Schemas. Field descriptions here become the data dictionary; the enumerated
types come from `vocabularies`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .columns import Ref as Ref  # re-exported: columns name their foreign keys with m.Ref
from .vocabularies import literals

STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)

Text = Annotated[str, StringConstraints(min_length=1)]
Slug = r"[a-z0-9]+(?:[-_][a-z0-9]+)*"
EntityId = Annotated[str, StringConstraints(pattern=rf"^ent\.{Slug}$")]
EventId = Annotated[str, StringConstraints(pattern=rf"^evt\.{Slug}$")]
AgreementId = Annotated[str, StringConstraints(pattern=rf"^agr\.{Slug}$")]
StatementId = Annotated[str, StringConstraints(pattern=rf"^stm\.{Slug}$")]
RelationId = Annotated[str, StringConstraints(pattern=rf"^rel\.{Slug}$")]
PostId = Annotated[str, StringConstraints(pattern=rf"^post\.{Slug}$")]
MentionId = Annotated[str, StringConstraints(pattern=rf"^men\.{Slug}$")]
DocumentId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+$")]
SentenceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+\.s[0-9]{3}$")]
ChildId = Annotated[str, StringConstraints(pattern=r"^[a-z]+\.[a-z0-9_.-]+/[a-z0-9_.-]+$")]
RecordId = Annotated[str, StringConstraints(pattern=r"^[a-z]+\.[a-z0-9_./-]+$")]
Offset = Annotated[int, Field(ge=0)]

if TYPE_CHECKING:  # the type checker reads the Literals `sinopak build` generates
    from .vocabulary_types import (
        AgreementType,
        AliasType,
        AttributionType,
        Basis,
        ClaimPart,
        ClaimStatus,
        Confidence,
        CoverageStatus,
        CurationStatus,
        DateBasis,
        DateMethod,
        DatePrecision,
        DateRule,
        EntityType,
        EventStatus,
        EventType,
        EvidenceRole,
        MentionType,
        Modality,
        ParticipantRole,
        PartyRole,
        PlacePrecision,
        RelationType,
        SentenceKind,
        SpeechType,
        TextScope,
    )
else:  # at run time they are built from the vocabularies themselves
    globals().update(literals())

PLACE_TYPES = ("place", "facility", "border", "country")


# --------------------------------------------------------------------------- authored records


class Evidence(BaseModel):
    """One span of the article that supports a record."""

    model_config = STRICT

    sentence_id: Annotated[SentenceId, Ref("sentences")] = Field(
        description="The sentence the quote lies in."
    )
    start: Offset = Field(
        description="Start of the quote: Unicode code points into the source file, inclusive."
    )
    end: Offset = Field(description="End of the quote: code points, exclusive.")
    quote: Text = Field(description="Exact text of the source at [start, end).")
    role: EvidenceRole = Field(default="support", description="What the span does for the record.")


class Curation(BaseModel):
    """Curation metadata carried by every authored record."""

    model_config = STRICT

    curation_status: CurationStatus = Field(
        default="reviewed", description="draft, or reviewed against the article."
    )
    confidence: Confidence = Field(default="high", description="high, medium or low.")
    confidence_reason: Text | None = Field(
        default=None, description="Why confidence is not high (required unless high)."
    )
    note: Text | None = Field(default=None, description="Curator's note.")

    @model_validator(mode="after")
    def _reason_unless_high(self) -> Curation:
        if self.confidence != "high" and self.confidence_reason is None:
            raise ValueError(
                f"confidence_reason is required when confidence is {self.confidence!r}"
            )
        return self


class Record(Curation):
    """An authored record: curation metadata plus at least one evidence span."""

    evidence: list[Evidence] = Field(min_length=1)


class Alias(Record):
    alias: Text = Field(description="A surface form the article uses for the entity.")
    alias_type: AliasType = Field(description="Kind of surface form.")


class Entity(Record):
    entity_id: EntityId = Field(description="Stable id of the entity, `ent.<slug>`.")
    entity_type: EntityType = Field(description="Kind of entity.")
    name: Text = Field(description="Canonical name (for countries, the ISO 3166-1 name).")
    description: Text | None = Field(default=None, description="What the article says it is.")
    aliases: list[Alias] = Field(default_factory=list)


class Post(Record):
    post_id: PostId = Field(description="Stable id of the person-in-post record.")
    person_id: Annotated[EntityId, Ref("entities", ("person",))] = Field(
        description="The person holding the post."
    )
    title: Text = Field(description="The post as the article words it.")
    organisation_id: Annotated[EntityId, Ref("entities", ("organisation", "country"))] | None = (
        Field(default=None, description="The body or country the post belongs to.")
    )
    rank: Text | None = Field(default=None, description="Military rank as written (Gen, General).")
    as_of_event_id: Annotated[EventId, Ref("events")] | None = Field(
        default=None,
        description="The event at whose time the article gives the post, when "
        "it is not current at publication (e.g. a visit last year).",
    )


class Mention(Record):
    mention_id: MentionId = Field(description="Stable id of the pronoun or description.")
    text: Text = Field(description="The pronoun or description as written.")
    mention_type: MentionType = Field(description="pronoun or description.")
    referents: list[Annotated[RecordId, Ref("*")]] = Field(min_length=1)

    @model_validator(mode="after")
    def _mention_and_antecedent(self) -> Mention:
        roles = {e.role for e in self.evidence}
        if not {"mention", "antecedent"} <= roles:
            raise ValueError("evidence needs one span with role mention and one with antecedent")
        return self


class DateClaim(Record):
    """One document's date phrase for an event: what day(s) it allows, by a named rule.

    The document is the one its evidence cites. The build intersects an event's claims; a
    claim the curator discounts (with `discount_reason`) is published but left out.
    """

    # a curator_range's start and end are published as the computed range_start / range_end
    NOT_COLUMNS: ClassVar[tuple[str, ...]] = ("start", "end")

    text: Text | None = Field(
        default=None, description="The date phrase, verbatim (null only for curator_range)."
    )
    rule: DateRule = Field(description="How the phrase becomes days (docs/CURATION.md, Dates).")
    part: ClaimPart = Field(default="day", description="Which day of the event it dates.")
    modality: Modality = Field(
        default="asserted", description="How the document presents the date (hedged stays so)."
    )
    anchor_event_id: Annotated[EventId, Ref("events")] | None = Field(
        default=None, description="The event an anchored rule is relative to."
    )
    start: dt.date | None = Field(default=None, description="curator_range only: first day.")
    end: dt.date | None = Field(default=None, description="curator_range only: last day.")
    reason: Text | None = Field(default=None, description="curator_range only: why.")
    discount_reason: Text | None = Field(
        default=None, description="A curator's judgement to leave the claim out, and why."
    )


class EventDate(BaseModel):
    """A date typed by hand: only a cross-check, it must equal what the claims give."""

    model_config = STRICT

    start: dt.date | None = None
    end: dt.date | None = None


class Participant(Record):
    entity_id: Annotated[EntityId, Ref("entities")] = Field(description="The participant.")
    role: ParticipantRole = Field(description="Role in the event.")


class Event(Record):
    event_id: EventId = Field(description="Stable id of the event, `evt.<slug>`.")
    event_type: EventType = Field(description="Kind of event (vocabulary in docs/CURATION.md).")
    label: Text = Field(description="Short human-readable summary.")
    topic: Text | None = Field(
        default=None, description="What was discussed or aimed at, verbatim from the article."
    )
    status: EventStatus = Field(description="occurred, ongoing or planned, as of publication.")
    modality: Modality = Field(description="How the article presents the event.")
    parent_event_id: Annotated[EventId, Ref("events")] | None = Field(
        default=None, description="A larger event this one is part of (a visit)."
    )
    agreement_id: Annotated[AgreementId, Ref("agreements")] | None = Field(
        default=None,
        description="The agreement signed (signings), or the plan the event is a project of.",
    )
    place_id: Annotated[EntityId, Ref("entities", PLACE_TYPES)] | None = Field(
        default=None, description="Where the event took or takes place."
    )
    place_precision: PlacePrecision | None = Field(
        default=None, description="How exact place_id is."
    )
    place_basis: Basis | None = Field(
        default=None, description="Whether the place is stated or inferred."
    )
    date_claims: list[DateClaim] = Field(
        default_factory=list, description="This document's date phrases for the event."
    )
    date: EventDate | None = Field(
        default=None, description="Optional hand-typed range, checked against the claims."
    )
    participants: list[Participant] = Field(default_factory=list)

    @model_validator(mode="after")
    def _place_fields_together(self) -> Event:
        given = [self.place_id is None, self.place_precision is None, self.place_basis is None]
        if any(given) and not all(given):
            raise ValueError("place_id, place_precision and place_basis go together")
        return self


class Report(Record):
    """A curated link: another document reports an event already recorded.

    The evidence (in that document) shows the report; `confidence` is the curator's judgement
    that it is the same event. The report's own date phrases are its `date_claims`.
    """

    event_id: Annotated[EventId, Ref("events")] = Field(description="The event reported.")
    date_claims: list[DateClaim] = Field(
        default_factory=list, description="The document's date phrases for the event."
    )

    @property
    def document_id(self) -> str:
        return self.evidence[0].sentence_id.split(".")[0]

    @property
    def report_id(self) -> str:
        return f"{self.event_id}/{self.document_id}"


class Party(Record):
    entity_id: Annotated[EntityId, Ref("entities", ("country", "organisation"))] = Field(
        description="A party to the agreement."
    )
    role: PartyRole = Field(default="party", description="Role in the agreement.")


class Agreement(Record):
    agreement_id: AgreementId = Field(description="Stable id of the agreement, `agr.<slug>`.")
    agreement_type: AgreementType = Field(description="mou, agreement or plan.")
    name: Text = Field(description="Name or description as the article gives it.")
    short_name: Text | None = Field(default=None, description="Abbreviation given in the article.")
    purpose: Text | None = Field(default=None, description="Purpose, verbatim from the article.")
    signing_event_id: Annotated[EventId, Ref("events")] | None = Field(
        default=None, description="The signing event, if recorded."
    )
    modality: Modality = Field(description="How the article presents the agreement.")
    parties: list[Party] = Field(default_factory=list)


class Statement(Record):
    statement_id: StatementId = Field(description="Stable id of the statement, `stm.<slug>`.")
    speaker_id: Annotated[EntityId, Ref("entities")] | None = Field(
        default=None, description="Who is said to have said it."
    )
    source_id: Annotated[EntityId, Ref("entities")] | None = Field(
        default=None, description="Who reports it (media, ministry), when not the speaker."
    )
    attribution_text: Text | None = Field(
        default=None,
        description="The attribution as written ('a report in China's official "
        "media said'); null for the article's own voice.",
    )
    attribution_type: AttributionType = Field(description="Kind of source.")
    speech: SpeechType = Field(description="direct, indirect, mixed or editorial.")
    content: Text = Field(description="What is said, verbatim from the article.")
    modality: Modality = Field(description="attributed, hedged or editorial.")
    subjects: list[Annotated[RecordId, Ref("*")]] = Field(
        min_length=1, description="Records the statement is about."
    )


class Relation(Record):
    relation_id: RelationId = Field(description="Stable id of the relation, `rel.<slug>`.")
    relation_type: RelationType = Field(description="Kind of relation.")
    subject_id: Annotated[EntityId, Ref("entities")] = Field(description="First party.")
    object_id: Annotated[EntityId, Ref("entities")] = Field(description="Second party.")
    about_id: Annotated[EntityId, Ref("entities")] | None = Field(
        default=None, description="What the relation concerns (equipment, programme)."
    )
    place_id: Annotated[EntityId, Ref("entities", PLACE_TYPES)] | None = Field(
        default=None, description="Where the relation plays out (a border)."
    )
    description: Text = Field(description="The relation in the article's words.")
    modality: Modality = Field(description="How the article presents the relation.")


class Exclusion(BaseModel):
    """A sentence deliberately not cited by any record, with the reason."""

    model_config = STRICT

    sentence_id: SentenceId
    reason: Text


class DocumentSeed(BaseModel):
    """A source document as registered in seeds/documents.yaml, with what is known of its date."""

    model_config = STRICT

    document_id: DocumentId
    file: Text
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    title: Text | None = None
    publisher: Text | None = None
    url: Text | None = None
    language: Text
    text_scope: TextScope
    date_basis: DateBasis
    date_text: Text | None = None
    date: dt.date | None = None
    date_earliest: dt.date | None = None
    date_earliest_reason: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _date_fields_agree(self) -> DocumentSeed:
        dated = self.date_text is not None and self.date is not None
        if self.date_basis == "text" and not dated:
            raise ValueError("date_basis 'text' needs date_text (verbatim) and date")
        if self.date_basis != "text" and (self.date_text or self.date):
            raise ValueError(
                f"date_text and date go with date_basis 'text', not {self.date_basis!r}"
            )
        if (self.date_earliest is None) != (self.date_earliest_reason is None):
            raise ValueError("date_earliest and date_earliest_reason go together")
        return self


class License(BaseModel):
    """A licence as Data Package v2 writes it."""

    model_config = STRICT

    name: Text
    path: Text | None = None
    title: Text


class Contributor(BaseModel):
    model_config = STRICT

    title: Text
    roles: list[Text] = Field(min_length=1)


class PackageSeed(BaseModel):
    """Curated metadata of the data package, from seeds/package.yaml."""

    model_config = STRICT

    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9._-]+$")]
    title: Text
    description: Text
    keywords: list[Text] = Field(min_length=1)
    licenses: list[License] = Field(min_length=1, description="Of the curated records.")
    source_license: License = Field(description="Of each source article's text.")
    license_summary: Text = Field(description="One line for Datasette's `license`.")
    contributors: list[Contributor] = Field(min_length=1)
    citation: Text = Field(description="How to cite; {authors}, {title} and {version} filled in.")

    def cite(self, version: str) -> str:
        authors = ", ".join(c.title for c in self.contributors)
        return self.citation.format(authors=authors, title=self.title, version=version)


KINDS: dict[str, type[BaseModel]] = {
    "entities": Entity,
    "posts": Post,
    "mentions": Mention,
    "events": Event,
    "reports": Report,
    "agreements": Agreement,
    "statements": Statement,
    "relations": Relation,
    "exclusions": Exclusion,
}


# --------------------------------------------------------------------------- computed columns


class DocumentRow(BaseModel):
    document_id: DocumentId = Field(description="Id of the source article (from its file name).")
    title: Text | None = Field(description="Headline, when the source gives one.")
    publisher: Text | None = Field(description="Publisher; null when the source does not say.")
    url: Text | None = Field(description="Where it was published; null when unknown.")
    language: Text = Field(description="BCP 47 language tag.")
    text_scope: TextScope = Field(description="full, or excerpt (only the opening is stored).")
    metadata_date: dt.date | None = Field(
        description="The file's metadata line `date …`: published on or before; null if none."
    )
    date_basis: DateBasis = Field(description="text, metadata or unknown.")
    date_text: Text | None = Field(description="The date written in the text, verbatim.")
    date_earliest: dt.date | None = Field(
        description="Earliest possible publication date; null when open."
    )
    date_latest: dt.date | None = Field(
        description="Latest possible publication date; null when unknown."
    )
    date_reason: Text | None = Field(description="What the date range rests on.")
    note: Text | None = Field(description="Curator's note on the document.")
    source_path: Text = Field(description="Path of the exact source text in this package.")
    sha256: Text = Field(description="sha256 of the source file's bytes.")
    char_count: int = Field(description="Length of the source text in code points.")
    body_start: int = Field(description="Offset where the article text starts (after metadata).")
    sentence_count: int = Field(description="Sentences and headings in the article.")


class SentenceRow(BaseModel):
    sentence_id: SentenceId = Field(description="`<document_id>.s<NNN>`, numbered from 1.")
    document_id: Annotated[DocumentId, Ref("documents")] = Field(description="The article.")
    paragraph: int = Field(description="Paragraph number, from 1.")
    position: int = Field(description="Position in the article, from 1.")
    kind: SentenceKind = Field(description="sentence or heading.")
    start: Offset = Field(description="Start offset in the source file (code points, inclusive).")
    end: Offset = Field(description="End offset (code points, exclusive).")
    text: Text = Field(description="Exact text of the source at [start, end).")


class EvidenceRow(BaseModel):
    evidence_id: Text = Field(description="`<record_id>#<n>`, n from 1 in authoring order.")
    record_id: RecordId = Field(description="The record the span supports (any table).")
    record_table: Text = Field(description="The table that holds record_id.")
    role: EvidenceRole = Field(description="support, mention or antecedent.")
    sentence_id: Annotated[SentenceId, Ref("sentences")] = Field(description="Cited sentence.")
    start: Offset = Field(description="Start of the quote in the source (code points).")
    end: Offset = Field(description="End of the quote (exclusive).")
    quote: Text = Field(description="Exact source text at [start, end).")


class Provenance(BaseModel):
    evidence_count: int = Field(description="Evidence spans for this row (see the evidence table).")
    sentence_id: Annotated[SentenceId, Ref("sentences")] = Field(
        description="Sentence of the first evidence span."
    )
    quote_start: Offset = Field(description="Start of the first evidence quote (code points).")
    quote_end: Offset = Field(description="End of the first evidence quote (exclusive).")
    quote: Text = Field(description="The first evidence quote, exact.")


class EntityCodes(BaseModel):
    iso3166_alpha2: Text | None = Field(
        description="Derived, countries only: ISO 3166-1 "
        "alpha-2 code looked up from `name` (pycountry)."
    )
    iso3166_alpha3: Text | None = Field(
        description="Derived, countries only: ISO 3166-1 "
        "alpha-3 code looked up from `name` (pycountry)."
    )


class AliasKey(BaseModel):
    alias_id: ChildId = Field(description="`<entity_id>/a<n>`, n from 1 in authoring order.")
    entity_id: Annotated[EntityId, Ref("entities")] = Field(description="The entity.")


class PostDerived(BaseModel):
    as_of_date: dt.date | None = Field(
        description="Derived: the latest possible publication date of the cited document "
        "(documents.date_latest) when the post is given as current (as_of_event_id is null); "
        "otherwise null, see the event's dates."
    )


class MentionReferentRow(BaseModel):
    mention_id: Annotated[MentionId, Ref("mentions")] = Field(description="The mention.")
    referent_id: Annotated[RecordId, Ref("*")] = Field(
        description="A record it refers to (an entity, event or agreement)."
    )


class EventCodes(BaseModel):
    date_start: dt.date | None = Field(
        description="Derived: earliest possible (start) date, the intersection of the event's "
        "date claims; null when open."
    )
    date_end: dt.date | None = Field(
        description="Derived: latest possible (end) date from the claims; null when open."
    )
    date_precision: DatePrecision = Field(description="Derived: how exactly the bounds are known.")
    date_method: DateMethod = Field(description="Derived: how the claims date the event.")
    date_confidence: Confidence = Field(
        description="Derived: high only if a firm claim (not hedged; stated, or from a "
        "document dated in its text) or two documents' claims fix the date."
    )
    date_anchor_event_id: Annotated[EventId, Ref("events")] | None = Field(
        description="The event an anchored claim of this event is relative to."
    )
    date_reason: Text | None = Field(description="Why a curator's range is what it is.")
    date_claim_count: int = Field(description="Date claims, used or discounted.")
    source_count: int = Field(description="Documents whose evidence supports the event.")
    plover_event: Text = Field(description="Derived from event_type: PLOVER event category.")
    plover_mode: Text | None = Field(description="Derived from event_type: PLOVER mode.")
    cameo_code: Text = Field(description="Derived from event_type: CAMEO code.")


class ClaimKey(BaseModel):
    claim_id: ChildId = Field(description="`<event_id>/<document_id>.c<n>`, n from 1.")
    event_id: Annotated[EventId, Ref("events")] = Field(description="The event dated.")
    document_id: Annotated[DocumentId, Ref("documents")] = Field(description="Whose phrase.")


class ClaimDerived(BaseModel):
    weekday: Text | None = Field(description="Derived: the weekday the phrase names, if any.")
    range_start: dt.date | None = Field(
        description="Derived: first day the phrase allows; null when open."
    )
    range_end: dt.date | None = Field(
        description="Derived: last day the phrase allows; null when open."
    )
    status: ClaimStatus = Field(description="used, or discounted (see discount_reason).")


class ReportKey(BaseModel):
    report_id: ChildId = Field(description="`<event_id>/<document_id>`.")
    event_id: Annotated[EventId, Ref("events")] = Field(description="The event reported.")
    document_id: Annotated[DocumentId, Ref("documents")] = Field(description="The document.")


class ParticipantKey(BaseModel):
    participant_id: ChildId = Field(description="`<event_id>/<entity slug>`.")
    event_id: Annotated[EventId, Ref("events")] = Field(description="The event.")


class PartyKey(BaseModel):
    party_id: ChildId = Field(description="`<agreement_id>/<entity slug>`.")
    agreement_id: Annotated[AgreementId, Ref("agreements")] = Field(description="The agreement.")


class StatementSubjectRow(BaseModel):
    statement_id: Annotated[StatementId, Ref("statements")] = Field(description="The statement.")
    subject_id: RecordId = Field(description="A record (any table) the statement is about.")


class CoverageRow(BaseModel):
    sentence_id: Annotated[SentenceId, Ref("sentences")] = Field(description="The sentence.")
    status: CoverageStatus = Field(description="covered or excluded.")
    record_count: int = Field(description="Distinct records citing the sentence.")
    reason: Text | None = Field(description="Why an excluded sentence is not cited.")
