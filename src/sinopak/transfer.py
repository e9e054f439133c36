"""One HTTP(S) transfer that trusts nothing: http/https only (at every redirect), a deadline for
the whole body, a size cap, sha256 while streaming, and credentials never echoed.

Standard library only (the accessor must stay light; requests/httpx would add a dependency
for a few dozen lines). urllib's default ProxyHandler reads http_proxy / https_proxy / no_proxy.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import PackageError

CHUNK = 1 << 16
SCHEMES = ("http", "https")
# Query parameters whose values are secrets (signed URLs, tokens); redacted like user:password.
SECRET_QUERY = re.compile(r"(?i)^(.*(token|key|sig|signature|secret|password|auth|credential).*)$")


class DownloadError(PackageError):
    """The package could not be fetched, or a file did not match its hash."""


class _Retryable(Exception):
    """A transfer cut off midway (timeout, reset, early close): worth another attempt."""


def redact(url: str) -> str:
    """`url` without its user:password@ and with secret query values replaced by ***."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rpartition("@")[2]
    query = parts.query
    if query:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
        query = "&".join(f"{k}={'***' if SECRET_QUERY.match(k) else v}" for k, v in pairs) or query
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str, url: str) -> str:
    """`text` (an error message) with every credential of `url` replaced."""
    parts = urllib.parse.urlsplit(url)
    for secret in (parts.password, parts.username):
        if secret:
            text = text.replace(secret, "***")
            text = text.replace(urllib.parse.unquote(secret), "***")
    return text


class _SafeRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https only (urllib alone also follows ftp)."""

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        location = headers.get("location") or headers.get("uri") or ""
        self.redirect_request(
            req, fp, code, msg, headers, urllib.parse.urljoin(req.full_url, location)
        )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        scheme = urllib.parse.urlsplit(newurl).scheme
        if scheme not in SCHEMES:
            raise DownloadError(
                f"{redact(req.full_url)}: redirected to {redact(newurl)}: only http and https "
                "URLs are followed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SafeRedirect)


def check_url(url: str) -> None:
    if urllib.parse.urlsplit(url).scheme not in SCHEMES:
        raise DownloadError(f"{redact(url)}: only http and https URLs are fetched")


def _request(url: str) -> urllib.request.Request:
    """A GET request; user:password@ in the URL becomes a Basic header that is not sent on to
    another host after a redirect."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return urllib.request.Request(url)
    host = parts.netloc.rpartition("@")[2]
    req = urllib.request.Request(urllib.parse.urlunsplit(parts._replace(netloc=host)))
    pair = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
    req.add_unredirected_header(
        "Authorization", "Basic " + base64.b64encode(pair.encode()).decode()
    )
    return req


@dataclass
class Limits:
    """How much one transfer may take: `size` bytes exactly when `exact` (a declared size),
    else at most `size`; `deadline` seconds for connecting and the whole body."""

    size: int
    exact: bool
    deadline: float


def _set_timeout(resp: Any, seconds: float) -> None:
    """Bound the next socket read (http.client keeps the socket in resp.fp.raw._sock)."""
    sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
    if isinstance(sock, socket.socket):
        sock.settimeout(max(seconds, 0.001))


def _open(url: str, timeout: float, end: float) -> Any:
    try:
        return _OPENER.open(_request(url), timeout=max(min(timeout, end - time.monotonic()), 0.001))
    except urllib.error.HTTPError as exc:
        if exc.code >= 500:
            raise _Retryable(f"HTTP {exc.code} {exc.reason}") from None
        raise DownloadError(f"{redact(url)}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _Retryable(redact_text(str(reason) or type(exc).__name__, url)) from None
    except (ValueError, http.client.InvalidURL) as exc:
        raise DownloadError(f"{redact(url)}: {redact_text(str(exc), url)}") from None


def _stream(url: str, target: Path, limits: Limits, timeout: float) -> str:
    """One attempt: stream `url` into `target`, hashing; return the sha256."""
    end = time.monotonic() + limits.deadline
    digest = hashlib.sha256()
    received = 0
    with _open(url, timeout, end) as resp, target.open("wb") as out:
        announced = resp.headers.get("Content-Length")
        if announced is not None and announced.isdigit() and int(announced) > limits.size:
            raise DownloadError(
                f"{redact(url)}: the server announces {announced} bytes; expected "
                f"{'exactly' if limits.exact else 'at most'} {limits.size}"
            )
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise _Retryable(f"not finished within the deadline of {limits.deadline:g} s")
            _set_timeout(resp, min(timeout, left))
            try:
                chunk = resp.read1(CHUNK)
            except TimeoutError:
                if time.monotonic() >= end:
                    continue  # reported as the deadline just above
                raise _Retryable(f"no data for {timeout:g} s") from None
            if not chunk:
                break
            received += len(chunk)
            if received > limits.size:
                raise DownloadError(
                    f"{redact(url)}: the server sent more than "
                    f"{'the declared' if limits.exact else 'the limit of'} {limits.size} bytes; "
                    "the transfer was stopped"
                )
            digest.update(chunk)
            out.write(chunk)
    expected = limits.size if limits.exact else None
    if announced is not None and announced.isdigit() and expected is None:
        expected = int(announced)
    if expected is not None and received < expected:
        raise _Retryable(f"connection closed after {received} of {expected} bytes")
    return digest.hexdigest()


def fetch(url: str, target: Path, limits: Limits, *, timeout: float, retries: int) -> str:
    """Stream `url` into `target` within `limits`; return its sha256. A transfer cut off
    midway (timeout, reset, early close, HTTP 5xx) starts again, up to `retries` times."""
    check_url(url)
    delay = 0.5
    for attempt in range(retries + 1):
        try:
            return _stream(url, target, limits, timeout)
        except _Retryable as exc:
            target.unlink(missing_ok=True)
            if attempt == retries:
                raise DownloadError(
                    f"{redact(url)}: transfer failed: {exc} (after {retries + 1} attempts)"
                ) from None
        except (http.client.HTTPException, ConnectionError) as exc:
            target.unlink(missing_ok=True)
            if attempt == retries:
                text = redact_text(str(exc) or type(exc).__name__, url)
                raise DownloadError(
                    f"{redact(url)}: transfer failed: {text} (after {retries + 1} attempts)"
                ) from None
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        time.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")
