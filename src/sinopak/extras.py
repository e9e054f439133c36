"""Optional dependencies: `pip install sinopak` is the standard library plus click.

Every other library is imported by the call that needs it, through `require`, which turns a
missing library into a `MissingDependencyError` that names what to install (the CLI prints it
and exits 3).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the accessor is light)
if TYPE_CHECKING:
    from types import ModuleType

# Which extra brings which library (pyproject.toml's [project.optional-dependencies]).
EXTRAS = {
    "pydantic": "records",  # the validate extra brings it too
    "frictionless": "validate",
    "jsonschema": "validate",
    "pyarrow": "arrow",
    "pandas": "pandas",
    "polars": "polars",
}
# What only a source checkout needs ([dependency-groups] build, installed by `make build`).
BUILD_ONLY = ("pysbd", "pycountry", "jinja2", "yaml", "xlsxwriter")


def install_hint(module: str, extra: str | None = None) -> str:
    """The command that installs `module`: an extra of sinopak, or the build group."""
    top = module.split(".")[0]
    if top in BUILD_ONLY:
        return "a source checkout set up with `make build` (pip install -e '.[all]' --group build)"
    return f"pip install 'sinopak[{extra or EXTRAS.get(top, 'all')}]'"


def require(module: str, purpose: str, extra: str | None = None) -> ModuleType:
    """Import `module` for `purpose` (e.g. "sinopak validate"), or raise
    MissingDependencyError saying which extra to install."""
    import importlib

    from .errors import MissingDependencyError

    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        raise MissingDependencyError(
            f"{purpose} needs {top}, which is not installed: {install_hint(module, extra)}"
        ) from None


def require_installed(modules: tuple[str, ...], purpose: str, extra: str | None = None) -> None:
    """Raise MissingDependencyError (as `require` does) unless every module is installed,
    without importing any: validation imports frictionless in its worker processes only, and
    jsonschema only for a descriptor that fails the compiled check."""
    import importlib.util
    import sys

    from .errors import MissingDependencyError

    for module in modules:
        top = module.split(".")[0]
        if module in sys.modules and sys.modules[module] is None:
            found = False  # blocked, as a failed import leaves it
        else:
            try:
                found = importlib.util.find_spec(top) is not None
            except (ImportError, ValueError):
                found = False
        if not found:
            raise MissingDependencyError(
                f"{purpose} needs {top}, which is not installed: {install_hint(module, extra)}"
            )


def require_checkout_tools(purpose: str) -> None:
    """Raise MissingDependencyError unless every library that reads the seeds is installed
    (pydantic and the build group): what `sinopak build`, `anchor` and `coverage` need."""
    import importlib

    from .errors import MissingDependencyError

    missing = []
    for module in ("pydantic", *BUILD_ONLY):
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise MissingDependencyError(
            f"{purpose} needs {', '.join(missing)}, which are not installed: it runs in "
            "a source checkout set up with `make build` (pip install -e '.[all]' --group build)"
        )
