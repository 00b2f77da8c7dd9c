"""The README stays true: its schema table matches the validator, its commands exist."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from generator.validate import PAPER_FIELDS

REPO_ROOT = Path(__file__).resolve().parents[1]
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


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
    for target in set(re.findall(r"`make ([a-z-]+)`", README)):
        assert f"make {target} " in help_text, (
            f"README mentions make {target}, which `make help` does not list"
        )


def test_every_paper_archive_command_in_the_readme_exists() -> None:
    from click.testing import CliRunner

    from generator.cli import main

    for command in set(re.findall(r"paper-archive ([a-z][a-z-]+)", README)):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0, (
            f"README mentions `paper-archive {command}`, which does not exist"
        )


def test_json_export_fields_are_documented_in_order() -> None:
    from generator.export import JSON_FIELDS

    table = README.split("<!-- json-fields")[1].split("<!-- /json-fields -->")[0]
    assert tuple(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)) == JSON_FIELDS
