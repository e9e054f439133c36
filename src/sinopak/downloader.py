"""Fetch a published data package over HTTP(S), verified against its sha256 hashes.

pooch's discipline with the standard library only (a few dozen lines; the accessor must stay
light and a per-resource error is wanted): stream each file to a temporary file while hashing,
compare with `datapackage.json`, then move the verified package into place atomically. Proxies
come from the environment (urllib's default ProxyHandler reads http_proxy / https_proxy /
no_proxy). A cache folder (SINOPAK_CACHE, else $XDG_CACHE_HOME/sinopak) keeps verified packages
so that offline mode (SINOPAK_OFFLINE=1 or offline=True) works without the network.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path, PurePosixPath
from typing import Any

from .cachedir import cache_root
from .errors import PackageError
from .folders import replace_folder
from .layout import relative_path

DEFAULT_SOURCE = "https://github.com/sinopak/sinopak/releases/latest/download/datapackage.json"
CHUNK = 1 << 16


class DownloadError(PackageError):
    """The package could not be fetched, or a file did not match its hash."""


def _open(url: str, timeout: float, retries: int) -> Any:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise DownloadError(f"{url}: only http and https URLs are fetched")
    delay = 0.5
    for attempt in range(retries + 1):
        try:
            return urllib.request.urlopen(url, timeout=timeout)
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or attempt == retries:
                raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            if attempt == retries:
                reason = getattr(exc, "reason", exc)
                raise DownloadError(f"{url}: {reason} (after {retries + 1} attempts)") from None
        time.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")


def _fetch(url: str, target: Path, timeout: float, retries: int) -> str:
    """Stream `url` into `target`; return its sha256. A transfer cut off midway (timeout,
    reset) starts again from the beginning, up to `retries` times."""
    for attempt in range(retries + 1):
        digest = hashlib.sha256()
        try:
            with _open(url, timeout, retries) as resp, target.open("wb") as out:
                while chunk := resp.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            return digest.hexdigest()
        except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            target.unlink(missing_ok=True)
            if attempt == retries:
                raise DownloadError(
                    f"{url}: transfer failed: {exc or type(exc).__name__} "
                    f"(after {retries + 1} attempts)"
                ) from None
    raise AssertionError("unreachable")


def _resource_path(rel: Any, name: str) -> PurePosixPath:
    pure = relative_path(rel)
    if pure is None:
        raise DownloadError(
            f"resource {name}: path {rel!r} is not a relative path inside the "
            "package (no URL, no absolute path, no '..')"
        )
    return pure


def _fetch_package(source: str, stage: Path, timeout: float, retries: int) -> None:
    """Fetch a datapackage.json URL and each resource, or a release zip, into `stage`."""
    from .validation.safezip import safe_extract

    if urllib.parse.urlsplit(source).path.endswith(".zip"):
        archive = stage.parent / "release.zip"
        _fetch(source, archive, timeout, retries)
        safe_extract(archive, stage)
        archive.unlink()
        descriptor = _load_descriptor(stage / "datapackage.json", source)
        for res in descriptor["resources"]:
            path = stage / _resource_path(res.get("path"), res.get("name", "?"))
            if not path.is_file():
                raise DownloadError(
                    f"resource {res.get('name')}: {res.get('path')} is missing from the zip"
                )
            _check_hash(res, hashlib.sha256(path.read_bytes()).hexdigest(), path)
        return
    _fetch(source, stage / "datapackage.json", timeout, retries)
    descriptor = _load_descriptor(stage / "datapackage.json", source)
    for res in descriptor["resources"]:
        rel = _resource_path(res.get("path"), res.get("name", "?"))
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = _fetch(urllib.parse.urljoin(source, rel.as_posix()), target, timeout, retries)
        _check_hash(res, digest, target)


def _load_descriptor(path: Path, source: str) -> dict[str, Any]:
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DownloadError(f"{source}: datapackage.json is not valid JSON ({exc})") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DownloadError(f"{source}: datapackage.json has no resources list")
    return descriptor


def _check_hash(res: dict[str, Any], digest: str, path: Path) -> None:
    expected = str(res.get("hash", "")).removeprefix("sha256:")
    if digest != expected:
        path.unlink(missing_ok=True)
        raise DownloadError(
            f"resource {res.get('name')} ({res.get('path')}): sha256 mismatch: "
            f"expected {expected or '(none declared)'}, got {digest}; the file "
            "was removed"
        )


def download(
    dest: str | os.PathLike[str],
    source: str | None = None,
    *,
    offline: bool | None = None,
    timeout: float = 30.0,
    retries: int = 3,
    use_cache: bool = True,
) -> Path:
    """Fetch a verified data package into folder `dest` (replaced atomically); return it."""
    source = source or os.environ.get("SINOPAK_SOURCE") or DEFAULT_SOURCE
    if offline is None:
        offline = os.environ.get("SINOPAK_OFFLINE", "") not in ("", "0")
    dest = Path(dest)
    cached = cache_root() / hashlib.sha256(source.encode()).hexdigest()[:16]
    if offline:
        if not (cached / "datapackage.json").is_file():
            raise DownloadError(f"offline and {source} is not in the cache ({cached})")
        _install(cached, dest, copy=True)
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".sinopak-", dir=dest.parent))
    try:
        stage = work / "package"
        stage.mkdir()
        _fetch_package(source, stage, timeout, retries)
        if use_cache:
            _install(stage, cached, copy=True)
        _install(stage, dest, copy=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest


def _install(src: Path, dest: Path, *, copy: bool) -> None:
    """Put folder `src` (moved, or copied) at `dest`, replacing what is there atomically."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".sinopak-new-", dir=dest.parent))
    try:
        new = work / "package"
        if copy:
            shutil.copytree(src, new)
        else:
            os.rename(src, new)
        replace_folder(new, dest, hold=work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
