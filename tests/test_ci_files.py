"""The CI workflow, pre-commit hook and README snippet exist and run real commands."""

from __future__ import annotations

import shlex
import tomllib

import yaml
from conftest import ROOT, run


def test_workflow_runs_build_check_and_validate() -> None:
    wf = yaml.safe_load((ROOT / ".github/workflows/validate.yml").read_text())
    steps = [s.get("run", "") for s in wf["jobs"]["validate"]["steps"]]
    assert "sinopak build --check" in steps
    assert any(s.startswith("sinopak validate") for s in steps)


def test_pre_commit_hooks_run_green_on_the_real_package() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    ids = {h["id"]: h for h in hooks}
    assert set(ids) == {"sinopak-validate", "sinopak-build-check"}
    # pre-commit installs the repository without extras: the hooks list what they need
    with (ROOT / "pyproject.toml").open("rb") as fh:
        project = tomllib.load(fh)
    extras = project["project"]["optional-dependencies"]
    assert ids["sinopak-validate"]["additional_dependencies"] == extras["validate"]
    needed = {*extras["records"], *extras["validate"], *extras["pandas"], *extras["polars"]}
    needed |= set(project["dependency-groups"]["build"])
    assert set(ids["sinopak-build-check"]["additional_dependencies"]) == needed
    entry = shlex.split(ids["sinopak-validate"]["entry"])
    assert entry[0] == "sinopak"
    result = run(*entry[1:], str(ROOT / "dist"))
    assert result.exit_code == 0, result.output
    entry = shlex.split(ids["sinopak-build-check"]["entry"])
    result = run(*entry[1:], "--root", str(ROOT))
    assert result.exit_code == 0, result.output


def test_readme_snippet_validates_the_real_package() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "sinopak validate data/sinopak --format github" in readme
    result = run("validate", str(ROOT / "dist"), "--format", "github")
    assert result.exit_code == 0
    assert result.output.startswith("valid: ")
