"""The `paper-archive` command: messages, exit codes, and nothing written on failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.commands import main
from tests.conftest import VALID_PAPER

BROKEN_DATE = VALID_PAPER.replace("date: 2024-03-15", "date: 2024-02-30")
BROKEN_TAG = VALID_PAPER.replace("- data-selection", "- data-selecton")
BROKEN_AUTHORS = VALID_PAPER.replace(
    "authors:\n- Ada Lovelace\n- Alan Turing", "authors: Ada Lovelace"
)


def invoke(root: Path, *arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--root", str(root), *arguments])


def test_check_reports_every_broken_file_with_line_and_exits_1(make_archive) -> None:  # type: ignore[no-untyped-def]
    project = make_archive(
        {
            "good.yaml": VALID_PAPER,
            "bad-date.yaml": BROKEN_DATE,
            "bad-tag.yaml": BROKEN_TAG,
            "bad-authors.yaml": BROKEN_AUTHORS,
        }
    )
    result = invoke(project.root, "check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "papers/bad-authors.yaml:2: 'authors' must be a list of names, got 'Ada Lovelace' (text); write one name per line, each starting with '- '",
        "papers/bad-date.yaml:5: 'date' 2024-02-30 is not a real date",
        "papers/bad-tag.yaml:8: unknown tag 'data-selecton'; did you mean 'data-selection'?; tags are defined in papers/_tags.yaml",
        "Error: 3 error(s); nothing was written",
    ]


def test_generate_on_a_broken_archive_writes_nothing(make_archive) -> None:  # type: ignore[no-untyped-def]
    project = make_archive({"good.yaml": VALID_PAPER, "bad.yaml": BROKEN_DATE})
    result = invoke(project.root, "generate")
    assert result.exit_code == 1
    assert not project.docs_dir.exists()


def test_generate_then_remove_a_paper_deletes_its_page(make_archive) -> None:  # type: ignore[no-untyped-def]
    project = make_archive(
        {
            "good.yaml": VALID_PAPER,
            # Other authors (same initials), so no author or letter page depends on it alone.
            "other.yaml": VALID_PAPER.replace("A Valid Paper", "Another")
            .replace("Ada Lovelace", "Ann Lee")
            .replace("Alan Turing", "Tom Tate"),
        }
    )
    first = invoke(project.root, "generate")
    assert first.exit_code == 0, first.output
    assert (project.docs_dir / "papers" / "other.md").is_file()
    (project.papers_dir / "other.yaml").unlink()
    second = invoke(project.root, "generate")
    assert "3 removed" in second.output  # its page, its RIS and its CSL-JSON
    for name in ("other.md", "other.ris", "other.csl.json"):
        assert not (project.docs_dir / "papers" / name).exists()
    assert (project.docs_dir / "about.md").is_file()


def test_strict_fails_on_warnings(make_archive) -> None:  # type: ignore[no-untyped-def]
    project = make_archive({"good.yaml": VALID_PAPER + "venu: ICLR\n"})
    assert invoke(project.root, "check").exit_code == 0
    strict = invoke(project.root, "check", "--strict")
    assert strict.exit_code == 1
    assert (
        "papers/good.yaml:9: warning: unknown key 'venu' is ignored; did you mean 'venue'?"
        in strict.output
    )


def test_import_listing_creates_inbox_files_that_validate_and_never_overwrites(
    make_archive, shared_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    project = make_archive({})
    listing = shared_dir / "seed" / "hf-daily-papers-listing.txt"
    dry = invoke(project.root, "import-listing", str(listing), "--year", "2025", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert list(project.papers_dir.glob("*.yaml")) == [project.papers_dir / "_tags.yaml"]
    result = invoke(
        project.root, "import-listing", str(listing), "--year", "2025", "--added", "2025-11-13"
    )
    assert result.exit_code == 0, result.output
    assert len(list(project.papers_dir.glob("[!_]*.yaml"))) == 79
    check = invoke(project.root, "check")
    assert check.exit_code == 0, check.output
    assert "(79 in the inbox)" in check.output
    treesynth = (
        project.papers_dir / "treesynth-synthesizing-diverse-data-from-scratch-via-tree.yaml"
    ).read_text()
    assert "date:" not in treesynth and "status: inbox" in treesynth
    again = invoke(project.root, "import-listing", str(listing), "--year", "2025")
    assert len(list(project.papers_dir.glob("[!_]*.yaml"))) == 79
    assert "duplicate" in again.output


@pytest.mark.parametrize(
    "command", [[], ["check"], ["generate"], ["build"], ["import-listing"], ["serve"]]
)
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.split("\n\n")[1].strip()) > 20  # a real description, not just usage


def test_python_dash_m_generator_is_the_same_command(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    completed = run_cli("--help", root=tmp_path)
    assert completed.returncode == 0 and "Build a searchable static site" in completed.stdout
