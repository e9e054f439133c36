"""Tables and columns as plain frozen data, without Pydantic.

`tables` derives these from the models (the single source of truth); `sinopak build` writes
the result into `table_defs`, which validation and the Table Schemas import so that checking a
package never imports Pydantic or the models (`sinopak build --check` catches drift).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Column", "ColumnType", "Ref", "TableDef", "record_tables"]

ColumnType = Literal["string", "integer", "date", "boolean"]  # Table Schema field types


@dataclass(frozen=True)
class Ref:
    """Marks a column as a foreign key to `table` (and, optionally, to entities of `types`)."""

    table: str
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnType
    required: bool
    description: str
    enum: tuple[str, ...] = ()
    meanings: tuple[str, ...] = ()  # of each value in `enum`, from its vocabulary
    pattern: str | None = None
    minimum: int | None = None
    min_length: int | None = None
    ref: Ref | None = None


@dataclass(frozen=True)
class TableDef:
    """One published table: its columns in order, primary key and unique keys."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    unique_keys: tuple[tuple[str, ...], ...] = field(default=())

    @functools.cached_property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def record_tables(tables: dict[str, TableDef]) -> tuple[str, ...]:
    """Tables of authored records: each row carries its first evidence span inline."""
    return tuple(n for n, t in tables.items() if "quote_start" in t.column_names)
