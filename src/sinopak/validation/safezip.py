"""Extract a zip without trusting it: no path escapes, no links, bounded size (no zip bombs)."""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from ..errors import PackageError

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 1_000_000_000
MAX_RATIO = 200  # uncompressed / compressed, per entry
CHUNK = 1 << 20


def safe_extract(archive: Path, target: Path) -> None:
    """Extract `archive` into the (empty) folder `target`, refusing anything unsafe: escapes,
    links, bombs, repeated names, encrypted entries, methods other than stored and deflate;
    a bad CRC or a cut stream is a PackageError too, never a traceback."""
    label = archive.name
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"{label}: not a readable zip file ({exc})") from None
    with zf:
        try:
            _extract(zf, label, target)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a bad CRC, a cut stream
            raise PackageError(f"{label}: corrupt zip entry ({exc})") from None
        except NotImplementedError as exc:  # deflate64, implode, …
            raise PackageError(f"{label}: unsupported zip entry ({exc})") from None
        except RuntimeError as exc:  # "File … is encrypted, password required"
            raise PackageError(f"{label}: {exc}; encrypted entries are refused") from None
        except OSError as exc:  # a name used for both a file and a folder, a full disk
            raise PackageError(
                f"{label}: cannot extract ({exc.strerror or exc}): entry names clash"
                if isinstance(exc, FileExistsError | NotADirectoryError | IsADirectoryError)
                else f"{label}: cannot extract ({exc.strerror or exc})"
            ) from None


def _extract(zf: zipfile.ZipFile, label: str, target: Path) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageError(f"{label}: {len(infos)} entries; the limit is {MAX_ENTRIES}")
    names = [str(PurePosixPath(i.filename)) for i in infos]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise PackageError(f"{label}: entry {dup!r} appears twice; refusing the name clash")
    for info in infos:
        if info.flag_bits & 0x1:
            raise PackageError(f"{label}: entry {info.filename!r} is encrypted; refused")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageError(
                f"{label}: entry {info.filename!r} uses compression method "
                f"{info.compress_type}; only stored and deflate are read"
            )
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
            raise PackageError(f"{label}: entry {name!r} escapes the target folder")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise PackageError(f"{label}: entry {name!r} is a symbolic link")
        dest = (root / pure).resolve()
        if not dest.is_relative_to(root):
            raise PackageError(f"{label}: entry {name!r} escapes the target folder")
        if info.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > CHUNK:
            raise PackageError(
                f"{label}: entry {name!r} expands {info.file_size} bytes "
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
                        f"{label}: entry {name!r} is larger than it "
                        "declares, or the archive exceeds "
                        f"{MAX_TOTAL_BYTES} bytes"
                    )
                out.write(chunk)
