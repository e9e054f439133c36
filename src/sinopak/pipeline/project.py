"""Where the build reads and writes: the project folder and its seeds/, dist/, schema/, build/."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import SinopakError


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def schema(self) -> Path:
        return self.root / "schema"

    @property
    def scratch(self) -> Path:
        return self.root / "build"

    def version(self) -> str:
        with (self.root / "pyproject.toml").open("rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above `start` holding seeds/documents.yaml and pyproject.toml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "seeds" / "documents.yaml").is_file() and (
            folder / "pyproject.toml"
        ).is_file():
            return Project(folder)
    raise SinopakError(
        f"no sinopak project (seeds/documents.yaml) at or above {here}; "
        "run from a clone of the repository or pass --root"
    )
