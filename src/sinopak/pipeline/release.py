"""The release bundle: a reproducible zip of the data package and a SHA256SUMS file."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path

from .background import Job

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no build timestamp
# Deflate level 6 (zlib's default): level 9 took about twice as long for files under 1% smaller.
COMPRESSLEVEL = 6
STORED = (".xlsx",)  # already a deflated zip: stored as it is
SUMS = "SHA256SUMS"
CHUNK = 1 << 24  # 16 MiB: files are streamed through the zip, never read whole


def zip_name(version: str) -> str:
    return f"sinopak-{version}.zip"


def fixed_entry(name: str, *, stored: bool = False) -> zipfile.ZipInfo:
    """A zip entry that carries nothing of the building machine: fixed time, mode 0644, unix,
    deflated at COMPRESSLEVEL (or stored)."""
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3  # unix, whatever the building machine
    if not stored:  # what ZipFile.writestr(..., compresslevel=) sets; ZipFile.open reads it too
        info._compresslevel = COMPRESSLEVEL  # type: ignore[attr-defined]
    return info


def write_zip(folder: Path, version: str, digests: dict[str, str] | None = None) -> Path:
    """Zip every file of `folder` (sorted, fixed timestamps and modes) into the folder itself;
    `digests` gets the sha256 of each file zipped (read once for both), by relative path."""
    target = folder / zip_name(version)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != SUMS and p != target)
    with zipfile.ZipFile(target, "w") as zf:
        for path in files:
            name = path.relative_to(folder).as_posix()
            info = fixed_entry(name, stored=path.suffix in STORED)
            info.file_size = path.stat().st_size  # as writestr sets it: the same bytes
            digest = hashlib.sha256()
            with path.open("rb") as src, zf.open(info, "w") as dest:
                while chunk := src.read(CHUNK):  # streamed: files reach 400 MB
                    digest.update(chunk)
                    dest.write(chunk)
            if digests is not None:
                digests[name] = digest.hexdigest()
    return target


def sums_text(folder: Path, known: Mapping[str, str] | None = None) -> str:
    """`sha256sum -c` compatible lines for every file except SHA256SUMS itself; the digests in
    `known` (by relative path, just computed from the same bytes) are not computed again."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != SUMS):
        name = path.relative_to(folder).as_posix()
        digest = (known or {}).get(name)
        if digest is None:
            with path.open("rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
        lines.append(f"{digest}  {name}\n")
    return "".join(lines)


def write_sums(folder: Path, known: Mapping[str, str] | None = None) -> None:
    (folder / SUMS).write_text(sums_text(folder, known), encoding="utf-8")


def read_sums(folder: Path) -> dict[str, str]:
    """The digests `write_sums` listed in `folder`, by relative path (none if unreadable)."""
    try:
        text = (folder / SUMS).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    found: dict[str, str] = {}
    for line in text.splitlines():
        value, sep, name = line.partition("  ")
        if sep and len(value) == 64:
            found[name] = value
    return found


# The file, beside the staged dist/ (never in it), in which the process writing the release zip
# leaves the digests of the files it zipped (`zip_job`, `zipped_digests`).
DIGESTS_FILE = "zipped-digests.json"


def zip_job(folder: Path, version: str) -> Job:
    """The release zip of `folder` as a job of `background.Background`: written by a process
    of its own while the build validates the package. (It was a thread of the build's: the
    zip of 10,000 small source files took the GIL back tens of thousands of times from a
    validation that held it, and waited up to 5 ms for it each time: 26 s of wall time for
    14 s of CPU, most of a build's last seconds.)"""
    return (zip_name(version), __name__, [str(folder), version])


def write_staged(args: list[str]) -> None:
    """In the background process: `write_zip`, then the digests of the files zipped into
    DIGESTS_FILE beside `folder`."""
    from ..errors import BuildError

    folder, version = Path(args[0]), args[1]
    digests: dict[str, str] = {}
    try:
        write_zip(folder, version, digests)
        (folder.parent / DIGESTS_FILE).write_text(json.dumps(digests), encoding="utf-8")
    except OSError as exc:  # a full disk, say: the user's problem, said as one
        raise BuildError(f"{zip_name(version)}: cannot write the release zip: {exc}") from None


def zipped_digests(folder: Path) -> dict[str, str]:
    """The digests `write_staged` left for `folder`, by relative path."""
    found: dict[str, str] = json.loads((folder.parent / DIGESTS_FILE).read_bytes())
    return found
