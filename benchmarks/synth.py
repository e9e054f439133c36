"""Synthetic corpus: N articles with records of every kind, valid by construction.

Deterministic for a seed. Writes a complete project folder (seeds/ with package.yaml,
pyproject.toml) that `sinopak build --root DIR` builds and validates from data files alone.

    python benchmarks/synth.py --articles 100 --seed 1 --out build/synth-100
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
from pathlib import Path

COUNTRIES = [
    "China",
    "Pakistan",
    "India",
    "Nepal",
    "Bangladesh",
    "Sri Lanka",
    "Myanmar",
    "Thailand",
    "Indonesia",
    "Malaysia",
    "Viet Nam",
    "Japan",
    "Mongolia",
    "Iran",
    "Tunisia",
    "Egypt",
    "Kenya",
    "Brazil",
    "Chile",
    "Peru",
]
FIRST = [
    "Ali",
    "Chen",
    "Ravi",
    "Mei",
    "Omar",
    "Sana",
    "Li",
    "Arun",
    "Hana",
    "Zhou",
    "Imran",
    "Yasmin",
    "Wang",
    "Karim",
    "Lin",
]
LAST = ["Khan", "Wu", "Sharma", "Zhang", "Malik", "Liu", "Rao", "Qureshi", "Huang", "Aziz"]
TOPICS = [
    "regional security issues",
    "maritime cooperation",
    "training exchanges",
    "equipment maintenance",
    "counter-terrorism cooperation",
]
PLACES = ["Northport", "Eastbay", "Hillcrest", "Riverside", "Stonegate", "Lakeview"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


class Article:
    """One synthetic article: its text and the records that cite it."""

    def __init__(self, n: int, rng: random.Random) -> None:
        self.doc = hashlib.sha256(f"synthetic-{n}".encode()).hexdigest()[:16]
        self.n = n
        a, b, c = rng.sample(COUNTRIES, 3)
        p1 = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        p2 = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        while p2 == p1:
            p2 = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        self.names = {"a": a, "b": b, "c": c, "p1": p1, "p2": p2}
        self.place = f"{rng.choice(PLACES)} {n}"
        self.exercise = f"Sky Shield-{n}"
        self.topic = rng.choice(TOPICS)
        self.weekday = rng.choice(WEEKDAYS)
        self.month = rng.choice(MONTHS)
        self.pub = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 1500))
        paras = [
            f"{a} and {b} have signed an agreement to deepen defence cooperation amid tensions "
            f"with {c}.",
            f"Defence Minister Gen {p1} of {a} on {self.weekday} held talks with Army chief "
            f"Gen {p2} of {b} and discussed {self.topic}.",
            f"Both “exchanged in-depth views on the regional situation”, a report in {a}’s "
            "official media said.",
            f"According to reports, the agreement appears to be a response to rising tensions "
            f"with {c}.",
            f"{a}'s provocation",
            f'The joint exercise named "{self.exercise}" will be held at {self.place} in '
            f"{b} and is said to conclude in late {self.month}.",
        ]
        self.body = "\n\n".join(paras)
        self.text = f" date {self.pub.isoformat()} " + self.body
        self.offset = len(f" date {self.pub.isoformat()} ")
        starts, pos = [], self.offset
        for p in paras:
            starts.append(pos)
            pos += len(p) + 2
        self.sentences = [
            (f"{self.doc}.s{i + 1:03d}", s, s + len(p))
            for i, (s, p) in enumerate(zip(starts, paras, strict=True))
        ]

    def ev(self, sent: int, quote: str, role: str = "support", nth: int = 1) -> str:
        sid, start, end = self.sentences[sent - 1]
        pos = start - 1
        for _ in range(nth):
            pos = self.text.index(quote, pos + 1, end)
        extra = "" if role == "support" else f", role: {role}"
        return (
            f"{{sentence_id: {sid}, start: {pos}, end: {pos + len(quote)}, "
            f"quote: {q(quote)}{extra}}}"
        )

    def records(self) -> str:
        n, nm, doc = self.n, self.names, self.doc
        a, b, c = (f"ent.{slug(nm[k])}" for k in "abc")
        p1, p2 = f"ent.p{n}-1", f"ent.p{n}-2"
        media, place = f"ent.media-{n}", f"ent.place-{n}"
        lines = [f"# synthetic article {n} ({doc})", "entities:"]
        for key, ent_id, etype, sent, quote in [
            ("p1", p1, "person", 2, nm["p1"]),
            ("p2", p2, "person", 2, nm["p2"]),
        ]:
            lines += [
                f"  - entity_id: {ent_id}",
                f"    entity_type: {etype}",
                f"    name: {q(nm[key])}",
                "    evidence:",
                f"      - {self.ev(sent, quote)}",
                "    aliases:",
                f"      - alias: {q('Gen ' + nm[key])}",
                "        alias_type: titled",
                "        evidence:",
                f"          - {self.ev(sent, 'Gen ' + nm[key])}",
            ]
        lines += [
            f"  - entity_id: {media}",
            "    entity_type: media",
            f"    name: {q(nm['a'] + '’s official media')}",
            "    evidence:",
            f"      - {self.ev(3, nm['a'] + '’s official media')}",
            f"  - entity_id: {place}",
            "    entity_type: place",
            f"    name: {q(self.place)}",
            "    evidence:",
            f"      - {self.ev(6, self.place)}",
        ]
        lines += [
            "posts:",
            f"  - post_id: post.p{n}-1-minister",
            f"    person_id: {p1}",
            "    title: Defence Minister",
            f"    organisation_id: {a}",
            "    rank: Gen",
            "    evidence:",
            f"      - {self.ev(2, 'Defence Minister Gen ' + nm['p1'])}",
            f"  - post_id: post.p{n}-2-chief",
            f"    person_id: {p2}",
            "    title: Army chief",
            f"    organisation_id: {b}",
            "    rank: Gen",
            "    evidence:",
            f"      - {self.ev(2, 'Army chief Gen ' + nm['p2'])}",
        ]
        lines += [
            "mentions:",
            f"  - mention_id: men.both-{n}",
            "    text: Both",
            "    mention_type: pronoun",
            f"    referents: [{p1}, {p2}]",
            "    evidence:",
            f"      - {self.ev(3, 'Both', 'mention')}",
            f"      - {self.ev(2, 'Gen ' + nm['p1'], 'antecedent')}",
            f"      - {self.ev(2, 'Gen ' + nm['p2'], 'antecedent')}",
        ]
        signed = f"{nm['a']} and {nm['b']} have signed"
        lines += [
            "events:",
            f"  - event_id: evt.signing-{n}",
            "    event_type: signing",
            f"    label: {q(signed)}",
            "    status: occurred",
            "    modality: asserted",
            f"    agreement_id: agr.mou-{n}",
            "    date_claims:",
            "      - text: have signed",
            "        rule: on_or_before_publication",
            "        evidence:",
            f"          - {self.ev(1, 'have signed')}",
            "    evidence:",
            f"      - {self.ev(1, signed)}",
            "    participants:",
            f"      - entity_id: {a}",
            "        role: signatory",
            "        evidence:",
            f"          - {self.ev(1, signed)}",
            f"      - entity_id: {b}",
            "        role: signatory",
            "        evidence:",
            f"          - {self.ev(1, signed)}",
            f"  - event_id: evt.talks-{n}",
            "    event_type: talks",
            f"    label: {q(nm['p1'] + ' holds talks with ' + nm['p2'])}",
            f"    topic: {q(self.topic)}",
            "    status: occurred",
            "    modality: asserted",
            "    date_claims:",
            f"      - text: on {self.weekday}",
            "        rule: weekday_on_or_before_publication",
            "        evidence:",
            f"          - {self.ev(2, 'on ' + self.weekday)}",
            "    evidence:",
            f"      - {self.ev(2, 'on ' + self.weekday + ' held talks with')}",
            f"      - {self.ev(2, self.topic)}",
            "    participants:",
            f"      - entity_id: {p1}",
            "        role: visitor",
            "        evidence:",
            f"          - {self.ev(2, nm['p1'])}",
            f"      - entity_id: {p2}",
            "        role: host",
            "        evidence:",
            f"          - {self.ev(2, nm['p2'])}",
            f"  - event_id: evt.exercise-{n}",
            "    event_type: exercise",
            f"    label: {q(self.exercise)}",
            "    status: planned",
            "    modality: hedged",
            f"    place_id: {place}",
            "    place_precision: city",
            "    place_basis: stated",
            "    date_claims:",
            f"      - text: late {self.month}",
            "        rule: late_month_not_before_publication",
            "        part: end",
            "        modality: hedged",
            "        evidence:",
            f"          - {self.ev(6, 'late ' + self.month)}",
            "    evidence:",
            f"      - {self.ev(6, 'is said to conclude in late ' + self.month)}",
            f"      - {self.ev(6, self.exercise)}",
        ]
        if n > 1:  # a report: this article's talks sentence also reports the previous talks
            lines += [
                "reports:",
                f"  - event_id: evt.talks-{n - 1}",
                "    confidence: low",
                "    confidence_reason: Synthetic; a stand-in for a curated link.",
                "    evidence:",
                f"      - {self.ev(2, 'held talks with')}",
            ]
        lines += [
            "agreements:",
            f"  - agreement_id: agr.mou-{n}",
            "    agreement_type: mou",
            "    name: agreement to deepen defence cooperation",
            f"    signing_event_id: evt.signing-{n}",
            "    modality: asserted",
            "    evidence:",
            f"      - {self.ev(1, 'an agreement to deepen defence cooperation')}",
            "    parties:",
            f"      - entity_id: {a}",
            "        evidence:",
            f"          - {self.ev(1, signed)}",
            f"      - entity_id: {b}",
            "        evidence:",
            f"          - {self.ev(1, signed)}",
        ]
        media_said = f"a report in {nm['a']}’s official media said"
        lines += [
            "statements:",
            f"  - statement_id: stm.media-{n}",
            f"    source_id: {media}",
            f"    attribution_text: {q(media_said)}",
            "    attribution_type: state_media",
            "    speech: mixed",
            "    content: exchanged in-depth views on the regional situation",
            "    modality: attributed",
            f"    subjects: [evt.talks-{n}]",
            "    evidence:",
            f"      - {self.ev(3, 'Both “exchanged in-depth views on the regional situation”, ' + media_said)}",  # noqa: E501
            f"  - statement_id: stm.reports-{n}",
            "    attribution_text: According to reports",
            "    attribution_type: reports",
            "    speech: indirect",
            f"    content: {q('the agreement appears to be a response to rising tensions with ' + nm['c'])}",  # noqa: E501
            "    modality: hedged",
            f"    subjects: [agr.mou-{n}]",
            "    evidence:",
            f"      - {self.ev(4, 'According to reports, the agreement appears to be a response to rising tensions with ' + nm['c'])}",  # noqa: E501
            f"  - statement_id: stm.heading-{n}",
            "    attribution_type: article",
            "    speech: editorial",
            f"    content: {q(nm['a'] + chr(39) + 's provocation')}",
            "    modality: editorial",
            f"    subjects: [evt.exercise-{n}]",
            "    evidence:",
            f"      - {self.ev(5, nm['a'] + chr(39) + 's provocation')}",
        ]
        lines += [
            "relations:",
            f"  - relation_id: rel.tension-{n}",
            "    relation_type: tension",
            f"    subject_id: {a}",
            f"    object_id: {c}",
            f"    description: tensions with {nm['c']}",
            "    modality: asserted",
            "    evidence:",
            f"      - {self.ev(1, 'tensions with ' + nm['c'])}",
            f"  - relation_id: rel.place-{n}",
            "    relation_type: located_in",
            f"    subject_id: {place}",
            f"    object_id: {b}",
            f"    description: {q(self.place + ' in ' + nm['b'])}",
            "    modality: asserted",
            "    evidence:",
            f"      - {self.ev(6, self.place + ' in ' + nm['b'])}",
        ]
        return "\n".join(lines) + "\n"


def countries_yaml(articles: list[Article]) -> str:
    """Shared country entities, each cited once (its first mention in the corpus)."""
    first: dict[str, str] = {}
    for art in articles:
        for key in "abc":
            name = art.names[key]
            if name not in first:
                sent = 1
                first[name] = art.ev(sent, name)
    lines = ["entities:"]
    for name in sorted(first):
        lines += [
            f"  - entity_id: ent.{slug(name)}",
            "    entity_type: country",
            f"    name: {q(name)}",
            "    evidence:",
            f"      - {first[name]}",
        ]
    return "\n".join(lines) + "\n"


def generate(out: Path, articles: int, seed: int) -> Path:
    """Write a complete synthetic project with `articles` articles into `out` (replaced)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    seeds = out / "seeds"
    (seeds / "records").mkdir(parents=True)
    root = Path(__file__).resolve().parents[1]
    shutil.copy(root / "pyproject.toml", out / "pyproject.toml")
    shutil.copy(root / "seeds" / "package.yaml", seeds / "package.yaml")
    arts = [Article(i + 1, rng) for i in range(articles)]
    docs = ["documents:"]
    for art in arts:
        name = f"{art.n:04d}_{art.doc}.txt"
        data = art.text.encode("utf-8")
        (seeds / name).write_bytes(data)
        docs += [
            f"  - document_id: '{art.doc}'",
            f"    file: {name}",
            f"    sha256: {hashlib.sha256(data).hexdigest()}",
            "    language: en",
            "    text_scope: full",
            "    date_basis: metadata",
            f"    date_earliest: {art.pub.year}-01-01",
            "    date_earliest_reason: Synthetic; written in the year of its metadata date.",
        ]
        folder = seeds / "records" / art.doc
        folder.mkdir()
        (folder / "records.yaml").write_text(art.records(), encoding="utf-8")
    (seeds / "documents.yaml").write_text("\n".join(docs) + "\n", encoding="utf-8")
    (seeds / "records" / "countries.yaml").write_text(countries_yaml(arts), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(generate(args.out, args.articles, args.seed))


if __name__ == "__main__":
    main()
