"""The Jinja environment for the generated card and explorer (templates in templates/)."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def environment(*, html: bool) -> Any:
    """One strict environment per output kind: HTML is autoescaped; Markdown is not (values
    in Markdown tables are escaped by the card's own `_md`)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("sinopak.pipeline", "templates"),
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(name: str, **context: Any) -> str:
    """Render template `name`; `.html.j2` templates are autoescaped."""
    return str(environment(html=name.endswith(".html.j2")).get_template(name).render(**context))
