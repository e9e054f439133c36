"""The user's cache folder for sinopak: $SINOPAK_CACHE, else $XDG_CACHE_HOME/sinopak (default
~/.cache/sinopak). Standard library only."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    base = os.environ.get("SINOPAK_CACHE")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "sinopak"
