"""The README and the guides stay true: the schema table matches the validator, the commands
and make targets they name exist, the export fields are documented."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from generator.validate import PAPER_FIELDS

REPO_ROOT = Path(__file__).resolve().parents[1]
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
GUIDE = (REPO_ROOT / "docs" / "GUIDE.md").read_text(encoding="utf-8")
DOCS = {"README.md": README, "docs/GUIDE.md": GUIDE}


def schema_rows() -> list[tuple[str, str, str]]:
    table = README.split("<!-- schema-table")[1].split("<!-- /schema-table -->")[0]
    return re.findall(r"^\| `([a-z_]+)` \| (yes|no) \| (.+) \|$", table, flags=re.MULTILINE)


def test_schema_table_matches_the_validator_field_for_field() -> None:
    assert [(name, required == "yes", summary) for name, required, summary in schema_rows()] == [
        (spec.name, spec.required, spec.summary) for spec in PAPER_FIELDS
    ]


def test_every_make_target_in_the_readme_exists_and_has_help() -> None:
    help_text = subprocess.run(
        ["make", "-s", "help"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout
    for name, text in DOCS.items():
        for target in set(re.findall(r"`make ([a-z-]+)`", text)):
            assert f"make {target} " in help_text, (
                f"{name} mentions make {target}, which `make help` does not list"
            )


def test_every_paper_archive_command_in_the_readme_exists() -> None:
    from click.testing import CliRunner

    from generator.commands import main

    mentioned = {
        (name, command)
        for name, text in DOCS.items()
        for command in re.findall(r"paper-archive ([a-z][a-z-]+)", text)
    }
    for name, command in sorted(mentioned):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0, (
            f"{name} mentions `paper-archive {command}`, which does not exist"
        )


def test_json_export_fields_are_documented_in_order() -> None:
    from generator.export import JSON_FIELDS

    table = GUIDE.split("<!-- json-fields")[1].split("<!-- /json-fields -->")[0]
    assert tuple(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)) == JSON_FIELDS


def test_readme_stays_a_short_users_guide() -> None:
    """Internals and command references live in docs/; the README gets a stranger started."""
    assert len(README.encode("utf-8")) < 15_000
    for target in ("docs/GUIDE.md", "docs/ARCHITECTURE.md"):
        assert f"]({target}" in README, f"README does not link to {target}"
