"""Seeds read on several processes give exactly what the serial loop gives, errors included."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import ROOT

from sinopak.errors import SeedError, SeedErrors
from sinopak.pipeline import parallel
from sinopak.pipeline.corpus import load_corpus
from sinopak.pipeline.safe_yaml import MAX_DEPTH, load_yaml


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the parallel path even for the project's handful of files."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(parallel, "cores", lambda: 2)


def snapshot(seeds: Path) -> tuple[object, ...]:
    corpus = load_corpus(seeds)
    return (
        [(d.seed, d.source, d.sentences) for d in corpus.documents],
        [(r.kind, r.model, r.file, r.path, r.line_of("evidence")) for r in corpus.records],
    )


def test_the_parallel_path_reads_the_same_corpus(forked: None) -> None:
    calls: list[int] = []
    real = parallel.ProcessPoolExecutor

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    parallel_result = None
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parallel, "ProcessPoolExecutor", counting)
        parallel_result = snapshot(ROOT / "seeds")
    assert len(calls) == 2  # records and sources both went to workers
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parallel, "MIN_ITEMS", 10**9)
        assert snapshot(ROOT / "seeds") == parallel_result


def test_errors_from_workers_are_the_serial_errors(tmp_path: Path, forked: None) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    victim = sorted((seeds / "records").rglob("*.yaml"))[-1]
    victim.write_text("entities:\n  - a: 1\n    a: 2\n", encoding="utf-8")
    with pytest.raises(SeedErrors) as forked_error:
        load_corpus(seeds)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parallel, "MIN_ITEMS", 10**9)
        with pytest.raises(SeedErrors) as serial_error:
            load_corpus(seeds)
    assert str(forked_error.value) == str(serial_error.value)
    assert f"{victim.name}:3: duplicate key 'a'" in str(forked_error.value)


def test_yaml_nested_deeper_than_the_limit_is_a_located_seed_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    with pytest.raises(SeedError, match=rf"deep.yaml:1: YAML nested more than {MAX_DEPTH} levels"):
        load_yaml(path, "deep.yaml")


def _double(n: int) -> int:
    return 2 * n


class RecordingPool(parallel.ProcessPoolExecutor):
    """The pool `imap_in_order` makes, recording how it is shut down."""

    shutdowns: ClassVar[list[tuple[bool, bool]]] = []

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        RecordingPool.shutdowns.append((wait, cancel_futures))
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


def test_a_caller_that_stops_early_stops_the_workers(
    forked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr(RecordingPool, "shutdowns", [])
    items = list(range(200))
    assert list(parallel.imap_in_order(_double, items, what="x")) == [2 * n for n in items]
    assert RecordingPool.shutdowns == [(True, False)]  # all results in: workers joined
    with contextlib.closing(parallel.imap_in_order(_double, items, what="x")) as results:
        assert next(results) == 0
    # closed early: the work not started is dropped and nothing waits for the rest
    assert RecordingPool.shutdowns == [(True, False), (False, True)]
