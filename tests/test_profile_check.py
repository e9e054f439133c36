"""The compiled Data Package profile check: same verdicts as jsonschema, cached safely."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from sinopak.validation import profile_check
from sinopak.validation.report import Report

Descriptor = dict[str, Any]


def real() -> Descriptor:
    data: Descriptor = json.loads((ROOT / "dist" / "datapackage.json").read_text())
    return data


def first_field(d: Descriptor) -> dict[str, Any]:
    field: dict[str, Any] = d["resources"][0]["schema"]["fields"][0]
    return field


EDITS: dict[str, Callable[[Descriptor], object]] = {
    "unchanged": lambda d: None,
    "licenses-not-a-list": lambda d: d.update(licenses="CC-BY-4.0"),
    "no-resources": lambda d: d.pop("resources"),
    "empty-resources": lambda d: d.update(resources=[]),
    "name-not-a-string": lambda d: d.update(name=5),
    "field-type-unknown": lambda d: first_field(d).update(type="colour"),
    "field-without-name": lambda d: first_field(d).pop("name"),
    "constraint-wrong-type": lambda d: first_field(d)["constraints"].update(required="yes"),
    "resource-path-number": lambda d: d["resources"][0].update(path=7),
    "hash-not-hex": lambda d: d["resources"][0].update(hash="sha256:xyz"),
    "contributor-empty": lambda d: d.update(contributors=[{}]),
    "keywords-not-strings": lambda d: d.update(keywords=[1, 2]),
    "extra-property": lambda d: d.update({"sinopak:anything": {"a": [1]}}),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_compiled_check_agrees_with_jsonschema(edit: str) -> None:
    descriptor = real()
    EDITS[edit](descriptor)
    raw = profile_check.profile_bytes()
    reference = profile_check.reference_errors(json.loads(raw), descriptor)
    assert profile_check._compiled_accepts(raw, descriptor) == (reference == [])
    report = Report("x")
    profile_check.check_profile(descriptor, report)
    assert [p.message for p in report.problems] == [f"{w}: {m}" for w, m in reference]
    assert (edit == "unchanged" or edit == "extra-property") == report.valid


def test_the_check_leaves_the_descriptor_as_it_was() -> None:
    # fastjsonschema fills in defaults unless told not to: the published descriptor has none
    descriptor = real()
    before = copy.deepcopy(descriptor)
    profile_check.check_profile(descriptor, Report("x"))
    assert descriptor == before


def test_errors_name_the_place(monkeypatch: pytest.MonkeyPatch) -> None:
    descriptor = real()
    descriptor["licenses"] = "CC-BY-4.0"
    report = Report("x")
    profile_check.check_profile(descriptor, report)
    assert [(p.type, p.file) for p in report.problems] == [("descriptor-error", "datapackage.json")]
    assert report.problems[0].message.startswith("licenses: 'CC-BY-4.0' is not of type 'array'")


def fresh(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    monkeypatch.setenv("SINOPAK_CACHE", str(cache))
    monkeypatch.setattr(profile_check, "_loaded", {})


def test_the_compiled_check_is_cached_under_sinopak_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh(monkeypatch, tmp_path)
    profile_check.compiled_check(profile_check.profile_bytes())
    (cached,) = (tmp_path / "profiles").iterdir()
    assert cached.suffix == ".marshal" and cached.stat().st_size > 10_000
    # the next process loads it instead of compiling
    fresh(monkeypatch, tmp_path)
    monkeypatch.setattr(profile_check, "_generated_source", lambda raw: pytest.fail("compiled"))
    check = profile_check.compiled_check(profile_check.profile_bytes())
    check(real())


@pytest.mark.parametrize("junk", [b"", b"not marshal", b"\xe3" * 40])
def test_a_corrupt_cache_entry_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, junk: bytes
) -> None:
    fresh(monkeypatch, tmp_path)
    profile_check.compiled_check(profile_check.profile_bytes())
    (cached,) = (tmp_path / "profiles").iterdir()
    cached.write_bytes(junk)
    fresh(monkeypatch, tmp_path)
    report = Report("x")
    bad = real()
    bad["licenses"] = "CC-BY-4.0"
    profile_check.check_profile(bad, report)
    assert [p.type for p in report.problems] == ["descriptor-error"]
    assert cached.stat().st_size > 10_000  # rewritten


def test_an_unwritable_cache_only_costs_a_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    fresh(monkeypatch, blocker)
    report = Report("x")
    profile_check.check_profile(real(), report)
    assert report.valid
