"""Extract a zip without trusting it: no path escapes, no links, bounded size (no zip bombs)."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import PackageError

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 1_000_000_000
MAX_RATIO = 200  # uncompressed / compressed, per entry
CHUNK = 1 << 20


def safe_extract(archive: Path, target: Path) -> None:
    """Extract `archive` into the (empty) folder `target`, refusing anything unsafe."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"{archive.name}: not a readable zip file ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PackageError(f"{archive.name}: {len(infos)} entries; the limit is {MAX_ENTRIES}")
        root = target.resolve()
        total = 0
        for info in infos:
            name = info.filename
            pure = PurePosixPath(name)
            if (
                name.startswith(("/", "\\"))
                or "\\" in name
                or ".." in pure.parts
                or (pure.parts and pure.parts[0].endswith(":"))
            ):
                raise PackageError(f"{archive.name}: entry {name!r} escapes the target folder")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise PackageError(f"{archive.name}: entry {name!r} is a symbolic link")
            dest = (root / pure).resolve()
            if not dest.is_relative_to(root):
                raise PackageError(f"{archive.name}: entry {name!r} escapes the target folder")
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > CHUNK:
                raise PackageError(
                    f"{archive.name}: entry {name!r} expands {info.file_size} bytes "
                    f"from {info.compress_size}: refusing a likely zip bomb"
                )
            dest.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with zf.open(info) as src, dest.open("wb") as out:
                while chunk := src.read(CHUNK):
                    written += len(chunk)
                    total += len(chunk)
                    if written > info.file_size or total > MAX_TOTAL_BYTES:
                        raise PackageError(
                            f"{archive.name}: entry {name!r} is larger than it "
                            "declares, or the archive exceeds "
                            f"{MAX_TOTAL_BYTES} bytes"
                        )
                    out.write(chunk)
