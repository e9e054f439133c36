"""The layout: the folders are the layers, read from the source with `ast`.

- Nothing outside `pipeline/` and `validation/` imports them at module level: the accessor,
  the shared table definition and the CLI load the build and the validator only inside the
  call that needs them.
- The graph of imports between sinopak's modules (module level and inside functions) has no
  cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

SRC = ROOT / "src"
PACKAGE = SRC / "sinopak"
LAYERS = ("sinopak.pipeline", "sinopak.validation")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(importer: str, node: ast.ImportFrom) -> list[str]:
    """sinopak modules a `from … import …` statement loads."""
    if node.level:
        base = importer.split(".")  # the package a relative import starts from
        if MODULES[importer].name != "__init__.py":
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    if not target.startswith("sinopak"):
        return []
    found = []
    for alias in node.names:
        sub = f"{target}.{alias.name}"
        found.append(sub if sub in MODULES else target)
    return found


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports(name: str) -> list[tuple[str, bool]]:
    """(imported sinopak module, at module level?) for each import the module runs."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    out: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    visit_stmt(sub, top)
                continue  # imports for the type checker only never run
            visit_stmt(child, top)

    def visit_stmt(child: ast.AST, top: bool) -> None:
        if isinstance(child, ast.Import):
            out.extend((a.name, top) for a in child.names if a.name.startswith("sinopak"))
        elif isinstance(child, ast.ImportFrom):
            out.extend((t, top) for t in _resolve(name, child))
        else:
            inner = not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, top and inner)

    visit(tree, True)
    return out


GRAPH = {name: imports(name) for name in MODULES}


def in_layer(name: str) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in LAYERS)


def test_the_graph_sees_the_layers() -> None:
    # The reader resolves relative imports and tells module level from call level.
    assert ("sinopak.schema.tables", False) in GRAPH["sinopak._access"]
    assert ("sinopak.validation.report", True) in GRAPH["sinopak.validation.core"]
    assert ("sinopak.pipeline.build", False) in GRAPH["sinopak.cli"]
    assert len(MODULES) > 30


@pytest.mark.parametrize("name", [n for n in MODULES if not in_layer(n)])
def test_only_the_layers_import_the_build_and_the_validator_at_module_level(name: str) -> None:
    eager = [target for target, top in GRAPH[name] if top and in_layer(target)]
    assert eager == [], f"{name} imports {eager} at module level"


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := walk(start)):
            return cycle
    return None


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_import_graph_has_no_cycle() -> None:
    graph = {
        name: {t for t, _ in targets if t in MODULES and t != name}
        for name, targets in GRAPH.items()
    }
    assert find_cycle(graph) is None


MAX_FUNCTION_LINES = 60


def long_functions(limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """Functions in src/ longer than `limit` lines (decorators to last line)."""
    found = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - first + 1
                if length > limit:
                    found.append(f"{name}.{node.name}: {length} lines")
    return found


def test_no_function_is_longer_than_60_lines() -> None:
    assert long_functions() == []
    # the measure is real: the longest functions are close to the limit
    assert long_functions(40) != []
