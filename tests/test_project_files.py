"""The files an open-source tool ships beside its code: each YAML/CFF file validates against
its published schema (check-jsonschema's builtin copies: no network), and the licence,
version and repository address agree wherever they are written."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SOURCE_URL = PYPROJECT["urls"]["Source"]
CITATION = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
SUGGEST_FORM = ".github/ISSUE_TEMPLATE/suggest-paper.yml"

SCHEMAS = {
    "CITATION.cff": "vendor.citation-file-format",
    ".github/dependabot.yml": "vendor.dependabot",
    SUGGEST_FORM: "vendor.github-issue-forms",
    ".github/ISSUE_TEMPLATE/correct-paper.yml": "vendor.github-issue-forms",
    ".github/workflows/pages.yml": "vendor.github-workflows",
}


def _validate(path: Path, schema: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("path", "schema"), SCHEMAS.items())
def test_file_validates_against_its_published_schema(path: str, schema: str) -> None:
    completed = _validate(REPO_ROOT / path, schema)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_schema_check_rejects_a_broken_issue_form(tmp_path: Path) -> None:
    """The validation above can fail: an input without its label is refused."""
    form = yaml.safe_load((REPO_ROOT / SUGGEST_FORM).read_text(encoding="utf-8"))
    del form["body"][1]["attributes"]["label"]
    broken = tmp_path / "form.yml"
    broken.write_text(yaml.safe_dump(form), encoding="utf-8")
    assert _validate(broken, "vendor.github-issue-forms").returncode == 1


def test_suggest_form_asks_for_an_arxiv_id_doi_or_url_first() -> None:
    form = yaml.safe_load((REPO_ROOT / SUGGEST_FORM).read_text(encoding="utf-8"))
    (reference,) = [item for item in form["body"] if item.get("id") == "reference"]
    assert reference["attributes"]["label"] == "arXiv id, DOI or URL"
    assert reference["validations"]["required"] is True


def test_licence_is_mit_everywhere() -> None:
    assert PYPROJECT["license"] == "MIT"
    assert PYPROJECT["license-files"] == ["LICENSE"]
    assert (REPO_ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert CITATION["license"] == "MIT"


def test_citation_names_this_version_and_repository() -> None:
    assert CITATION["version"] == PYPROJECT["version"]
    assert CITATION["repository-code"] == SOURCE_URL


def test_every_link_to_the_tools_repository_is_the_source_url() -> None:
    """The README, the new archive's README and CONTRIBUTING name one repository."""
    tool_links = re.compile(r"https://github\.com/[\w.-]+/paper-archive(?![\w.-])")
    for name in ("README.md", "generator/skeleton/README.md"):
        found = set(tool_links.findall((REPO_ROOT / name).read_text(encoding="utf-8")))
        assert found == {SOURCE_URL}, name


def test_classifiers_name_each_supported_python() -> None:
    minimum = int(re.fullmatch(r">=3\.(\d+)(?:\.\d+)?", PYPROJECT["requires-python"]).group(1))
    versions = {
        int(match.group(1))
        for classifier in PYPROJECT["classifiers"]
        if (match := re.fullmatch(r"Programming Language :: Python :: 3\.(\d+)", classifier))
    }
    assert min(versions) == minimum
    assert versions == set(range(minimum, max(versions) + 1))
    # PEP 639: with a `license` expression, setuptools refuses a licence classifier.
    assert not [c for c in PYPROJECT["classifiers"] if c.startswith("License ::")]
