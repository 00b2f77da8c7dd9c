"""What every command prints when things go wrong, and how much it prints (`-q`, `-v`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from generator.commands import main
from generator.errors import UnexpectedError
from generator.pipeline import Project
from tests.conftest import VALID_PAPER

HINT = "run with --debug for the traceback"
IMPORTS = Path(__file__).parent / "fixtures" / "import"
INBOX = "title: Half Done\nauthors:\n- Ada Lovelace\nstatus: inbox\n"


def invoke(root: Path, *arguments: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *arguments])


def command_paths(group: click.Group = main) -> Iterator[tuple[str, ...]]:
    """Every runnable command, by the words that name it (`("import", "bibtex")`)."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from ((name, *rest) for rest in command_paths(command))
        else:
            yield (name,)


def arguments_for(command: tuple[str, ...], some_file: Path) -> list[str]:
    """What a command needs besides its name to get as far as reading the archive."""
    return {
        ("add",): ["2403.10717"],
        ("import-listing",): [str(some_file)],
        ("import", "bibtex"): [str(IMPORTS / "bibtex" / "exports.bib")],
        ("import", "hf"): [str(IMPORTS / "hf" / "daily_papers.json")],
        ("new",): ["--no-input", "--title", "A Title"],
    }.get(command, [])


@pytest.mark.parametrize(
    "command",
    # `init` is the one command meant for a folder that is not an archive yet.
    [command for command in command_paths() if command != ("init",)],
    ids=" ".join,
)
def test_every_command_says_a_folder_without_mkdocs_yml_is_not_an_archive(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    some_file = tmp_path / "input.txt"
    some_file.write_text("", encoding="utf-8")
    result = invoke(tmp_path, *command, *arguments_for(command, some_file))
    assert (result.exit_code, result.output) == (
        1,
        f"Error: no mkdocs.yml in {tmp_path}: not an archive;"
        f" create one with `paper-archive init {tmp_path}`\n",
    )


def broken(*_: object, **__: object) -> None:
    raise ZeroDivisionError("division by zero")


@pytest.mark.parametrize(
    ("target", "command", "message"),
    [
        (
            "generator.reading.validate_paper",
            "check",
            f"Error: papers/good.yaml: unexpected ZeroDivisionError: division by zero; {HINT}",
        ),
        (
            "generator.render.paper_buttons",
            "generate",
            f"Error: papers/good.yaml: unexpected ZeroDivisionError: division by zero; {HINT}",
        ),
        (
            "generator.downloads.bibliography",
            "generate",
            "Error: papers.bib (a generated page): unexpected ZeroDivisionError: division by"
            f" zero; {HINT}",
        ),
        (
            "generator.pipeline.load_archive",
            "stats",
            f"Error: unexpected ZeroDivisionError: division by zero; {HINT}",
        ),
    ],
)
def test_an_unforeseen_failure_is_one_line_naming_the_file(
    make_archive: Callable[..., Project],
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    command: str,
    message: str,
) -> None:
    project = make_archive({"good.yaml": VALID_PAPER})
    monkeypatch.setattr(target, broken)
    result = invoke(project.root, command)
    assert (result.exit_code, result.output) == (1, f"{message}\n")
    debugged = invoke(project.root, "--debug", command)
    assert isinstance(debugged.exception, ZeroDivisionError | UnexpectedError)
    cause = debugged.exception
    while cause.__cause__ is not None:
        cause = cause.__cause__
    assert isinstance(cause, ZeroDivisionError)


def test_quiet_keeps_only_problems_and_the_summary(make_archive: Callable[..., Project]) -> None:
    project = make_archive({"good.yaml": VALID_PAPER, "half-done.yaml": INBOX})
    normal = invoke(project.root, "inbox")
    assert normal.output.splitlines() == [
        "papers/half-done.yaml  Half Done",
        "    lacks: date, abstract, tags",
        "1 paper(s) in the inbox",
    ]
    for arguments in (["-q", "inbox"], ["inbox", "-q"], ["inbox", "--quiet"]):
        quiet = invoke(project.root, *arguments)
        assert (quiet.exit_code, quiet.output) == (0, "1 paper(s) in the inbox\n"), arguments
    stats = invoke(project.root, "stats", "-q")
    assert stats.output == "1 published paper(s), 1 in the inbox\n"


def test_quiet_still_prints_problems(make_archive: Callable[..., Project]) -> None:
    project = make_archive({"good.yaml": VALID_PAPER + "venu: ICLR\n"})
    result = invoke(project.root, "-q", "check")
    lines = result.output.splitlines()
    assert lines[0] == "papers/good.yaml:9: warning: unknown key 'venu' is ignored;" + (
        " did you mean 'venue'?"
    )
    assert lines[1].startswith("Checked 1 papers and 2 tags (0 in the inbox)")


def test_verbose_adds_each_steps_time(make_archive: Callable[..., Project]) -> None:
    project = make_archive({"good.yaml": VALID_PAPER})
    for arguments in (["-v", "generate"], ["generate", "--verbose"]):
        first, steps = invoke(project.root, *arguments).output.splitlines()
        assert first.startswith("Generated ")
        labels = [part.rsplit(" ", 2)[0] for part in steps.removeprefix("Steps: ").split(", ")]
        assert labels == ["reading", "indexes", "pages"], steps
        assert all(part.endswith(" s") for part in steps.split(", "))
    assert len(invoke(project.root, "generate").output.splitlines()) == 1


def test_every_command_accepts_quiet_and_verbose_after_its_name() -> None:
    for command in command_paths():
        result = CliRunner().invoke(main, [*command, "--help"])
        assert "-q, --quiet" in result.output and "-v, --verbose" in result.output, command
