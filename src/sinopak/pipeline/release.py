"""The release bundle: a reproducible zip of the data package and a SHA256SUMS file."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no build timestamp
# Deflate level 6 (zlib's default): level 9 took about twice as long for files under 1% smaller.
COMPRESSLEVEL = 6
STORED = (".xlsx",)  # already a deflated zip: stored as it is
SUMS = "SHA256SUMS"
CHUNK = 1 << 22  # 4 MiB: the zip thread takes the GIL once per chunk


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


def write_zip(folder: Path, version: str) -> Path:
    """Zip every file of `folder` (sorted, fixed timestamps and modes) into the folder itself."""
    target = folder / zip_name(version)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != SUMS and p != target)
    with zipfile.ZipFile(target, "w") as zf:
        for path in files:
            info = fixed_entry(path.relative_to(folder).as_posix(), stored=path.suffix in STORED)
            info.file_size = path.stat().st_size  # as writestr sets it: the same bytes
            with path.open("rb") as src, zf.open(info, "w") as dest:
                shutil.copyfileobj(src, dest, CHUNK)  # streamed: files reach 400 MB
    return target


def sums_text(folder: Path) -> str:
    """`sha256sum -c` compatible lines for every file except SHA256SUMS itself."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != SUMS):
        with path.open("rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        lines.append(f"{digest}  {path.relative_to(folder).as_posix()}\n")
    return "".join(lines)


def write_sums(folder: Path) -> None:
    (folder / SUMS).write_text(sums_text(folder), encoding="utf-8")


class Zipping:
    """`write_zip` in a thread, started at once: zlib and file reads release the GIL, so the
    zip (a tenth of a large build) is written on another core while this process validates
    the package. `wait` returns when it is written, raising what the thread raised."""

    def __init__(self, folder: Path, version: str) -> None:
        import threading

        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(folder, version), daemon=True)
        self.thread.start()

    def _run(self, folder: Path, version: str) -> None:
        from ..errors import BuildError

        try:
            write_zip(folder, version)
        except OSError as exc:  # a full disk, say: the user's problem, said as one
            self.error = BuildError(f"{zip_name(version)}: cannot write the release zip: {exc}")
        except BaseException as exc:  # re-raised by wait, in the build's thread
            self.error = exc

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error
