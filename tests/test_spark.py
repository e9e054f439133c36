"""PySpark reads every Parquet table with its real types, and the README's Spark snippet
returns what the README's DuckDB query returns.

Needs Java (Debian's default-jre-headless, which .ci/run installs when `java` is missing); where
no Java runtime exists the tests are skipped, saying so.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest
from conftest import ROOT

import sinopak

pytestmark = pytest.mark.slow  # starts a JVM

README = (ROOT / "README.md").read_text(encoding="utf-8")


def snippet(language: str, first_line: str) -> str:
    """The README's fenced `language` block whose first line starts with `first_line`."""
    for code in re.findall(rf"```{language}\n(.*?)```", README, flags=re.S):
        if code.startswith(first_line):
            return str(code)
    raise AssertionError(f"README has no ```{language} block starting with {first_line!r}")


def java_missing() -> str | None:
    if os.environ.get("JAVA_HOME") or shutil.which("java"):
        return None
    return "no Java runtime (apt-get install default-jre-headless; .ci/run installs it)"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    reason = java_missing()
    if reason:
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    cwd = os.getcwd()
    os.chdir(ROOT)  # the README's paths are relative to the repository
    session = (
        SparkSession.builder.master("local[1]")
        .appName("sinopak-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    try:
        yield session
    finally:
        session.stop()
        os.chdir(cwd)


SPARK_TYPES = {
    "string": "StringType",
    "integer": "LongType",
    "date": "DateType",
    "boolean": "BooleanType",
}


def csv_resources() -> list[dict[str, Any]]:
    return [
        r
        for r in sinopak.datapackage()["resources"]
        if r["format"] == "csv" and r.get("type") == "table"
    ]


def test_every_table_arrives_with_its_types_and_values(spark: Any) -> None:
    for res in csv_resources():
        name = res["name"]
        frame = spark.read.parquet(str(ROOT / "dist" / "parquet" / f"{name}.parquet"))
        types = {f.name: type(f.dataType).__name__ for f in frame.schema.fields}
        assert types == {f["name"]: SPARK_TYPES[f["type"]] for f in res["schema"]["fields"]}
        key = res["schema"]["primaryKey"]
        got = sorted((r.asDict() for r in frame.collect()), key=lambda r: [r[k] for k in key])
        expected = sorted(sinopak.load(name), key=lambda r: [r[k] for k in key])  # type: ignore[call-overload]
        assert got == expected, name


def test_dates_and_integers_in_particular(spark: Any) -> None:
    events = spark.read.parquet(str(ROOT / "dist" / "parquet" / "events.parquet"))
    fields = {f.name: type(f.dataType).__name__ for f in events.schema.fields}
    assert fields["date_start"] == fields["date_end"] == "DateType"
    assert fields["evidence_count"] == fields["quote_start"] == "LongType"


def test_the_readme_spark_join_equals_duckdb(spark: Any) -> None:
    namespace: dict[str, Any] = {}
    exec(snippet("python", "# Spark"), namespace)  # the README's code, unchanged
    spark_rows = sorted(tuple(r) for r in namespace["talks"].collect())
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        duck_rows = sorted(duckdb.connect().execute(snippet("sql", "-- DuckDB")).fetchall())
    finally:
        os.chdir(cwd)
    assert spark_rows == duck_rows
    assert {r[0] for r in spark_rows} >= {
        "evt.wei-bajwa-talks",
        "evt.wei-cpec-discussion",
        "evt.wei-thapa-talks",
    }
    talk = dt.date(2020, 11, 30)
    assert ("evt.wei-bajwa-talks", talk, talk, "ent.wei-fenghe", "visitor") in spark_rows
    assert namespace["spark"] is spark  # the snippet's getOrCreate() joined the test session


def test_without_java_the_tests_skip_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "")
    assert java_missing() == (
        "no Java runtime (apt-get install default-jre-headless; .ci/run installs it)"
    )
