"""Controlled vocabularies: every enumerated value with its meaning, in one place.

Everything else is generated from these dictionaries: the Literal types of `models` (built at
run time by `literals()`; `sinopak build` writes them to `vocabulary_types.py` for the type
checker), the `enum` constraints and `categories` (value and meaning) of the published Table
Schemas, the vocabulary tables in docs/CURATION.md and the card's list of vocabularies.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

ENTITY_TYPES = {
    "country": "A sovereign state. ISO 3166-1 codes are derived from the name.",
    "person": "A named individual.",
    "organisation": "A government body, armed force or other institution.",
    "media": "A news outlet or group of outlets a statement is attributed to.",
    "place": "A settlement, administrative area or region.",
    "facility": "A fixed site such as an airbase.",
    "border": "A boundary or line of control between states.",
    "programme": "A named programme or project (e.g. an economic corridor).",
    "equipment": "A type of weapon system or platform.",
}

ALIAS_TYPES = {
    "name": "A full or partial proper name as written.",
    "abbreviation": "An acronym or short form given in the article.",
    "titled": "A name with a title or rank (e.g. 'Gen. Wei').",
    "descriptive": "A description used as a name (e.g. 'the Chinese military').",
    "demonym": "An adjectival or possessive form (e.g. 'Pakistani', 'China's').",
}

MENTION_TYPES = {
    "pronoun": "A pronoun (he, it, both) standing for an entity mentioned elsewhere.",
    "description": "A definite description (the two sides, the troops) standing for entities.",
}

EVENT_TYPES = {
    "talks": "Leaders or officials hold talks or discuss issues.",
    "meeting": "A meeting or courtesy call between officials.",
    "visit": "An official travels to another country or place.",
    "signing": "Parties sign an agreement or memorandum.",
    "exercise": "A joint military exercise or drill.",
    "deployment": "Military personnel or equipment move to take part in an activity.",
    "ceremony": "A formal ceremony: an investiture, or an exercise's opening or closing.",
}

# Event type -> (PLOVER event, PLOVER mode, CAMEO code). See docs/CURATION.md.
EVENT_CODES: dict[str, tuple[str, str | None, str]] = {
    "talks": ("CONSULT", None, "040"),
    "meeting": ("CONSULT", None, "040"),
    "visit": ("CONSULT", "visit", "042"),
    "signing": ("SUPPORT", None, "057"),
    "exercise": ("COOPERATE", None, "062"),
    "deployment": ("COOPERATE", None, "062"),
    "ceremony": ("CONSULT", None, "040"),
}

EVENT_STATUS = {
    "occurred": "Happened before the publication date.",
    "ongoing": "Under way at the publication date.",
    "planned": "Announced for after the publication date.",
}

PARTICIPANT_ROLES = {
    "visitor": "Travels to the host (the PLOVER actor of a visit).",
    "host": "Receives the visitor (the PLOVER recipient).",
    "signatory": "Party that signed the agreement.",
    "participant": "Takes part on an equal footing (e.g. an exercise).",
    "deployed": "Personnel or unit sent to the event.",
}

PLACE_PRECISION = {
    "facility": "An exact site (e.g. an airbase).",
    "city": "A city or town.",
    "district": "A district or similar sub-region.",
    "region": "A province, state or region.",
    "country": "Only the country is known.",
}

BASIS = {
    "stated": "The article says it in so many words.",
    "inferred": "A curator's reading of the article; the reason is in confidence_reason or note.",
}

DATE_PRECISION = {
    "day": "Each bound is known to the day (a one-day event: date_start == date_end).",
    "week": "The least exact bound spans 2 to 7 possible days.",
    "month": "The least exact bound lies within one calendar month.",
    "year": "The least exact bound lies within one calendar year.",
    "unknown": "A bound is open (null) or crosses a year boundary.",
}

DATE_METHODS = {
    "reconciled": "The intersection of date claims from two or more documents.",
    "stated": "One claim: a calendar date written in the document (e.g. 'March 2011').",
    "resolved": "One claim: a relative phrase resolved by a named rule against its document's "
    "date range or another event's date.",
    "bounded": "One claim that gives only a bound (e.g. 'have signed': on or before the "
    "document's date).",
    "inferred": "A range a curator inferred; explained in date_reason.",
    "unknown": "No date claim: the sources do not date the event.",
}

CLAIM_PARTS = {
    "day": "The event took place on one day, and the phrase gives that day.",
    "start": "The phrase gives the day the event started.",
    "end": "The phrase gives the day the event ended (or is to end).",
    "within": "The whole event lies within the days the phrase allows (its start and its end).",
}

CLAIM_STATUS = {
    "used": "Part of the intersection that dates the event.",
    "discounted": "Left out by a recorded curator's judgement (discount_reason).",
}

DATE_BASES = {
    "text": "A date written in the document itself (a dateline, 'Published in ..., December "
    "1st, 2020'): the publication date.",
    "metadata": "Only the file's metadata line `date YYYY-MM-DD`: an upper bound (published on or "
    "before), never assumed to be the publication date.",
    "unknown": "Neither: the document's date is unknown.",
}

TEXT_SCOPES = {
    "full": "The stored text is the whole document as published.",
    "excerpt": "The stored text is only the opening (or a part) of the page; never treated as "
    "complete.",
}

AGREEMENT_TYPES = {
    "mou": "Memorandum of understanding.",
    "agreement": "A formal agreement between parties.",
    "plan": "A cooperation plan or programme of activities.",
}

PARTY_ROLES = {
    "party": "A party to the agreement.",
}

ATTRIBUTION_TYPES = {
    "official": "A named official.",
    "ministry": "A government ministry.",
    "military": "An armed force or its spokespeople.",
    "state_media": "State or official media.",
    "reports": "Unnamed reports.",
    "article": "The article's own (editorial) voice.",
}

SPEECH_TYPES = {
    "direct": "Quoted words, inside quotation marks.",
    "indirect": "Reported speech without quotation marks.",
    "mixed": "Reported speech that embeds a quoted fragment.",
    "editorial": "Not speech: the article's own evaluative wording.",
}

MODALITIES = {
    "asserted": "Stated as fact in the article's own voice.",
    "attributed": "Stated as fact, credited to a named source (ministry, media, official).",
    "hedged": "Qualified: 'according to reports', 'appears to be', 'is said to'.",
    "editorial": "The article's evaluative voice (loaded wording, a slanted heading).",
}

RELATION_TYPES = {
    "alliance": "The parties are described as allies or friends.",
    "military_ties": "Close military relations between the parties.",
    "defence_partnership": "A growing or established defence partnership.",
    "co_production": "The subject helps the object produce the equipment in `about_id`.",
    "tension": "Rising or existing tension between the parties.",
    "border_friction": "Friction along a shared border (place_id).",
    "located_in": "The subject place lies within the object place.",
    "near": "The subject place lies near the object place (direction in description).",
    "involved_in": "The subject plays a role in the object (a programme).",
    "belongs_to": "The subject (a facility) belongs to the object (an organisation).",
}

CURATION_STATUS = {
    "draft": "Written, not yet reviewed.",
    "reviewed": "Read against the article by a second curator.",
}

CONFIDENCE = {
    "high": "The article states it plainly.",
    "medium": "Depends on a reading of the article; reason given.",
    "low": "Uncertain; reason given.",
}

EVIDENCE_ROLES = {
    "support": "The span states the fact.",
    "mention": "The span is where an alias or pronoun occurs.",
    "antecedent": "The span names the entity a pronoun or description refers to.",
}

SENTENCE_KINDS = {
    "sentence": "A sentence of the article's body.",
    "heading": "A heading (one line without final punctuation).",
}

COVERAGE_STATUS = {
    "covered": "At least one record cites the sentence.",
    "excluded": "No record cites it; the reason is given.",
}

# Every rule maps a phrase and its document's date range [earliest, latest] (see DATE_BASES) to
# the set of days the phrase allows; src/sinopak/pipeline/dates.py computes them.
DATE_RULES = {
    "stated_date": '"29 November 2020", "Nov 30": the stated day (a missing year is the year '
    "of the document's date).",
    "month_year": '"March 2011": the whole month.',
    "weekday_on_or_before_publication": '"on Monday" (past): that weekday, from 6 days before '
    "the document's earliest date to its latest date.",
    "weekday_on_or_after_publication": '"on Sunday" (future): that weekday, from the '
    "document's earliest date to 6 days after its latest date.",
    "day_of_publication": '"today", "this morning": a day within the document\'s date range.',
    "day_before_publication": '"yesterday": the day before a day in the document\'s date range.',
    "on_or_before_publication": '"have signed": open start – the document\'s latest date.',
    "last_year": '"last year": the calendar year before the document\'s year.',
    "earlier_this_year": '"Earlier this year": 1 January of the document\'s year – its latest '
    "date.",
    "late_month_not_before_publication": '"late December" (future): day 21 – month end (TIMEX3 '
    "modifier END, the last third), in the first such month not before publication.",
    "day_before_event": '"X came a day after Y" (on X): the day before the start of '
    "`anchor_event_id`.",
    "day_after_event": '"a day after Y": the day after the end of `anchor_event_id`.',
    "start_of_event": '"the opening ceremony" of Y: the first day of `anchor_event_id`.',
    "end_of_event": '"the concluding ceremony" of Y: the last day of `anchor_event_id`.',
    "during_event": "An event inside another (a meeting during a visit): the range of "
    "`anchor_event_id`.",
    "curator_range": "No phrase gives the date: a range a curator inferred (start, end, reason).",
}


@dataclass(frozen=True)
class Vocabulary:
    type_name: str  # the Literal type in `models`
    title: str  # heading in docs/CURATION.md
    values: dict[str, str]  # value -> meaning, in documentation order


VOCABULARIES = (
    Vocabulary("EntityType", "Entity types", ENTITY_TYPES),
    Vocabulary("AliasType", "Alias types", ALIAS_TYPES),
    Vocabulary("MentionType", "Mention types", MENTION_TYPES),
    Vocabulary("EventType", "Event types", EVENT_TYPES),
    Vocabulary("EventStatus", "Event status", EVENT_STATUS),
    Vocabulary("ParticipantRole", "Participant roles", PARTICIPANT_ROLES),
    Vocabulary("PlacePrecision", "Place precision", PLACE_PRECISION),
    Vocabulary("Basis", "Place basis", BASIS),
    Vocabulary("DatePrecision", "Date precision", DATE_PRECISION),
    Vocabulary("DateMethod", "Date methods", DATE_METHODS),
    Vocabulary("DateRule", "Date rules", DATE_RULES),
    Vocabulary("ClaimPart", "Date claim parts", CLAIM_PARTS),
    Vocabulary("ClaimStatus", "Date claim status", CLAIM_STATUS),
    Vocabulary("DateBasis", "Document date basis", DATE_BASES),
    Vocabulary("TextScope", "Text scope", TEXT_SCOPES),
    Vocabulary("AgreementType", "Agreement types", AGREEMENT_TYPES),
    Vocabulary("PartyRole", "Party roles", PARTY_ROLES),
    Vocabulary("AttributionType", "Attribution types", ATTRIBUTION_TYPES),
    Vocabulary("SpeechType", "Speech", SPEECH_TYPES),
    Vocabulary("Modality", "Modality", MODALITIES),
    Vocabulary("RelationType", "Relation types", RELATION_TYPES),
    Vocabulary("CurationStatus", "Curation status", CURATION_STATUS),
    Vocabulary("Confidence", "Confidence", CONFIDENCE),
    Vocabulary("EvidenceRole", "Evidence roles", EVIDENCE_ROLES),
    Vocabulary("SentenceKind", "Sentence kinds", SENTENCE_KINDS),
    Vocabulary("CoverageStatus", "Coverage status", COVERAGE_STATUS),
)


def literals() -> dict[str, typing.Any]:
    """Each vocabulary's Literal type, by its name in `models`."""
    return {v.type_name: typing.Literal[tuple(v.values)] for v in VOCABULARIES}


_BY_VALUES = {tuple(v.values): v for v in VOCABULARIES}  # no two share their values (tested)


def meanings(values: tuple[str, ...]) -> tuple[str, ...]:
    """The meaning of each value of the vocabulary whose values these are, in order."""
    found = _BY_VALUES.get(values)
    if found is None:
        raise KeyError(f"expected the values of a vocabulary, found {values}")
    return tuple(found.values[v] for v in values)
