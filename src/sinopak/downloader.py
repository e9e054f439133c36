"""Fetch a published data package over HTTP(S), verified against its sha256 hashes.

pooch's discipline with the standard library only (a few dozen lines; the accessor must stay
light and a per-resource error is wanted). Each file streams through `transfer.fetch` (http and
https only, a deadline for the whole body, stopped at its declared size), is hashed on the way
and compared with `datapackage.json`; only a fully verified package is installed, by
`destination.install`, which never touches files the package does not list. A cache folder
(SINOPAK_CACHE, else $XDG_CACHE_HOME/sinopak) keeps verified packages for offline mode
(SINOPAK_OFFLINE=1 or offline=True); cached files are hashed again before every use.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import urllib.parse
import warnings
from pathlib import Path, PurePosixPath
from typing import Any

from .cachedir import cache_root
from .destination import (
    MARKER,
    TEMP_PREFIX,
    DestinationError,
    check_destination,
    install,
    temporary_folder,
)
from .folders import replace_folder
from .layout import declared_bytes, relative_path
from .transfer import DownloadError, Limits, fetch, redact

__all__ = ["DEFAULT_SOURCE", "DownloadError", "cache_root", "download"]

DEFAULT_SOURCE = "https://github.com/sinopak/sinopak/releases/latest/download/datapackage.json"
DESCRIPTOR = "datapackage.json"
CHUNK = 1 << 20
# Hard caps where nothing is declared (the descriptor itself, a release zip, a resource
# without `bytes`): far above today's package (~0.4 MB), far below a full disk.
MAX_DESCRIPTOR_BYTES = 16_000_000
MAX_FILE_BYTES = 200_000_000
MAX_ZIP_BYTES = 1_000_000_000
SHA256 = re.compile(r"sha256:[0-9a-f]{64}")


# --------------------------------------------------------------------------- the descriptor


def _load_descriptor(path: Path, source: str) -> dict[str, Any]:
    """The descriptor, read strictly: bounded size, UTF-8, JSON without duplicate keys."""
    from .codec import JSONLimitError, loads_strict

    where = redact(source)
    try:
        if path.stat().st_size > MAX_DESCRIPTOR_BYTES:
            raise DownloadError(f"{where}: datapackage.json exceeds {MAX_DESCRIPTOR_BYTES} bytes")
        descriptor = loads_strict(path.read_bytes())
    except (OSError, UnicodeDecodeError, ValueError, JSONLimitError) as exc:
        raise DownloadError(f"{where}: datapackage.json is not valid JSON ({exc})") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DownloadError(f"{where}: datapackage.json has no resources list")
    return descriptor


def _resources(descriptor: dict[str, Any]) -> list[tuple[str, PurePosixPath, dict[str, Any]]]:
    """(name, path, resource) of every resource, after checking what a download relies on:
    unique names and paths inside the package, a sha256 and, if declared, an integer size."""
    out: list[tuple[str, PurePosixPath, dict[str, Any]]] = []
    names: set[str] = set()
    paths: set[str] = set()
    for i, res in enumerate(descriptor["resources"]):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            raise DownloadError(f"resource #{i}: expected an object with a name")
        name = res["name"]
        rel = res.get("path")
        pure = relative_path(rel)
        if pure is None or pure.parts[0].startswith((MARKER, TEMP_PREFIX)) or rel == DESCRIPTOR:
            raise DownloadError(
                f"resource {name}: path {rel!r} is not a relative path inside the "
                "package (no URL, no absolute path, no '..')"
            )
        if name in names or pure.as_posix() in paths:
            raise DownloadError(f"resource {name}: name or path {rel!r} appears twice")
        names.add(name)
        paths.add(pure.as_posix())
        if not isinstance(res.get("hash"), str) or not SHA256.fullmatch(res["hash"]):
            raise DownloadError(
                f"resource {name} ({rel}): expected hash sha256:<64 hex digits>, "
                f"found {res.get('hash')!r}"
            )
        size = declared_bytes(res)
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
            raise DownloadError(
                f"resource {name} ({rel}): expected bytes to be a whole number, found {size!r}"
            )
        out.append((name, pure, res))
    return out


def _limits(res: dict[str, Any], timeout: float) -> Limits:
    size = declared_bytes(res)
    if isinstance(size, int):
        return Limits(size, exact=True, deadline=timeout)
    return Limits(MAX_FILE_BYTES, exact=False, deadline=timeout)


# --------------------------------------------------------------------------- verification


def _verify_file(name: str, rel: PurePosixPath, res: dict[str, Any], path: Path) -> None:
    """Size (checked first, so nothing huge is hashed) and sha256 of a file already on disk."""
    if path.is_symlink() or not path.is_file():
        raise DownloadError(f"resource {name}: {rel} is missing (or not a regular file)")
    size = declared_bytes(res)
    found = path.stat().st_size
    exact = isinstance(size, int)
    limit = size if exact else MAX_FILE_BYTES
    if (exact and found != limit) or found > limit:
        bound = "" if exact else "at most "
        raise DownloadError(
            f"resource {name} ({rel}): expected {bound}{limit} bytes, found {found}"
        )
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    _check_hash(name, rel, res, digest.hexdigest())


def _check_hash(name: str, rel: PurePosixPath, res: dict[str, Any], digest: str) -> None:
    expected = str(res["hash"]).removeprefix("sha256:")
    if digest != expected:
        raise DownloadError(
            f"resource {name} ({rel}): sha256 mismatch: expected {expected}, got {digest}; "
            "nothing was installed"
        )


# --------------------------------------------------------------------------- fetching


def _fetch_package(source: str, stage: Path, work: Path, timeout: float, retries: int) -> list[str]:
    """Fetch a datapackage.json URL and each resource, or a release zip, into `stage`; return
    the relative paths of the verified files."""
    if urllib.parse.urlsplit(source).path.endswith(".zip"):
        return _fetch_zip(source, stage, work, timeout, retries)
    limits = Limits(MAX_DESCRIPTOR_BYTES, exact=False, deadline=timeout)
    fetch(source, stage / DESCRIPTOR, limits, timeout=timeout, retries=retries)
    resources = _resources(_load_descriptor(stage / DESCRIPTOR, source))
    for name, rel, res in resources:
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        url = urllib.parse.urljoin(source, rel.as_posix())
        digest = fetch(url, target, _limits(res, timeout), timeout=timeout, retries=retries)
        _check_hash(name, rel, res, digest)
    return [DESCRIPTOR, *(rel.as_posix() for _, rel, _ in resources)]


def _fetch_zip(source: str, stage: Path, work: Path, timeout: float, retries: int) -> list[str]:
    from .validation.safezip import safe_extract

    archive = work / "release.zip"
    limits = Limits(MAX_ZIP_BYTES, exact=False, deadline=timeout)
    fetch(source, archive, limits, timeout=timeout, retries=retries)
    unpacked = work / "unpacked"
    unpacked.mkdir()
    safe_extract(archive, unpacked)
    archive.unlink()
    resources = _resources(_load_descriptor(unpacked / DESCRIPTOR, source))
    return _copy_verified(unpacked, stage, resources, move=True)


def _copy_verified(
    src: Path,
    stage: Path,
    resources: list[tuple[str, PurePosixPath, dict[str, Any]]],
    *,
    move: bool,
) -> list[str]:
    """Bring the listed files from `src` into `stage`, then verify the copies in `stage` (what
    is installed is what was hashed)."""
    files = [PurePosixPath(DESCRIPTOR), *(rel for _, rel, _ in resources)]
    for rel in files:
        origin = src / rel
        if origin.is_symlink() or not origin.is_file():
            raise DownloadError(f"{rel} is missing from the package (or not a regular file)")
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        if move:
            os.replace(origin, stage / rel)
        else:
            shutil.copyfile(origin, stage / rel)
    for name, rel, res in resources:
        _verify_file(name, rel, res, stage / rel)
    return [f.as_posix() for f in files]


# --------------------------------------------------------------------------- the cache


def _cache_folder(source: str) -> Path:
    return cache_root() / hashlib.sha256(source.encode()).hexdigest()[:16]


def _from_cache(source: str, stage: Path) -> list[str]:
    """Copy the cached package into `stage`, hashing every file again."""
    cached = _cache_folder(source)
    if not (cached / DESCRIPTOR).is_file():
        raise DownloadError(f"offline and {redact(source)} is not in the cache ({cached})")
    resources = _resources(_load_descriptor(cached / DESCRIPTOR, source))
    try:
        return _copy_verified(cached, stage, resources, move=False)
    except DownloadError as exc:
        raise DownloadError(
            f"the cached copy of {redact(source)} ({cached}) has changed since it was "
            f"verified: {exc}; download it again online"
        ) from None


def _store_in_cache(source: str, stage: Path, files: list[str]) -> None:
    """Keep a copy of the verified package (best effort: a read-only or full cache only
    costs the offline copy, never the download)."""
    cached = _cache_folder(source)
    try:
        with temporary_folder(cached.parent) as tmp:
            copy = tmp / "package"
            for rel in files:
                (copy / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(stage / rel, copy / rel)
            replace_folder(copy, cached, hold=tmp)
    except (OSError, DestinationError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        warnings.warn(f"sinopak: the cache {cached} was not updated ({reason})", stacklevel=3)


# --------------------------------------------------------------------------- entry point


def download(
    dest: str | os.PathLike[str],
    source: str | None = None,
    *,
    offline: bool | None = None,
    timeout: float = 30.0,
    retries: int = 3,
    use_cache: bool = True,
) -> Path:
    """Fetch a verified data package into folder `dest`; return it.

    `dest` must be new, empty, or hold a previous download (its marker file
    `.sinopak-download.json`); there only the files the package lists are replaced, each
    atomically, and everything else is kept. `timeout` bounds each file's whole transfer."""
    source = source or os.environ.get("SINOPAK_SOURCE") or DEFAULT_SOURCE
    if offline is None:
        offline = os.environ.get("SINOPAK_OFFLINE", "") not in ("", "0")
    if not timeout > 0:
        raise DownloadError(f"expected a timeout above 0 seconds, found {timeout}")
    dest = Path(dest)
    previous = check_destination(dest)
    with temporary_folder(dest if dest.is_dir() else dest.parent) as work:
        stage = work / "package"
        stage.mkdir()
        if offline:
            files = _from_cache(source, stage)
        else:
            files = _fetch_package(source, stage, work, timeout, retries)
            if use_cache:
                _store_in_cache(source, stage, files)
        install(stage, dest, files, previous)
    return dest
