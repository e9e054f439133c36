"""Validation of published data packages: `validate(target)` returns a `Report`.

Steps, one module each: `descriptor` (JSON and the Data Package 2.0 profile), `files` (safe
paths, bytes, sha256, SHA256SUMS), `tables` (schema, rows of CSV, JSON and Parquet, compared),
`integrity` (constraints, keys, quotes against the source), `frictionless_runner`; `core`
runs them in order. `safezip` extracts a release zip without trusting it.
"""

from __future__ import annotations

from .core import validate
from .report import Problem, Report, Scope

__all__ = ["Problem", "Report", "Scope", "validate"]
