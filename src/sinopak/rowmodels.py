"""Pydantic models of the published rows, generated from the table definitions."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model

from .catalog import TABLES

_TYPES: dict[str, Any] = {"string": str, "integer": int, "date": dt.date, "boolean": bool}


@functools.cache
def row_model(name: str) -> type[BaseModel]:
    """A frozen model with one field per column of table `name`."""
    table = TABLES[name]
    fields: dict[str, Any] = {}
    for col in table.columns:
        kind: Any = Literal[col.enum] if col.enum else _TYPES[col.kind]
        fields[col.name] = (kind if col.required else kind | None, ...)
    title = "".join(p.title() for p in name.split("_")) + "Row"
    return create_model(title, __config__=ConfigDict(extra="forbid", frozen=True), **fields)
