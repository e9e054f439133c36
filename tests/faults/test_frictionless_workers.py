"""frictionless in worker processes, fed by pyarrow and json: it still finds what its own
readers find, cell by cell, and a worker that dies is a located problem, not a hang."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import frictionless
import pytest
from conftest import ROOT
from corrupt import rewrite_table, rows

from sinopak.validation import frictionless_runner, validate
from sinopak.validation.report import Report

Rows = list[dict[str, Any]]


def die_on_events_parquet(descriptor_path: str, name: str) -> list[dict[str, Any]]:
    """A task whose worker is killed on one resource (as by the OOM killer)."""
    if name == "events-parquet":
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.01)
    return []


def raise_on_posts(descriptor_path: str, name: str) -> list[dict[str, Any]]:
    if name == "posts-json":
        raise RuntimeError("cannot open this")
    return []


def niceness(descriptor_path: str, name: str) -> list[dict[str, Any]]:
    return [{"type": "niceness", "message": str(os.nice(0))}]


def test_workers_run_at_a_lower_priority_than_the_build(dist: Path) -> None:
    from sinopak.validation.frictionless_worker import NICER

    descriptor = json.loads((dist / "datapackage.json").read_text())
    events = [r for r in descriptor["resources"] if r["name"] == "events"]
    pending = frictionless_runner.start(
        dist / "datapackage.json", {"resources": events}, "csv", task=niceness
    )
    try:
        (found,) = pending.futures[0][1].result()
    finally:
        pending.cancel()
    assert int(found["message"]) == min(os.nice(0) + NICER, 19)


def sleep_a_minute(descriptor_path: str, name: str) -> list[dict[str, Any]]:
    """A task that says it started (a file named after its worker), then takes a minute."""
    (Path(descriptor_path).parent / f"started-{os.getpid()}").touch()
    time.sleep(60)
    return []


def test_cancel_stops_the_workers_rather_than_wait_for_them(dist: Path) -> None:
    # a build that fails after frictionless started (a seed error found while the workers
    # validate the CSV tables) does not wait for a large table to be finished
    descriptor = json.loads((dist / "datapackage.json").read_text())
    pending = frictionless_runner.start(
        dist / "datapackage.json", descriptor, "csv", task=sleep_a_minute
    )
    workers = list(pending.pool._processes.values())  # type: ignore[union-attr]
    assert len(workers) == min(os.cpu_count() or 1, 18) and all(w.is_alive() for w in workers)
    deadline = time.monotonic() + 30  # every worker on a table (an idle one would just exit)
    while len(list(dist.glob("started-*"))) < len(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list(dist.glob("started-*"))) == len(workers)
    begun = time.monotonic()
    pending.cancel()
    for worker in workers:
        worker.join(10)
    assert time.monotonic() - begun < 10
    assert all(w.exitcode == -signal.SIGTERM for w in workers)


def test_a_killed_worker_is_a_problem_naming_the_resource(dist: Path) -> None:
    descriptor = json.loads((dist / "datapackage.json").read_text())
    report = Report("x")
    pending = frictionless_runner.start(
        dist / "datapackage.json", descriptor, "all", task=die_on_events_parquet
    )
    pending.collect(report)
    lost = {p.resource: p for p in report.problems}
    assert "events-parquet" in lost
    problem = lost["events-parquet"]
    assert problem.type == "frictionless-error" and problem.file == "parquet/events.parquet"
    assert "worker process stopped" in problem.message
    assert all(p.type == "frictionless-error" for p in report.problems)


def test_resources_given_after_a_worker_died_are_problems_naming_them(dist: Path) -> None:
    # the build gives JSON and Parquet to the workers after the CSV tables: a worker may
    # have died by then (the pool is broken), and that is a problem, not a crash
    descriptor = json.loads((dist / "datapackage.json").read_text())
    events = [r for r in descriptor["resources"] if r["name"] == "events-parquet"]
    pending = frictionless_runner.start(
        dist / "datapackage.json", {"resources": events}, "all", task=die_on_events_parquet
    )
    for _, future in pending.futures:  # let the worker die
        future.exception()
    later = [r for r in descriptor["resources"] if r["name"] in ("posts-json", "events-json")]
    pending.submit(dist / "datapackage.json", later, task=raise_on_posts)
    report = Report("x")
    pending.collect(report)
    assert sorted((p.type, p.resource) for p in report.problems) == [
        ("frictionless-error", "events-json"),
        ("frictionless-error", "events-parquet"),
        ("frictionless-error", "posts-json"),
    ]
    assert all("worker process stopped" in p.message for p in report.problems)


def test_an_exception_in_a_worker_is_a_problem_naming_the_resource(dist: Path) -> None:
    descriptor = json.loads((dist / "datapackage.json").read_text())
    report = Report("x")
    frictionless_runner.start(
        dist / "datapackage.json", descriptor, "all", task=raise_on_posts
    ).collect(report)
    assert [(p.type, p.resource, p.file) for p in report.problems] == [
        ("frictionless-error", "posts-json", "json/posts.json")
    ]
    assert "cannot open this" in report.problems[0].message


def test_scopes_select_resources() -> None:
    descriptor = json.loads((ROOT / "dist" / "datapackage.json").read_text())
    everything = frictionless_runner.selected(descriptor, "all")
    assert len(everything) == len(descriptor["resources"])
    csv_only = frictionless_runner.selected(descriptor, "csv")
    assert csv_only and {r["format"] for r in csv_only} == {"csv"}
    sizes = [r.get("bytes", r.get("sinopak:bytes")) for r in everything]
    assert sizes == sorted(sizes, reverse=True)  # largest first


def set_status(rows: Rows) -> Rows:
    rows[1]["status"] = "imagined"
    return rows


def dangle(rows: Rows) -> Rows:
    rows[0]["entity_id"] = "ent.nobody"
    return rows


def frictionless_own(dist: Path, resource: str) -> set[tuple[str, int | None, str | None]]:
    """What frictionless finds in one resource reading the files itself."""
    report = frictionless.Package(str(dist / "datapackage.json")).validate(name=resource)
    return {
        ("frictionless:" + e.type, getattr(e, "row_number", None), getattr(e, "field_name", None))
        for task in report.tasks
        for e in task.errors
    }


@pytest.mark.parametrize(
    ("table", "change", "fmt"),
    [
        ("events", set_status, "parquet"),
        ("events", set_status, "json"),
        ("participants", dangle, "parquet"),
        ("participants", dangle, "json"),
        ("participants", dangle, "csv"),
    ],
)
def test_fed_rows_give_the_errors_frictionless_finds_itself(
    dist: Path, table: str, change: Any, fmt: str
) -> None:
    rewrite_table(dist, table, change, (fmt,))
    resource = table if fmt == "csv" else f"{table}-{fmt}"
    expected = frictionless_own(dist, resource)
    assert expected  # the corruption is one frictionless sees
    report = validate(dist)
    found = {
        (p.type, p.row, p.field)
        for p in report.problems
        if p.resource == resource and p.type.startswith("frictionless:")
    }
    assert found == expected


def dangle_agreement_party(rows: Rows) -> Rows:
    rows[0]["entity_id"] = "ent.nobody"
    return rows


def test_a_worker_shares_foreign_key_lookups_and_still_finds_every_dangling_key(
    dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one worker validates resource after resource (here: in this process, in turn); the set
    # of entity keys frictionless made for the first is reused by the next ones, which must
    # find the same dangling keys frictionless finds reading the files itself
    from sinopak.validation import frictionless_worker as worker

    monkeypatch.setattr(worker, "_lookups", {})
    rewrite_table(dist, "participants", dangle, ("csv",))
    rewrite_table(dist, "agreement_parties", dangle_agreement_party, ("csv",))
    path = str(dist / "datapackage.json")
    iterated: list[str] = []

    class Counted(worker.SharedRows):
        def __iter__(self) -> Any:
            iterated.append(self.name)
            return super().__iter__()

    real = worker._reference

    def counted(descriptor_path: str, res: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        ref = real(descriptor_path, res, fields)
        data = Counted(ref["data"])
        data.name = res["name"]
        return {**ref, "data": data}

    monkeypatch.setattr(worker, "_reference", counted)
    for name in ("participants", "agreement_parties", "relations"):
        found = {
            ("frictionless:" + p["type"], p["row"], p["field"])
            for p in worker.validate_resource(path, name)
        }
        assert found == frictionless_own(dist, name)
        if name != "relations":
            assert ("frictionless:foreign-key", 2, None) in found
    shared = worker._lookups[(path, "entities")][("entity_id",)]
    assert shared == {(r["entity_id"],) for r in rows(dist, "entities")}
    assert ("ent.nobody",) not in shared
    # frictionless read the entities into a lookup once, not once per referring resource
    # (relations alone refers to them four times)
    assert iterated.count("entities") == 1


def test_lookups_are_not_shared_across_packages_or_with_self_references(
    dist: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sinopak.validation import frictionless_worker as worker

    monkeypatch.setattr(worker, "_lookups", {})
    other = tmp_path / "other"
    shutil.copytree(dist, other)
    gone = rows(dist, "participants")[0]["entity_id"]  # an entity that takes part
    rewrite_table(other, "entities", lambda rs: [r for r in rs if r["entity_id"] != gone], ("csv",))
    assert worker.validate_resource(str(dist / "datapackage.json"), "participants") == []
    second = worker.validate_resource(str(other / "datapackage.json"), "participants")
    expected = frictionless_own(other, "participants")
    assert {("frictionless:" + p["type"], p["row"], p["field"]) for p in second} == expected
    assert any(gone in p["message"] for p in second)
    worker.validate_resource(str(dist / "datapackage.json"), "events")  # refers to itself by ""
    # back to the first package: what was kept for the other is dropped; events refers to
    # agreements, entities, sentences and to itself (by "": not shared)
    assert set(worker._lookups) == {
        (str(dist / "datapackage.json"), source)
        for source in ("agreements", "entities", "sentences")
    }


def test_what_a_worker_shares_and_keeps(monkeypatch: pytest.MonkeyPatch) -> None:
    from sinopak.validation import frictionless_worker as worker

    monkeypatch.setattr(worker, "_validating", ("/p/datapackage.json", "events"))
    assert worker._shared("entities") == ("/p/datapackage.json", "entities")
    assert worker._shared("") is None  # a self-reference by "" (every resource's own)
    assert worker._shared("events") is None  # a self-reference by name
    monkeypatch.setattr(worker, "_validating", None)
    assert worker._shared("entities") is None  # outside a validation: nothing shared
    # a worker moving to another package's descriptor forgets what it read for the first
    monkeypatch.setattr(worker, "_descriptors", {"/a": {}, "/b": {}})
    monkeypatch.setattr(worker, "_references", {("/a", "x", ("k",)): {}, ("/b", "x", ("k",)): {}})
    monkeypatch.setattr(worker, "_lookups", {("/a", "x"): {}, ("/b", "x"): {}})
    worker._keep_only("/b")
    assert list(worker._descriptors) == ["/b"]
    assert list(worker._references) == [("/b", "x", ("k",))]
    assert list(worker._lookups) == [("/b", "x")]


def test_a_frictionless_without_the_lookup_it_patches_is_left_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib
    import types

    from sinopak.validation import frictionless_worker as worker

    other = types.SimpleNamespace(TableResource=type("TableResource", (), {}))
    monkeypatch.setattr(importlib, "import_module", lambda name: other)
    worker._share_lookups()  # no Lookup, no private __open_lookup: frictionless's own lookups
    assert not hasattr(other, "SHARED") and not hasattr(other, "Lookup")
