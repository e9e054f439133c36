"""What the descriptor points at: resources with unique names; schemas and dialects inline or
in a file inside the package; and no network access while a package is checked."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .files import regular_size, safe_path
from .report import Report

REFERENCES = ("schema", "dialect")


def check_resources(descriptor: dict[str, Any], base: Path, report: Report) -> bool:
    """Names and references of every resource; True when nothing outside the package is
    referenced (only then may frictionless open the package)."""
    safe = True
    first: dict[str, int] = {}
    for i, res in enumerate(descriptor["resources"]):
        if not isinstance(res, dict):
            safe = False  # reported by the file checks
            continue
        name = res.get("name")
        if not isinstance(name, str) or not name:
            report.add(
                "descriptor-error",
                f"expected a resource name (a non-empty string), found {name!r}",
                resource=f"#{i}",
                file="datapackage.json",
            )
            safe = False
            continue
        if name in first:
            report.add(
                "descriptor-error",
                f"expected unique resource names, found {name!r} again (first as resource "
                f"#{first[name]}, again as #{i})",
                resource=name,
                file="datapackage.json",
            )
            safe = False
        first.setdefault(name, i)
        safe = _check_references(res, name, base, report) and safe
    return safe


def _check_references(res: dict[str, Any], name: str, base: Path, report: Report) -> bool:
    ok = True
    for key in REFERENCES:
        ref = res.get(key)
        if ref is None or isinstance(ref, dict):
            continue
        path = safe_path(base, ref)
        if path is None or regular_size(path)[0] is None:
            report.add(
                "unsafe-path",
                f"{key}: expected an inline object or a regular file inside the package (no "
                f"URL, no absolute path, no '..', no symbolic link), found {ref!r}",
                resource=name,
                field=key,
            )
            ok = False
    return ok


@contextlib.contextmanager
def no_network() -> Iterator[list[str]]:
    """Refuse every connection and name lookup while the block runs; yield the list of what was
    attempted. A package is checked from its files alone: a profile, schema or dialect URL
    that a library would follow must not turn validation into a request (SSRF)."""
    attempts: list[str] = []
    saved = (socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo)

    def refuse(what: object) -> OSError:
        attempts.append(str(what))
        return ConnectionRefusedError(f"sinopak validates without network access ({what})")

    def connect(self: socket.socket, address: Any) -> None:
        raise refuse(address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        raise refuse(address)

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        raise refuse(f"{host}:{port}")

    socket.socket.connect = connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = getaddrinfo
    try:
        yield attempts
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = saved  # type: ignore[method-assign]


def validate_offline(descriptor_path: str, name: str) -> list[dict[str, Any]]:
    """frictionless on one resource (in a worker process) with the network refused; each
    attempt becomes a problem of its own."""
    from .frictionless_worker import validate_resource

    with no_network() as attempts:
        problems = validate_resource(descriptor_path, name)
    return problems + [
        {
            "type": "network-refused",
            "message": f"expected a resource readable from the package's own files, found a "
            f"reference that needs the network ({address}); no request was made",
        }
        for address in attempts
    ]
