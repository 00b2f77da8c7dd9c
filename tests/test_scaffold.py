"""Starting an archive of your own: `init DIR` (also from a wheel installed in a fresh venv
outside the repository) and `remove-examples` (the template path), each ending in a strict
build and a passing link check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

from generator.commands import main
from generator.pipeline import load_project
from generator.scaffold import (
    EXAMPLES_FILE,
    ExampleRemoval,
    examples_list,
    installed_requirement,
    parse_examples_list,
    plan_example_removal,
    remove_examples,
    skeleton_files,
    tool_requirement,
)
from tests.conftest import MINIMAL_TAGS, REPO_ROOT, VALID_PAPER, copy_project, run_cli

# The repository's own files that `init` must write unchanged, by path in the new archive.
SHARED_WITH_REPOSITORY = (
    "mkdocs.yml",
    ".gitignore",
    ".github/workflows/pages.yml",
    ".github/ISSUE_TEMPLATE/suggest-paper.yml",
    ".github/ISSUE_TEMPLATE/correct-paper.yml",
    "papers/_tags.yaml",
    *(
        p.relative_to(REPO_ROOT).as_posix()
        for folder in ("pages", "theme_overrides")
        for p in sorted((REPO_ROOT / folder).rglob("*"))
        if p.is_file()
    ),
)
ARCHIVE_ONLY = ("Makefile", "README.md", "requirements.txt")
NEW_PAPER = (
    "new",
    "--no-input",
    "--title",
    "Attention Is All You Need",
    "--author",
    "Ashish Vaswani",
    "--author",
    "Noam Shazeer",
    "--date",
    "2017-06-12",
    "--tag",
    "llm-inference",
    "--abstract",
    "We propose the Transformer, based solely on attention mechanisms.",
)


def _invoke(*arguments: str, root: Path | None = None, stdin: str | None = None):
    options = ["--root", str(root)] if root else []
    return CliRunner().invoke(main, [*options, *arguments], input=stdin)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


# --- init --------------------------------------------------------------------------------


def test_skeleton_is_the_repositorys_own_files() -> None:
    files = skeleton_files()
    assert {str(path) for path in files} == {*SHARED_WITH_REPOSITORY, *ARCHIVE_ONLY} - {
        "requirements.txt"
    }
    for name in SHARED_WITH_REPOSITORY:
        assert files[PurePosixPath(name)] == (REPO_ROOT / name).read_bytes(), name


def test_init_writes_a_complete_archive(tmp_path: Path) -> None:
    target = tmp_path / "new-archive"
    result = _invoke("init", str(target))
    assert result.exit_code == 0, result.output
    assert _files(target) == {*SHARED_WITH_REPOSITORY, *ARCHIVE_ONLY}
    assert f"Created an archive in {target} ({len(_files(target))} files written)" in result.output
    assert "make build" in result.output
    requirement = (target / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert requirement == installed_requirement()
    project = load_project(target)
    assert project.papers_dir == target / "papers"
    assert (target / "Makefile").read_bytes() == (
        REPO_ROOT / "generator" / "skeleton" / "Makefile"
    ).read_bytes()


def test_init_refuses_a_folder_that_holds_files_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = _invoke("init", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path} is not empty (notes.txt); give a new or empty folder, or use --force"
        " to add the missing archive files and keep every existing one as it is\n"
    )
    assert _files(tmp_path) == {"notes.txt"}


def test_init_force_adds_the_missing_files_and_keeps_every_existing_one(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Our reading group\n", encoding="utf-8")
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "_tags.yaml").write_text(MINIMAL_TAGS, encoding="utf-8")
    result = _invoke("init", "--force", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "kept README.md: it exists already and was left as it is\n" in result.output
    assert "kept papers/_tags.yaml: it exists already and was left as it is\n" in result.output
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# Our reading group\n"
    assert (tmp_path / "papers" / "_tags.yaml").read_text(encoding="utf-8") == MINIMAL_TAGS
    assert _files(tmp_path) == {*SHARED_WITH_REPOSITORY, *ARCHIVE_ONLY}


def test_init_accepts_a_folder_holding_only_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert _invoke("init", str(tmp_path)).exit_code == 0
    assert (tmp_path / "mkdocs.yml").is_file()


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "archive"
    target.write_text("", encoding="utf-8")
    result = _invoke("init", str(target))
    assert result.exit_code != 0
    assert target.read_text(encoding="utf-8") == ""


def test_tool_requirement_pins_the_commit_of_a_git_install() -> None:
    direct_url = json.dumps(
        {
            "url": "https://github.com/curator/paper-archive.git",
            "vcs_info": {"vcs": "git", "commit_id": "0123abc", "requested_revision": "main"},
        }
    )
    assert (
        tool_requirement("0.1.0", "https://github.com/upstream/paper-archive", direct_url)
        == "paper-archive @ git+https://github.com/curator/paper-archive.git@0123abc"
    )


@pytest.mark.parametrize(
    "direct_url",
    [
        None,  # installed from an index
        json.dumps({"url": "file:///tmp/paper_archive-0.1.0-py3-none-any.whl", "archive_info": {}}),
        json.dumps({"url": "file:///home/me/paper-archive", "dir_info": {"editable": True}}),
    ],
)
def test_tool_requirement_pins_the_release_tag_when_the_source_cannot_be_fetched(
    direct_url: str | None,
) -> None:
    assert (
        tool_requirement("1.2.0", "https://github.com/upstream/paper-archive", direct_url)
        == "paper-archive @ git+https://github.com/upstream/paper-archive@v1.2.0"
    )
    assert tool_requirement("1.2.0", None, direct_url) == "paper-archive==1.2.0"


# --- remove-examples ---------------------------------------------------------------------


def _archive_with_examples(make_archive, names: tuple[str, ...] = ("a", "b", "c")) -> Path:
    papers = {
        f"{name}.yaml": VALID_PAPER.replace("A Valid Paper", f"Paper {name}") for name in names
    }
    project = make_archive(papers)
    (project.papers_dir / EXAMPLES_FILE).write_text(
        examples_list(project.papers_dir), encoding="utf-8"
    )
    return project.root


def test_remove_examples_deletes_only_unchanged_examples(make_archive) -> None:
    root = _archive_with_examples(make_archive)
    papers = root / "papers"
    (papers / "c.yaml").write_text(VALID_PAPER + "notes: ours now\n", encoding="utf-8")
    (papers / "ours.yaml").write_text(VALID_PAPER, encoding="utf-8")
    about = (root / "pages" / "about.md").read_bytes()
    settings = (root / "mkdocs.yml").read_bytes()
    result = _invoke("remove-examples", "--yes", root=root)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:4] == [
        "keep papers/c.yaml: an example you edited; delete it yourself if unwanted",
        "keep papers/ours.yaml: not a bundled example",
        "2 example paper(s) to delete, 2 paper(s) kept;"
        " papers/_tags.yaml, pages/ and mkdocs.yml stay as they are",
        f"Deleted 2 example paper(s) and papers/{EXAMPLES_FILE}",
    ]
    assert sorted(p.name for p in papers.iterdir()) == ["_tags.yaml", "c.yaml", "ours.yaml"]
    assert (papers / "_tags.yaml").read_text(encoding="utf-8") == MINIMAL_TAGS
    assert (root / "pages" / "about.md").read_bytes() == about
    assert (root / "mkdocs.yml").read_bytes() == settings


def test_remove_examples_asks_first_and_deletes_nothing_on_no(make_archive) -> None:
    root = _archive_with_examples(make_archive)
    before = _files(root)
    result = _invoke("remove-examples", root=root, stdin="n\n")
    assert result.exit_code == 1
    assert f"Delete the examples and papers/{EXAMPLES_FILE}? [y/N]: n\nAborted!" in result.output
    assert _files(root) == before
    answered_yes = _invoke("remove-examples", root=root, stdin="y\n")
    assert answered_yes.exit_code == 0, answered_yes.output
    assert _files(root / "papers") == {"_tags.yaml"}


def test_remove_examples_dry_run_deletes_nothing(make_archive) -> None:
    root = _archive_with_examples(make_archive)
    before = _files(root)
    result = _invoke("remove-examples", "--dry-run", root=root)
    assert result.exit_code == 0
    assert result.output.endswith("Nothing deleted (--dry-run)\n")
    assert _files(root) == before


def test_remove_examples_without_a_list_of_examples_is_an_error(make_archive) -> None:
    project = make_archive({"ours.yaml": VALID_PAPER})
    result = _invoke("remove-examples", "--yes", root=project.root)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no {EXAMPLES_FILE} in papers/: there are no bundled examples to remove"
        " (they were removed already, or this archive never had them)\n"
    )
    assert (project.papers_dir / "ours.yaml").is_file()


def test_an_example_checked_out_with_crlf_line_ends_is_still_an_example(make_archive) -> None:
    root = _archive_with_examples(make_archive, ("a",))
    path = root / "papers" / "a.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert plan_example_removal(root / "papers") == ExampleRemoval(("a.yaml",), (), ())


def test_an_example_edited_after_the_plan_was_shown_is_kept(make_archive) -> None:
    root = _archive_with_examples(make_archive, ("a", "b"))
    papers = root / "papers"
    plan = plan_example_removal(papers)
    (papers / "b.yaml").write_text(VALID_PAPER + "notes: edited while asked\n", encoding="utf-8")
    assert remove_examples(papers, plan) == ("a.yaml",)
    assert _files(papers) == {"_tags.yaml", "b.yaml"}


@pytest.mark.bundled
def test_the_bundled_list_of_examples_names_exactly_the_bundled_papers() -> None:
    """Maintainers: `make examples` after adding or editing an example paper."""
    papers = REPO_ROOT / "papers"
    if not (papers / EXAMPLES_FILE).is_file():
        pytest.skip("no papers/_examples.sha256: the examples were removed")
    listed = parse_examples_list((papers / EXAMPLES_FILE).read_text(encoding="utf-8"))
    plan = plan_example_removal(papers)
    assert plan.edited == (), (
        f"changed since listed as examples: {plan.edited}; maintainers of the bundled archive"
        " run `make examples`"
    )
    assert plan.own == (), (
        f"not listed as examples: {plan.own}; maintainers adding an example run"
        " `make examples`; an archive of your own runs `paper-archive remove-examples`"
        " (it keeps these) or deselects this test with -m 'not bundled'"
    )
    assert set(plan.examples) == set(listed)


# --- End to end: the two ways in ---------------------------------------------------------


@pytest.mark.slow
def test_template_path_remove_examples_add_one_paper_build_strict_and_links(
    tmp_path: Path,
) -> None:
    root = copy_project(tmp_path / "fork")  # the tests' sample archive, recorded as examples
    examples_file = root / "papers" / EXAMPLES_FILE
    examples_file.write_text(examples_list(root / "papers"), encoding="utf-8")
    examples = len(parse_examples_list(examples_file.read_text("utf-8")))
    removed = run_cli("remove-examples", "--yes", root=root)
    assert removed.returncode == 0, removed.stderr
    assert f"Deleted {examples} example paper(s)" in removed.stdout
    assert _files(root / "papers") == {"_tags.yaml"}
    empty = run_cli("-q", "build", root=root)  # -q: only problems on stderr
    assert empty.returncode == 0, empty.stdout + empty.stderr
    assert empty.stdout.startswith("Built 0 papers,") and empty.stderr == ""
    added = run_cli(*NEW_PAPER, root=root)
    assert added.returncode == 0, added.stderr
    assert "(published on the next build)" in added.stdout
    built = run_cli("-q", "build", root=root)
    assert built.returncode == 0, built.stdout + built.stderr
    assert built.stdout.startswith("Built 1 papers,")
    assert built.stderr == ""
    assert (root / "site" / "papers" / "attention-is-all-you-need" / "index.html").is_file()
    links = run_cli("links", root=root)
    assert links.returncode == 0, links.stdout + links.stderr


@pytest.fixture(scope="module")
def installed_tool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of this repository installed (with its dependencies) into a fresh venv made
    outside the repository; returns the venv's bin folder."""
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), "."],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("paper_archive-*.whl")
    environment = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(environment, with_pip=True)
    bin_dir = environment / "bin"
    subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    return bin_dir


def _run_in(folder: Path, bin_dir: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run as a curator with the venv activated (its bin folder first on PATH)."""
    environment = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    environment.pop("PYTHONPATH", None)
    return subprocess.run(
        command, cwd=folder, env=environment, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_installed_path_init_then_make_build_and_make_test(
    installed_tool: Path, tmp_path: Path
) -> None:
    target = tmp_path / "x"
    initialised = _run_in(tmp_path, installed_tool, "paper-archive", "init", str(target))
    assert initialised.returncode == 0, initialised.stderr
    assert _files(target) == {*SHARED_WITH_REPOSITORY, *ARCHIVE_ONLY}
    # The installed package's files, not the repository's, were written.
    located = _run_in(
        tmp_path, installed_tool, "python", "-c", "import generator; print(generator.__file__)"
    )
    assert not Path(located.stdout.strip()).is_relative_to(REPO_ROOT)
    empty = _run_in(target, installed_tool, "make", "build")
    assert empty.returncode == 0, empty.stdout + empty.stderr
    assert "Built 0 papers," in empty.stdout
    empty_links = _run_in(target, installed_tool, "make", "test")
    assert empty_links.returncode == 0, empty_links.stdout + empty_links.stderr
    added = _run_in(target, installed_tool, "paper-archive", *NEW_PAPER)
    assert added.returncode == 0, added.stderr
    built = _run_in(target, installed_tool, "make", "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert f"{installed_tool}/paper-archive build" in built.stdout
    assert "Built 1 papers," in built.stdout
    assert not (target / ".venv").exists()  # the paper-archive on PATH was used
    checked = _run_in(target, installed_tool, "make", "test")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "none broken" in checked.stdout
    linted = _run_in(target, installed_tool, "make", "lint")
    assert linted.returncode == 0, linted.stdout + linted.stderr
