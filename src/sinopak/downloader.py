"""Fetch a published data package (over HTTP(S), or from a local folder, zip or file:// URL),
verified against its sha256 hashes.

pooch's discipline with the standard library only (a few dozen lines; the accessor must stay
light and a per-resource error is wanted). Each file streams through `transfer.fetch` (http and
https only, a deadline for the whole body, stopped at its declared size), is hashed on the way
and compared with `datapackage.json`; only a fully verified package is installed, by
`destination.install`, which never touches files the package does not list. A cache folder
(SINOPAK_CACHE, else $XDG_CACHE_HOME/sinopak) keeps verified packages for offline mode
(SINOPAK_OFFLINE=1 or offline=True); cached files are hashed again before every use.

Besides the resources of `datapackage.json`, the files that SHA256SUMS lists next to it (the
card, spreadsheet, SQLite database, explorer, Croissant and annotations) are fetched and
verified too, except the release zip, which holds them all again.

Why not pooch: pooch (with platformdirs for the cache folder) fetches one file against a
registry of hashes, with retries; here the registry is the package's own descriptor, checked
before anything is fetched (paths inside the package, declared sizes), each transfer is bounded
by the declared size and a whole-body deadline, the destination is replaced file by file
without losing the user's files, and `import sinopak` must stay light for the base install
(pooch brings requests and platformdirs). Those are the parts written here.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import urllib.parse
import urllib.request
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
SUMS = "SHA256SUMS"
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


def _listed_extras(
    sums: bytes, resources: list[tuple[str, PurePosixPath, dict[str, Any]]]
) -> list[tuple[str, PurePosixPath, dict[str, Any]]]:
    """The files SHA256SUMS lists beyond the descriptor's resources, as resources to fetch
    and verify (no declared size: bounded by the hard cap), except the release zip."""
    taken = {rel.as_posix() for _, rel, _ in resources} | {DESCRIPTOR, SUMS}
    out: list[tuple[str, PurePosixPath, dict[str, Any]]] = []
    try:
        lines = sums.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise DownloadError("SHA256SUMS is not UTF-8 text") from None
    for n, line in enumerate(lines, start=1):
        digest, _, rel = line.partition("  ")
        pure = relative_path(rel)
        if pure is None or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise DownloadError(
                f"SHA256SUMS line {n}: expected '<sha256>  <path inside the package>', "
                f"found {line[:200]!r}"
            )
        if (
            pure.as_posix() in taken
            or pure.suffix == ".zip"
            or pure.parts[0].startswith((MARKER, TEMP_PREFIX))
        ):
            continue
        taken.add(pure.as_posix())
        out.append((pure.as_posix(), pure, {"path": pure.as_posix(), "hash": f"sha256:{digest}"}))
    return out


def _zip_extras(
    unpacked: Path, resources: list[tuple[str, PurePosixPath, dict[str, Any]]], work: Path
) -> list[tuple[str, PurePosixPath, dict[str, Any]]]:
    """The other files of an unpacked release zip (the zip holds no SHA256SUMS of its own:
    they come as the zip holds them, already bounded by the safe extraction). Their hashes
    are written to work/SHA256SUMS for the cache."""
    if (unpacked / SUMS).is_file():
        shutil.copyfile(unpacked / SUMS, work / SUMS)
        return _listed_extras((work / SUMS).read_bytes(), resources)
    taken = {rel.as_posix() for _, rel, _ in resources} | {DESCRIPTOR}
    lines = []
    for path in sorted(unpacked.rglob("*")):
        rel = PurePosixPath(path.relative_to(unpacked).as_posix())
        if path.is_symlink() or not path.is_file() or rel.as_posix() in taken:
            continue
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {rel.as_posix()}\n")
    (work / SUMS).write_text("".join(lines), encoding="utf-8")
    return _listed_extras((work / SUMS).read_bytes(), resources)


def _local_path(source: str) -> Path | None:
    """The local folder, zip or descriptor that `source` names (a path or a file:// URL), or
    None for an http(s) URL."""
    parts = urllib.parse.urlsplit(source)
    if parts.scheme in ("http", "https"):
        return None
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise DownloadError(f"{redact(source)}: a file:// URL must name a local path")
        return Path(urllib.request.url2pathname(parts.path))
    if len(parts.scheme) > 1:  # (one letter is a Windows drive)
        raise DownloadError(
            f"{redact(source)}: expected an http(s) or file:// URL, or a local path"
        )
    return Path(source)


def _fetch_local(path: Path, stage: Path, work: Path) -> list[str]:
    """Copy a package from a local folder, datapackage.json or release zip into `stage`,
    checking sizes before copying and hashes after; nothing outside the package is read."""
    from .validation.safezip import safe_extract

    if path.is_file() and path.suffix == ".zip":
        if path.stat().st_size > MAX_ZIP_BYTES:
            raise DownloadError(f"{path}: larger than {MAX_ZIP_BYTES} bytes")
        folder = work / "unpacked"
        folder.mkdir()
        safe_extract(path, folder)
    elif path.is_dir():
        folder = path
    elif path.is_file() and path.suffix == ".json":
        folder = path.parent
    else:
        raise DownloadError(
            f"{path}: expected a folder, a release zip (.zip) or a datapackage.json"
            + ("" if path.exists() else ", found nothing there")
        )
    descriptor = path if path.suffix == ".json" else folder / DESCRIPTOR
    if not descriptor.is_file():
        raise DownloadError(f"{path}: no {DESCRIPTOR} there")
    resources = _resources(_load_descriptor(descriptor, str(path)))
    sums = folder / SUMS
    if path.suffix == ".zip":  # unpacked into work/
        resources += _zip_extras(folder, resources, work)
    elif sums.is_file() and not sums.is_symlink() and sums.stat().st_size <= MAX_DESCRIPTOR_BYTES:
        resources += _listed_extras(sums.read_bytes(), resources)
    inside = folder.resolve()
    for name, rel, res in resources:
        origin = folder / rel
        if not origin.resolve().is_relative_to(inside):
            raise DownloadError(f"resource {name}: {rel} leads outside the package")
        if origin.is_file() and not origin.is_symlink():
            size = declared_bytes(res)
            limit = size if isinstance(size, int) else MAX_FILE_BYTES
            if origin.stat().st_size > limit:
                found = origin.stat().st_size
                raise DownloadError(
                    f"resource {name} ({rel}): expected {limit} bytes, found {found}"
                )
    if descriptor != folder / DESCRIPTOR:  # a descriptor under another name
        shutil.copyfile(descriptor, stage / DESCRIPTOR)
        files = _copy_verified(folder, stage, resources, move=False, descriptor=False)
        return files
    return _copy_verified(folder, stage, resources, move=False)


def _fetch_package(source: str, stage: Path, work: Path, timeout: float, retries: int) -> list[str]:
    """Fetch a datapackage.json URL and each resource, or a release zip, into `stage`; return
    the relative paths of the verified files."""
    local = _local_path(source)
    if local is not None:
        return _fetch_local(local, stage, work)
    if urllib.parse.urlsplit(source).path.endswith(".zip"):
        return _fetch_zip(source, stage, work, timeout, retries)
    limits = Limits(MAX_DESCRIPTOR_BYTES, exact=False, deadline=timeout)
    fetch(source, stage / DESCRIPTOR, limits, timeout=timeout, retries=retries)
    resources = _resources(_load_descriptor(stage / DESCRIPTOR, source))
    resources += _remote_extras(source, work, resources, timeout, retries)
    for name, rel, res in resources:
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        url = urllib.parse.urljoin(source, rel.as_posix())
        digest = fetch(url, target, _limits(res, timeout), timeout=timeout, retries=retries)
        _check_hash(name, rel, res, digest)
    return [DESCRIPTOR, *(rel.as_posix() for _, rel, _ in resources)]


def _remote_extras(
    source: str,
    work: Path,
    resources: list[tuple[str, PurePosixPath, dict[str, Any]]],
    timeout: float,
    retries: int,
) -> list[tuple[str, PurePosixPath, dict[str, Any]]]:
    """The extras SHA256SUMS lists next to the descriptor; a package without SHA256SUMS gets
    a warning that only its resources were fetched."""
    sums = work / SUMS
    url = urllib.parse.urljoin(source, SUMS)
    try:
        limits = Limits(MAX_DESCRIPTOR_BYTES, exact=False, deadline=timeout)
        fetch(url, sums, limits, timeout=timeout, retries=retries)
    except DownloadError as exc:
        warnings.warn(
            f"sinopak: no SHA256SUMS next to {redact(source)} ({exc}): only the resources of "
            "datapackage.json were fetched; the release zip holds every file",
            stacklevel=4,
        )
        return []
    return _listed_extras(sums.read_bytes(), resources)


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
    resources += _zip_extras(unpacked, resources, work)
    return _copy_verified(unpacked, stage, resources, move=True)


def _copy_verified(
    src: Path,
    stage: Path,
    resources: list[tuple[str, PurePosixPath, dict[str, Any]]],
    *,
    move: bool,
    descriptor: bool = True,
) -> list[str]:
    """Bring the listed files (and the descriptor) from `src` into `stage`, then verify the
    copies in `stage` (what is installed is what was hashed)."""
    files = [PurePosixPath(DESCRIPTOR), *(rel for _, rel, _ in resources)]
    if not descriptor:  # already in `stage`
        files = files[1:]
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
    return [DESCRIPTOR, *(rel.as_posix() for _, rel, _ in resources)]


# --------------------------------------------------------------------------- the cache


def _cache_folder(source: str) -> Path:
    return cache_root() / hashlib.sha256(source.encode()).hexdigest()[:16]


def _from_cache(source: str, stage: Path) -> list[str]:
    """Copy the cached package into `stage`, hashing every file again."""
    cached = _cache_folder(source)
    if not (cached / DESCRIPTOR).is_file():
        raise DownloadError(f"offline and {redact(source)} is not in the cache ({cached})")
    resources = _resources(_load_descriptor(cached / DESCRIPTOR, source))
    if (cached / SUMS).is_file():
        resources += _listed_extras((cached / SUMS).read_bytes(), resources)
    try:
        return _copy_verified(cached, stage, resources, move=False)
    except DownloadError as exc:
        raise DownloadError(
            f"the cached copy of {redact(source)} ({cached}) has changed since it was "
            f"verified: {exc}; download it again online"
        ) from None


def _store_in_cache(source: str, stage: Path, files: list[str], sums: Path) -> None:
    """Keep a copy of the verified package, with the SHA256SUMS that listed its extras
    (best effort: a read-only or full cache only costs the offline copy, never the
    download)."""
    cached = _cache_folder(source)
    try:
        with temporary_folder(cached.parent) as tmp:
            copy = tmp / "package"
            for rel in files:
                (copy / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(stage / rel, copy / rel)
            if sums.is_file():
                shutil.copyfile(sums, copy / SUMS)
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
        local = _local_path(source) is not None  # read in place, never cached
        if offline and not local:
            files = _from_cache(source, stage)
        else:
            files = _fetch_package(source, stage, work, timeout, retries)
            if use_cache and not local:
                _store_in_cache(source, stage, files, work / SUMS)
        install(stage, dest, files, previous)
    return dest
