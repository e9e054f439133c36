"""Safe YAML reading that remembers where every value came from.

PyYAML's SafeLoader composes the node tree (no arbitrary tags: `!!python/object` is refused);
we then build plain Python values ourselves so that each value keeps its line number. Anchors
and aliases are refused outright: hand-written records do not need them, and refusing them
makes alias bombs ("billion laughs") impossible.

Why not ruamel.yaml: its round-trip loader records positions too (`.lc.key(k)`,
`.lc.value(k)` and `.lc.item(i)` on its CommentedMap and CommentedSeq), so it could serve; but
it returns its own container types rather than plain values, it does not refuse aliases by
itself, and it would be a second YAML library beside PyYAML (which `anchor` uses to write).
Composing PyYAML's safe nodes gives plain values with their lines in a few dozen lines.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import SeedError
from .sources import sha256_bytes

MAX_BYTES = 5_000_000
MAX_DEPTH = 64  # records nest a few levels; deeper is refused (as JSON is), never recursed into
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # stateless for scalars: build it once
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
STR_TAG = "tag:yaml.org,2002:str"
TAG_PREFIX = "tag:yaml.org,2002:"
Path_ = tuple[str | int, ...]
Resolvers = tuple[tuple[str, re.Pattern[str]], ...]  # (tag, pattern), in PyYAML's order


class Located:
    """Parsed YAML plus the 1-based line of every mapping key and sequence item, and the
    sha256 of the file's bytes as read (the build manifest records it: see `manifest`).

    A file read with `lines=False` keeps only its path and that hash, and finds the lines
    again (by reading it once more) the first time one is asked for: errors are rare, and the
    lines of a large corpus took hundreds of megabytes to keep. A file changed since then
    gives no line rather than a wrong one."""

    def __init__(
        self,
        value: Any,
        lines: dict[Path_, int],
        sha256: str,
        again: tuple[Path, str] | None = None,
    ) -> None:
        self.value = value
        self.lines = lines
        self.sha256 = sha256
        self.again = again  # (path, display) when the lines are found again if wanted

    def release(self) -> None:
        """Forget the parsed values and lines (a large corpus holds millions of them) once
        the records built from them are checked and turned into rows."""
        self.value = None
        self.lines = {}
        self.again = None

    def line(self, path: Path_) -> int | None:
        """Line of `path`, or of its closest ancestor that has one."""
        if self.again is not None:
            self.lines, self.again = _lines_again(*self.again, self.sha256), None
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def _lines_again(path: Path, display: str, sha256: str) -> dict[Path_, int]:
    """The lines of a file read before, if it still has the same bytes; else none."""
    try:
        data = path.read_bytes()
        if sha256_bytes(data) != sha256:
            return {}
        return _parse(_text(data, display), display, lines=True)[1]
    except (OSError, SeedError):
        return {}


@functools.cache
def _loader() -> type[yaml.SafeLoader]:
    """PyYAML's safe loader (libyaml's when installed), its tags resolved as its own `resolve`
    resolves them, without the list PyYAML builds for every scalar: the composer asks for the
    tag of every node, hundreds per seed file (a sixth of the time to compose one)."""
    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if base.yaml_path_resolvers:  # none in PyYAML's safe loaders: then its own resolution
        return base
    implicit = base.yaml_implicit_resolvers
    anywhere: Resolvers = tuple(implicit.get(None, []))  # for any first character
    by_first: dict[str, Resolvers] = {
        k: (*v, *anywhere) for k, v in implicit.items() if k is not None
    }
    scalar: str = base.DEFAULT_SCALAR_TAG
    sequence: str = base.DEFAULT_SEQUENCE_TAG
    mapping: str = base.DEFAULT_MAPPING_TAG

    class Loader(base):  # type: ignore[valid-type,misc]
        def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
            if kind is yaml.ScalarNode:
                if implicit[0]:
                    for tag, pattern in by_first.get(value[:1], anywhere):
                        if pattern.match(value):
                            return tag
                return scalar
            return sequence if kind is yaml.SequenceNode else mapping

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass  # they follow the path for path resolvers: there are none

        def ascend_resolver(self) -> None:
            pass

    return Loader


def load_yaml(path: Path, display: str, *, lines: bool = True) -> Located:
    """Read one YAML file safely; raise SeedError naming the file and line on any problem.
    With `lines=False` the lines of its values are found again only when asked for."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SeedError(f"cannot read: {exc.strerror}", file=display) from None
    if size > MAX_BYTES:
        raise SeedError(f"file is {size} bytes; the limit is {MAX_BYTES}", file=display)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SeedError(f"cannot read: {exc.strerror}", file=display) from None
    sha256 = sha256_bytes(data)
    value, found = _parse(_text(data, display), display, lines=lines)
    if lines:
        return Located(value, found, sha256)
    return Located(value, {}, sha256, (path, display))


def _text(data: bytes, display: str) -> str:
    """The file's text as `Path.read_text` gives it: UTF-8, every line ending a newline."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SeedError(f"not valid UTF-8 at byte {exc.start}", file=display) from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _parse(text: str, display: str, *, lines: bool) -> tuple[Any, dict[Path_, int]]:
    """The plain values of a YAML text and (with `lines`) the line of each."""
    try:
        node = yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SeedError(f"malformed YAML: {exc.problem or exc}", file=display, line=line) from None
    except yaml.YAMLError as exc:
        raise SeedError(f"malformed YAML: {exc}", file=display) from None
    found: dict[Path_, int] = {}
    if node is None:
        return None, found
    found[()] = node.start_mark.line + 1
    value = _build(node, (), found if lines else None, display, set())
    return value, found


def _build(
    node: yaml.Node, path: Path_, lines: dict[Path_, int] | None, display: str, seen: set[int]
) -> Any:
    line = node.start_mark.line + 1
    if len(path) > MAX_DEPTH:
        raise SeedError(f"YAML nested more than {MAX_DEPTH} levels", file=display, line=line)
    if id(node) in seen:
        raise SeedError(
            "YAML anchors and aliases are not allowed in seeds", file=display, line=line
        )
    seen.add(id(node))
    if not isinstance(node, yaml.ScalarNode) and node.tag not in (MAP_TAG, SEQ_TAG):
        raise SeedError(f"unsupported YAML tag: {node.tag}", file=display, line=line)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                raise SeedError(
                    "mapping keys must be plain strings",
                    file=display,
                    line=key_node.start_mark.line + 1,
                )
            key = key_node.value
            if key in out:
                raise SeedError(
                    f"duplicate key {key!r}", file=display, line=key_node.start_mark.line + 1
                )
            if lines is not None:
                lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, (*path, key), lines, display, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            if lines is not None:
                lines[(*path, i)] = item.start_mark.line + 1
            items.append(_build(item, (*path, i), lines, display, seen))
        return items
    if node.tag == STR_TAG:  # what SafeConstructor.construct_yaml_str returns, without its calls
        return node.value
    try:  # construct one scalar with the safe constructors only
        return _CONSTRUCTOR.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise SeedError(f"unsupported YAML tag: {exc.problem}", file=display, line=line) from None
    except Exception:  # `!!int abc`, `!!bool maybe`: its constructor fails, however it fails
        raise SeedError(
            f"expected a value of YAML type {node.tag.replace(TAG_PREFIX, '!!')}, found "
            f"{node.value!r}",
            file=display,
            line=line,
        ) from None
