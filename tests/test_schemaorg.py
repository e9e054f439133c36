"""The schema.org `Dataset` JSON-LD in the explorer and the card, parsed back from the pages."""

from __future__ import annotations

import json
from typing import Any

import lxml.html
from conftest import ROOT
from markdown_it import MarkdownIt

import sinopak
from sinopak.pipeline.schemaorg import HOMEPAGE, dataset, script_block

DIST = ROOT / "dist"


def blocks(html: str) -> list[Any]:
    tree = lxml.html.fromstring(html)
    return [json.loads(s.text) for s in tree.xpath('//script[@type="application/ld+json"]')]


def explorer_blocks() -> list[Any]:
    return blocks((DIST / "explorer.html").read_text(encoding="utf-8"))


def card_blocks() -> list[Any]:
    """The card as a Markdown renderer turns it into HTML (raw HTML blocks allowed)."""
    card = (DIST / "README.md").read_text(encoding="utf-8")
    _, _, body = card.split("---\n", 2)  # the YAML front matter is metadata, not Markdown
    return blocks(MarkdownIt("commonmark", {"html": True}).render(body))


def test_one_dataset_block_in_each_page_and_they_agree() -> None:
    (explorer,) = explorer_blocks()
    (card,) = card_blocks()
    assert explorer == card


def test_the_block_describes_the_package() -> None:
    (doc,) = explorer_blocks()
    dp = sinopak.datapackage()
    assert doc["@context"] == "https://schema.org/" and doc["@type"] == "Dataset"
    assert doc["name"] == dp["title"] and doc["alternateName"] == "sinopak"
    assert doc["description"] == dp["description"]
    assert doc["version"] == dp["version"] == "1.0.0"
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert doc["creator"] == [{"@type": "Organization", "name": "sinopak contributors"}]
    assert doc["url"] == HOMEPAGE
    assert doc["keywords"] == dp["keywords"]
    assert doc["temporalCoverage"] == "2011-03-01/2020-12-31"
    assert doc["spatialCoverage"] == [
        {"@type": "Country", "name": "China", "identifier": "CN"},
        {"@type": "Country", "name": "India", "identifier": "IN"},
        {"@type": "Country", "name": "Nepal", "identifier": "NP"},
        {"@type": "Country", "name": "Pakistan", "identifier": "PK"},
        {"@type": "Country", "name": "United States", "identifier": "US"},
    ]


def test_every_distribution_is_a_file_of_the_package() -> None:
    (doc,) = explorer_blocks()
    formats = {d["contentUrl"]: d["encodingFormat"] for d in doc["distribution"]}
    assert formats == {
        "sinopak-1.0.0.zip": "application/zip",
        "datapackage.json": "application/json",
        "croissant.json": "application/ld+json",
    }
    for path in formats:
        assert (DIST / path).is_file(), path
    assert all(d["@type"] == "DataDownload" for d in doc["distribution"])


def test_the_block_is_generated_from_the_rows() -> None:
    rows = {name: sinopak.load(name) for name in sinopak.tables()}  # type: ignore[call-overload]
    (doc,) = explorer_blocks()
    assert dataset(sinopak.datapackage(), rows) == doc


def test_no_value_can_break_out_of_the_script_element() -> None:
    hostile = {"name": "</script><script>alert(1)</script><!-- & -->"}
    html = f"<html><head>{script_block(hostile)}</head><body></body></html>"
    assert "</script><script>" not in script_block(hostile)
    assert blocks(html) == [hostile]


def test_the_homepage_is_the_project_url() -> None:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as fh:
        assert tomllib.load(fh)["project"]["urls"]["Source"] == HOMEPAGE
