"""The dataset card, citation and changelog: generated where they can be, and consistent."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT

import sinopak

CARD = (ROOT / "dist" / "README.md").read_text()


def front_matter() -> dict:
    _, head, _ = CARD.split("---\n", 2)
    return yaml.safe_load(head)


def test_front_matter_is_a_hugging_face_card() -> None:
    fm = front_matter()
    assert fm["license"] == "other" and fm["language"] == ["en"]  # differs by part: below
    total = sum(len(sinopak.load(t)) for t in sinopak.tables())
    assert 1_000 <= total < 10_000
    assert fm["size_categories"] == ["1K<n<10K"]
    assert {c["config_name"] for c in fm["configs"]} == set(sinopak.tables())
    for c in fm["configs"]:
        assert (ROOT / "dist" / c["data_files"]).is_file()


def test_every_table_with_its_row_count_and_every_field() -> None:
    for res in sinopak.datapackage()["resources"]:
        if res.get("format") != "csv":
            continue
        name = res["name"]
        rows = len(sinopak.load(name))
        assert f"| [`{name}`](#{name}) | {rows} |" in CARD
        section = CARD.split(f"\n### {name}\n", 1)[1].split("\n### ", 1)[0]
        for field in res["schema"]["fields"]:
            assert f"| `{field['name']}` | {field['type']} |" in section


def test_card_states_source_licences_coverage_and_limits() -> None:
    assert "- `d3da3a035377400c`: a news report of unknown publisher;" in CARD
    assert "date basis **metadata**: Only the metadata line gives a date (2020-12-11)" in CARD
    total = len(sinopak.load("sentences"))
    excluded = len([c for c in sinopak.load("coverage") if c["status"] == "excluded"])
    assert f"{total - excluded} of {total} sentences are cited" in CARD
    assert 'its "on Monday" for the minister\'s talks is 30 November' in CARD
    assert "CC-BY-4.0" in CARD and "remains the property of its publisher" in CARD
    assert "## Known limitations and biases" in CARD
    assert "sinopak validate path/to/this/folder --format github" in CARD
    assert "stm.s020-pakistan-failing` (editorial)" in CARD


def test_dates_across_sources_table_lists_every_event_with_its_claims() -> None:
    section = CARD.split("## Dates across sources", 1)[1].split("\n## ", 1)[0]
    for e in sinopak.load("events"):
        assert f"| `{e['event_id']}` | {e['source_count']} | " in section
    row = next(r for r in section.splitlines() if r.startswith("| `evt.wei-alvi-khan-meeting` |"))
    assert "| 2020-12-01 | reconciled | high |" in row
    assert "“On Tuesday” (d3da3a, day: " in row
    assert "“a day after”" in row.split(" | ")[-1]  # the discounted claim, with its reason
    mentions = sinopak.load("mentions")
    high = len([m for m in mentions if m["confidence"] == "high"])
    assert f"mentions by confidence: high {high}" in CARD


def test_licences_per_part_and_bibtex() -> None:
    licences = CARD.split("## Licences\n", 1)[1].split("\n## ", 1)[0]
    assert "Curated records (all tables): **CC-BY-4.0**" in licences
    assert "remains the property of its publisher" in licences
    dp = sinopak.datapackage()
    entry = re.search(r"```bibtex\n(@misc\{(\w+),\n(.*?)\n\})\n```", CARD, re.S)
    assert entry is not None
    assert entry.group(2) == f"sinopak_{dp['version'].replace('.', '_')}"
    fields = dict(re.findall(r"^  (\w+) += \{(.*)\},?$", entry.group(3), re.M))
    assert fields["title"] == dp["title"] and fields["version"] == dp["version"]
    assert fields["author"] == "{sinopak contributors}"
    assert fields["howpublished"] == "\\url{https://github.com/sinopak/sinopak}"
    assert entry.group(1).count("{") == entry.group(1).count("}")


def test_citation_and_changelog_carry_the_package_version() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["url"] == cff["repository-code"] == "https://github.com/sinopak/sinopak"
    version = sinopak.datapackage()["version"]
    assert cff["version"] == version and cff["type"] == "dataset"
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog  # Keep a Changelog
    assert re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    assert f"[{version}]: https://github.com/sinopak/sinopak/releases/tag/v{version}" in changelog
