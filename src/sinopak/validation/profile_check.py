"""The Data Package 2.0 profile check, compiled once and cached.

`jsonschema` interprets the profile on every run (about 0.3–1 s for this descriptor, with its
import). `fastjsonschema` compiles the profile to a Python function instead; the compiled code
object is cached (marshal) under the user cache folder, keyed by the hash of the profile, the
fastjsonschema version and the Python bytecode tag, so a run only loads it (about 1 ms) and
calls it (about 20 ms). A descriptor it rejects is checked again with `jsonschema`, the
reference, which lists every error with its location: the fast path only answers "valid".
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .report import Report

PROFILE = "profiles/datapackage.json"
# The profile's `format` keywords: Draft7Validator without a format checker (the reference
# check) ignores them, so the compiled check ignores them too (an empty regex always matches).
IGNORED_FORMATS = {"date-time": "", "email": "", "textarea": "", "uri": ""}
MAX_ERRORS = 20

Check = Callable[[Any], Any]
_loaded: dict[str, Check] = {}


def profile_bytes() -> bytes:
    return importlib.resources.files("sinopak.validation").joinpath(PROFILE).read_bytes()


def check_profile(descriptor: dict[str, Any], report: Report) -> None:
    """Check the descriptor against the official Data Package 2.0 JSON Schema."""
    raw = profile_bytes()
    if _compiled_accepts(raw, descriptor):
        return
    problems = reference_errors(json.loads(raw), descriptor)
    if not problems:  # the compiled check is stricter somewhere: jsonschema is the reference
        return
    for where, message in problems:
        report.add("descriptor-error", f"{where}: {message}", file="datapackage.json")


def reference_errors(profile: dict[str, Any], descriptor: Any) -> list[tuple[str, str]]:
    """Every error jsonschema finds (the first MAX_ERRORS, in document order), located."""
    import jsonschema

    errors = sorted(
        jsonschema.Draft7Validator(profile).iter_errors(descriptor),
        key=lambda e: [str(p) for p in e.absolute_path],
    )[:MAX_ERRORS]
    return [
        ("/".join(str(p) for p in e.absolute_path) or "<root>", e.message[:200]) for e in errors
    ]


def _compiled_accepts(raw: bytes, descriptor: Any) -> bool:
    import fastjsonschema

    try:
        compiled_check(raw)(descriptor)
    except fastjsonschema.JsonSchemaValueException:
        return False
    except RecursionError:  # a descriptor nested deeper than Python's stack: let jsonschema say
        return False
    return True


def compiled_check(raw: bytes) -> Check:
    """The profile as a compiled function: from memory, from the cache, or compiled now."""
    import fastjsonschema

    key = hashlib.sha256(
        raw + fastjsonschema.VERSION.encode() + sys.implementation.cache_tag.encode()
    ).hexdigest()
    if key not in _loaded:
        path = cache_folder() / f"{key[:32]}.marshal"
        check = _load(_read_cached(path))
        if check is None:
            code = compile(_generated_source(raw), f"<datapackage profile {key[:12]}>", "exec")
            _write_cached(path, marshal.dumps(code))
            check = _load(code)
        assert check is not None
        _loaded[key] = check
    return _loaded[key]


def _load(code: Any) -> Check | None:
    """The `validate` function the compiled profile defines; None for a bad cache entry."""
    if code is None:
        return None
    namespace: dict[str, Any] = {}
    try:
        exec(code, namespace)  # our own code, generated from the bundled profile
    except Exception:
        return None
    check = namespace.get("validate")
    return check if callable(check) else None


def cache_folder() -> Path:
    from ..cachedir import cache_root

    return cache_root() / "profiles"


def _generated_source(raw: bytes) -> str:
    import fastjsonschema

    source: str = fastjsonschema.compile_to_code(
        json.loads(raw), formats=IGNORED_FORMATS, detailed_exceptions=False, use_default=False
    )
    # The generated function names the failing path with `"…".format(**locals())` each time a
    # oneOf branch fails (thousands of times per descriptor, in a function with thousands of
    # locals): 80% of its run time. Only pass/fail is used here (jsonschema locates errors),
    # so the path is left unformatted.
    return source.replace(".format(**locals())", "")


def _read_cached(path: Path) -> Any:
    try:
        code = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None  # absent, unreadable or corrupt: compile again
    return code if type(code).__name__ == "code" else None


def _write_cached(path: Path, data: bytes) -> None:
    """Write atomically; a cache that cannot be written only costs the next run a compile."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".profile-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        pass
