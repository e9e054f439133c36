"""Seed YAML is composed with PyYAML's safe loader whose tag resolution `safe_yaml._loader`
replaces with a faster one: every node must get the tag PyYAML's own `resolve` gives it."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

from sinopak.pipeline.safe_yaml import _loader

BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# every kind of implicit scalar YAML 1.1 knows, and texts that only look like one
TRICKY = [
    "",
    " ",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "true",
    "True",
    "TRUE",
    "tRUE",
    "yes",
    "Yes",
    "no",
    "NO",
    "on",
    "Off",
    "y",
    "n",
    "0",
    "-0",
    "+1",
    "1_000",
    "0b101",
    "0x1F",
    "0o17",
    "017",
    "1:20",
    "190:20:30",
    "1.5",
    "-.5",
    "1e3",
    "1.0e+3",
    "6.8523015e+5",
    ".inf",
    "-.Inf",
    ".NaN",
    ".nan",
    "2020-12-11",
    "2020-12-1",
    "2020-12-11T10:00:00Z",
    "2020-12-11 10:00",
    "2001-12-14t21:59:43.10-05:00",
    "<<",
    "=",
    "-",
    "+",
    ".",
    "1.2.3",
    "12-11",
    "Shaheen-IX",
    "agr.mou-1#1",
    "Gen. Wei Fenghe",
    "0.",
    "._",
    "1__2",
    "0x",
    "e3",
    "yes!",
    "2020-13-45",
]


def test_every_scalar_gets_the_tag_pyyaml_gives_it() -> None:
    fast = _loader()
    assert fast is not BASE and not BASE.yaml_path_resolvers
    loader, reference = fast(""), BASE("")
    rng = random.Random(7)
    alphabet = "0123456789+-._:eExXoObB~<=TtYyNnFfAaLlSsIiUu :#\n"
    texts = TRICKY + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))) for _ in range(20000)
    ]
    for text in texts:
        for implicit in ((True, False), (False, True), (True, True), (False, False)):
            assert loader.resolve(yaml.ScalarNode, text, implicit) == BASE.resolve(
                reference, yaml.ScalarNode, text, implicit
            ), (text, implicit)
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        for implicit in (True, False):
            assert loader.resolve(kind, None, implicit) == BASE.resolve(
                reference, kind, None, implicit
            )


def _tree(node: Any) -> Any:
    where = (node.tag, node.start_mark.line, node.start_mark.column, node.end_mark.line)
    if isinstance(node, yaml.ScalarNode):
        return (*where, node.value, node.style)
    if isinstance(node, yaml.SequenceNode):
        return (*where, [_tree(n) for n in node.value], node.flow_style)
    return (*where, [(_tree(k), _tree(v)) for k, v in node.value], node.flow_style)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "seeds").rglob("*.yaml")), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_every_seed_file_composes_to_the_same_nodes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _tree(yaml.compose(text, Loader=_loader())) == _tree(yaml.compose(text, Loader=BASE))


def _plain(text: str) -> bool:
    """Whether `text` can stand as a plain scalar after a key."""
    try:
        node = yaml.compose(f"k: {text}", Loader=BASE)
    except yaml.YAMLError:
        return False
    return node is not None and node.value[0][1].value == text.strip()


def test_a_document_of_every_kind_of_scalar_composes_to_the_same_nodes() -> None:
    plain = [t for t in TRICKY if _plain(t)]
    assert len(plain) > 40
    text = "\n".join(
        [f"k{i}: {t}" for i, t in enumerate(plain)]
        + ["list: [1, two, 3.0, ~, '4', \"yes\", 2020-12-11]", "nested: {a: [b, {c: 0x1F}]}"]
        + ["block: |\n  yes\n  1", "folded: >\n  true", "? complex\n: key", "empty:"]
    )
    fast = yaml.compose(text, Loader=_loader())
    assert _tree(fast) == _tree(yaml.compose(text, Loader=BASE))
    tags = {n.tag.rsplit(":", 1)[1] for _, n in fast.value}
    assert {"null", "bool", "int", "float", "timestamp", "merge", "value", "str"} <= tags
