"""Curator commands end to end through click: add, import, inbox, new, tags suggest, stats."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.commands import main
from generator.pipeline import Project, load_archive
from tests.conftest import VALID_PAPER

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TWO_PAPERS = FIXTURES / "arxiv" / "two_papers_2026.xml"
BACKDOOR = "papers/backdoor-secrets-unveiled-identifying-backdoor-data-with.yaml"


def invoke(project: Project, *arguments: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--root", str(project.root), *arguments], input=input)


def paper_files(project: Project) -> list[str]:
    return sorted(path.name for path in project.papers_dir.glob("[!_]*.yaml"))


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer arXiv API requests from the two-paper fixture; return the URLs asked for."""
    asked: list[str] = []

    def open_url(url: str, timeout: float) -> tuple[int, bytes]:
        asked.append(url)
        return 200, TWO_PAPERS.read_bytes()

    monkeypatch.setattr("generator.importers.arxiv.open_url", open_url)
    return asked


def test_add_ids_and_urls_in_one_request_then_again_without_any(
    make_archive: Callable[..., Project], offline: list[str]
) -> None:
    project = make_archive({})
    result = invoke(
        project,
        "add",
        "https://arxiv.org/abs/2403.10717v2",
        "hep-th/9901001",
        "--added",
        "2026-11-27",
    )
    assert result.exit_code == 0, result.output
    assert offline == [
        "https://export.arxiv.org/api/query?id_list=2403.10717,hep-th/9901001&max_results=2"
    ]
    assert result.output.splitlines() == [
        f"added {BACKDOOR} (arXiv 2403.10717)",
        "added papers/an-old-style-identifier.yaml (arXiv hep-th/9901001)",
        "arXiv: 2 entries seen, 2 added to the inbox, 0 duplicates, 0 skipped",
    ]
    text = (project.root / BACKDOOR).read_text(encoding="utf-8")
    assert "tags: []\narxiv: '2403.10717'\narxiv_category: cs.LG\n" in text
    assert text.endswith(
        "links:\n  pdf: https://arxiv.org/pdf/2403.10717v2\nadded: 2026-11-27\nstatus: inbox\n"
    )
    again = invoke(project, "add", "2403.10717", "arXiv:hep-th/9901001")
    assert again.exit_code == 0 and len(offline) == 1  # nothing asked: both already there
    assert (
        again.output.splitlines()[-1]
        == "arXiv: 0 entries seen, 0 added to the inbox, 2 duplicates, 0 skipped"
    )
    assert f"duplicate arXiv 2403.10717: same arXiv id 2403.10717 as {BACKDOOR}" in again.output


def test_add_from_a_recorded_real_feed(
    make_archive: Callable[..., Project], shared_dir: Path
) -> None:
    project = make_archive({})
    feed = shared_dir / "real-world" / "arxiv_atom" / "arxivpy_search_au_del_maestro_2016.xml"
    result = invoke(project, "add", "--from-file", str(feed))
    assert result.exit_code == 0, result.output
    assert (
        result.output.splitlines()[-1]
        == f"{feed.name}: 10 entries seen, 10 added to the inbox, 0 duplicates, 0 skipped"
    )
    assert len(paper_files(project)) == 10
    load_archive(project)  # every file validates
    again = invoke(project, "add", "--from-file", str(feed))
    assert (
        again.output.splitlines()[-1]
        == f"{feed.name}: 10 entries seen, 0 added to the inbox, 10 duplicates, 0 skipped"
    )


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        (
            "arxivpy_id_abc_error400_2026.json",
            [
                "skipped arxivpy_id_abc_error400_2026.json entry 1:"
                " arXiv API error: incorrect id format for abc",
                "arxivpy_id_abc_error400_2026.json: 1 entry seen, 0 added to the inbox,"
                " 0 duplicates, 1 skipped",
                "Error: 1 requested paper not found on arXiv (see 'skipped' above)",
            ],
        ),
        (
            "arxivpy_id_0000.0000_empty_2026.json",
            [
                "arxivpy_id_0000.0000_empty_2026.json: 0 entries seen, 0 added to the inbox,"
                " 0 duplicates, 0 skipped",
                "Error: not found on arXiv: the feed holds no entries",
            ],
        ),
    ],
)
def test_error_and_empty_feeds_add_nothing_and_exit_1(
    make_archive: Callable[..., Project], shared_dir: Path, name: str, lines: list[str]
) -> None:
    project = make_archive({})
    result = invoke(
        project, "add", "--from-file", str(shared_dir / "real-world" / "arxiv_atom" / name)
    )
    assert (result.exit_code, result.output.splitlines()) == (1, lines)
    assert paper_files(project) == []


def test_add_from_file_with_ids_takes_only_those_and_reports_the_missing(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({})
    result = invoke(project, "add", "--from-file", str(TWO_PAPERS), "hep-th/9901001", "9999.99999")
    assert result.exit_code == 1
    assert "skipped 9999.99999: not found on arXiv" in result.output
    assert paper_files(project) == ["an-old-style-identifier.yaml"]


def test_add_refuses_a_bad_reference_before_asking_arxiv(
    make_archive: Callable[..., Project], offline: list[str]
) -> None:
    project = make_archive({})
    result = invoke(project, "add", "2403.10717", "abc")
    assert (result.exit_code, offline) == (1, [])
    assert (
        result.output
        == "Error: 'abc' is not an arXiv id or URL; expected e.g. 2403.10717, hep-th/9901001 or https://arxiv.org/abs/2403.10717\n"
    )


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (
            TimeoutError("timed out"),
            "Error: arXiv did not answer within 30 s; nothing was written, try again later\n",
        ),
        (
            OSError(101, "Network is unreachable"),
            "Error: could not reach export.arxiv.org ([Errno 101] Network is unreachable);"
            " nothing was written\n",
        ),
    ],
)
def test_network_failure_exits_1_and_writes_nothing(
    make_archive: Callable[..., Project],
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
    message: str,
) -> None:
    def open_url(url: str, timeout: float) -> tuple[int, bytes]:
        raise failure

    monkeypatch.setattr("generator.importers.arxiv.open_url", open_url)
    project = make_archive({})
    result = invoke(project, "add", "2403.10717")
    assert (result.exit_code, result.output) == (1, message)
    assert paper_files(project) == []


def test_dry_run_writes_nothing(make_archive: Callable[..., Project]) -> None:
    project = make_archive({})
    result = invoke(project, "add", "--from-file", str(TWO_PAPERS), "--dry-run")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == f"would add {BACKDOOR} (arXiv 2403.10717)"
    assert result.output.splitlines()[-1].endswith(
        "2 would be added to the inbox, 0 duplicates, 0 skipped; dry run, nothing written"
    )
    assert paper_files(project) == []


REAL_BIBTEX = {
    # file: (seen, added, duplicates within the file, possible duplicates, skipped)
    "iclr2024_update-frequency-in-mbrl.bib": (126, 125, 0, 0, 1),
    # Sparse grids: Zenger 1991 and Bungartz & Griebel 2004 are two works.
    "iclr2023_autoregressive-neural-pde-solver_zotero.bib": (58, 51, 0, 1, 7),  # + 1 blog post
    # Bellman's Dynamic Programming of 1957 and a 1966 entry of the same title.
    "d2l-en_d2l.bib": (488, 476, 11, 1, 1),
    # Reprints decades later (Kullback 1959/1997, Moore 1965/1998) are kept beside the original;
    # 4 patents and a web page are not papers.
    "biblatex-examples.bib": (92, 72, 4, 2, 16),
}


@pytest.mark.parametrize("name", sorted(REAL_BIBTEX))
def test_import_real_bibtex_validates_and_a_second_run_adds_nothing(
    make_archive: Callable[..., Project], shared_dir: Path, name: str
) -> None:
    seen, added, duplicates, possible, skipped = REAL_BIBTEX[name]
    project = make_archive({})
    bib = str(shared_dir / "real-world" / "bibtex" / name)
    result = invoke(project, "import", "bibtex", bib, "--added", "2026-11-27")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    possibly = f" {possible} possible duplicate{'s' if possible != 1 else ''}," if possible else ""
    assert (
        lines[-1] == f"{name}: {seen} entries seen, {added} added to the inbox,"
        f" {duplicates} duplicate{'s' if duplicates != 1 else ''},{possibly} {skipped} skipped"
    )
    assert sum(line.startswith("skipped ") for line in lines) == skipped
    assert len(paper_files(project)) == added
    archive, _ = load_archive(project)
    assert (len(archive.papers), len(archive.inbox)) == (0, added)
    again = invoke(project, "import", "bibtex", bib)
    assert (
        again.output.splitlines()[-1] == f"{name}: {seen} entries seen, 0 added to the inbox,"
        f" {added + duplicates} duplicates, {skipped} skipped"
    )
    assert len(paper_files(project)) == added


FIDELITY_BIB = r"""
@article{kadavath2022, title = {Language Models (Mostly) Know What They Know},
  author = {Kadavath, Saurav and Conerly, Tom and et al.}, year = 2022, doi = {10/fvn296},
  abstract = {Worth \$40,000 and $O(\sqrt{n})$ samples.},
  note = {Official Code\\ \href{https://x.org}{x}}}
@article{zhao2021, title = {Same Names}, author = {Li, X. and Omar, B. and Li, X.}, year = 2021}
@online{blog, title = {A Blog Post}, author = {Lovelace, Ada}, year = 2020}
"""


def test_import_bibtex_writes_what_the_site_shows_right(
    make_archive: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_archive({})
    bib = tmp_path / "fidelity.bib"
    bib.write_text(FIDELITY_BIB, encoding="utf-8")
    result = invoke(project, "import", "bibtex", str(bib), "--added", "2026-11-27")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "fidelity.bib: 3 entries seen, 2 added to the inbox, 0 duplicates, 1 skipped"
    )
    assert "  note: 'X. Li' appears 2 times in the byline; all kept" in result.output
    known = (project.papers_dir / "language-models-mostly-know-what-they-know.yaml").read_text(
        encoding="utf-8"
    )
    assert "- Saurav Kadavath\n- Tom Conerly\net_al: true\n" in known
    assert "doi: 10/fvn296\n" in known
    assert r"Worth \$40,000 and $O(\sqrt{n})$ samples." in known
    names = (project.papers_dir / "same-names.yaml").read_text(encoding="utf-8")
    assert "- X. Li\n- B. Omar\n- X. Li\n" in names
    published = known.replace("tags: []", "tags:\n- data-selection").replace("status: inbox\n", "")
    (project.papers_dir / "language-models-mostly-know-what-they-know.yaml").write_text(
        published, encoding="utf-8"
    )
    (project.papers_dir / "same-names.yaml").unlink()
    generated = invoke(project, "generate")
    assert generated.exit_code == 0, generated.output
    page = (
        project.docs_dir / "papers" / "language-models-mostly-know-what-they-know.md"
    ).read_text(encoding="utf-8")
    assert "Tom Conerly</a> et al.</p>" in page
    assert 'href="https://doi.org/10/fvn296"' in page
    assert "<p>Worth $40,000 and <math " in page and "<msqrt>" in page
    assert "author = {Saurav Kadavath and Tom Conerly and others}" in page


def test_import_bibtex_summary_names_skips_and_year_only_dates(
    make_archive: Callable[..., Project], shared_dir: Path
) -> None:
    project = make_archive({})
    result = invoke(
        project,
        "import",
        "bibtex",
        str(shared_dir / "real-world" / "bibtex" / "iclr2024_update-frequency-in-mbrl.bib"),
    )
    lines = result.output.splitlines()
    assert (
        "skipped iclr2024_update-frequency-in-mbrl.bib:1046 @misc{Towers2023}: no year or date"
        in lines
    )
    index = lines.index(
        "added papers/openai-gym.yaml"
        " (iclr2024_update-frequency-in-mbrl.bib:63 @misc{Brockman2016})"
    )
    assert lines[index + 1] == "  note: date from year only (2016-01-01)"
    gym = (project.papers_dir / "openai-gym.yaml").read_text(encoding="utf-8")
    assert "date: 2016-01-01\n" in gym and "arxiv: '1606.01540'\n" in gym


def test_import_bibtex_leaves_out_dates_before_1900_with_a_note(
    make_archive: Callable[..., Project], shared_dir: Path
) -> None:
    project = make_archive({})
    result = invoke(
        project, "import", "bibtex", str(shared_dir / "real-world" / "bibtex" / "d2l-en_d2l.bib")
    )
    assert result.output.count("note: left out 'date': 'date' ") == 4
    cajal = project.papers_dir / "les-nouvelles-idees-sur-la-structure-du-systeme-nerveux-chez.yaml"
    text = cajal.read_text(encoding="utf-8")
    assert "date:" not in text and "- Santiago Ramón y Cajal\n" in text


def test_import_unreadable_files_exit_1(make_archive: Callable[..., Project]) -> None:
    project = make_archive({})
    bib = invoke(project, "import", "bibtex", str(FIXTURES / "bibtex" / "not_bibtex.bib"))
    assert (bib.exit_code, bib.output) == (
        1,
        "Error: not_bibtex.bib: no BibTeX entries found (expected @article{key, ...})\n",
    )
    hf = invoke(project, "import", "hf", str(FIXTURES / "hf" / "number.json"))
    assert hf.exit_code == 1 and "expected a Hugging Face papers API response" in hf.output


def test_import_hf_json(make_archive: Callable[..., Project]) -> None:
    project = make_archive({})
    result = invoke(project, "import", "hf", str(FIXTURES / "hf" / "daily_papers.json"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        "skipped daily_papers.json item 3 (2501.00001): no title",
        "daily_papers.json: 3 entries seen, 2 added to the inbox, 0 duplicates, 1 skipped",
    ]
    text = (
        project.papers_dir / "treesynth-synthesizing-diverse-data-from-scratch-via-tree.yaml"
    ).read_text()
    assert (
        "links:\n  code: https://github.com/cpa2001/TreeSynth\n  project: https://example.org/treesynth\n"
        in text
    )
    assert "organization: The University of Hong Kong\nupvotes: 12\n" in text
    paper = invoke(project, "import", "hf", str(FIXTURES / "hf" / "paper.json"))
    assert (
        paper.output.splitlines()[-1]
        == "paper.json: 1 entry seen, 1 added to the inbox, 0 duplicates, 0 skipped"
    )
    load_archive(project)


INBOX = "title: Half Done\nauthors:\n- Ada Lovelace\nabstract: Something.\nstatus: inbox\n"


def test_inbox_lists_what_each_paper_lacks(make_archive: Callable[..., Project]) -> None:
    project = make_archive(
        {
            "good.yaml": VALID_PAPER,
            "half-done.yaml": INBOX,
            "bare.yaml": "title: Bare\nstatus: inbox\n",
            "broken.yaml": "title: Broken\nstatus: inbox\ndate: soon\n",
        }
    )
    result = invoke(project, "inbox")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "papers/bare.yaml  Bare",
        "    lacks: authors, date, abstract, tags",
        "papers/broken.yaml  Broken",
        "    lacks: authors, abstract, tags",
        "    papers/broken.yaml:3: 'date' must be a date written YYYY-MM-DD, got 'soon' (text)",
        "papers/half-done.yaml  Half Done",
        "    lacks: date, tags",
        "3 paper(s) in the inbox",
    ]


def test_new_from_flags_is_published_when_complete(make_archive: Callable[..., Project]) -> None:
    project = make_archive({})
    result = invoke(
        project,
        "new",
        "--title",
        "A  Fresh Idea",
        "--author",
        "Ada Lovelace",
        "--date",
        "2024-05-01",
        "--tag",
        "data-selection",
        "--abstract",
        "We select data.",
        "--arxiv",
        "2405.00001v2",
        "--no-input",
    )
    assert (result.exit_code, result.output) == (
        0,
        "Created papers/a-fresh-idea.yaml (published on the next build)\n",
    )
    archive, _ = load_archive(project)
    (paper,) = archive.papers
    assert (paper.title, paper.authors, paper.tags, paper.arxiv) == (
        "A Fresh Idea",
        ("Ada Lovelace",),
        ("data-selection",),
        "2405.00001",
    )


def test_new_from_prompts_goes_to_the_inbox_when_untagged(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({})
    result = invoke(
        project, "new", input="Prompted Paper\nAda Lovelace, Alan Turing\n2024-05-01\n\nIdeas.\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Created papers/prompted-paper.yaml (in the inbox: lacks tags)\n")
    text = (project.papers_dir / "prompted-paper.yaml").read_text()
    assert (
        "authors:\n- Ada Lovelace\n- Alan Turing\ndate: 2024-05-01\n"
        "abstract: >-\n  Ideas.\ntags: []\n"
        in text
        and "status: inbox" in text
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--title", "A Valid Paper"],
            "Error: already in the archive: papers/good.yaml (same title); nothing written",
        ),
        (
            ["--title", "New", "--tag", "data-selecton"],
            "Error: unknown tag 'data-selecton'; did you mean 'data-selection'?;"
            " tags are defined in papers/_tags.yaml; nothing written",
        ),
        (
            ["--title", "New", "--date", "2024-02-30"],
            "Error: Invalid value for --date: '2024-02-30' is not a date written YYYY-MM-DD",
        ),
        ([], "Error: --title is required with --no-input"),
    ],
)
def test_new_refuses_duplicates_and_invalid_values(
    make_archive: Callable[..., Project], arguments: list[str], message: str
) -> None:
    project = make_archive({"good.yaml": VALID_PAPER})
    result = invoke(project, "new", "--no-input", *arguments)
    assert result.exit_code != 0
    assert result.output.splitlines()[-1] == message
    assert paper_files(project) == ["good.yaml"]


UNTAGGED = (
    "title: Data Selection for Faster Inference\nabstract: We prune data.\n"
    "tags: []  # to do\nstatus: inbox\n"
)
NO_TAGS_KEY = "title: Serving Models\r\nabstract: 'Inference, served: fast.'\r\nstatus: inbox\r\n"
ODD_TAGS = "title: Data Selection Again\ntags: ~\nstatus: inbox\n"


def test_tags_suggest_prints_and_writes_only_when_asked(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive(
        {
            "good.yaml": VALID_PAPER,
            "untagged.yaml": UNTAGGED,
            "no-tags.yaml": NO_TAGS_KEY,
            "odd.yaml": ODD_TAGS,
            "nothing.yaml": "title: Unrelated\nstatus: inbox\n",
        }
    )
    before = {name: (project.papers_dir / name).read_bytes() for name in paper_files(project)}
    result = invoke(project, "tags", "suggest")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "papers/no-tags.yaml: llm-inference (inference, serving)",
        "papers/nothing.yaml: no keyword matched; tag it by hand",
        "papers/odd.yaml: data-selection (data selection)",
        "papers/untagged.yaml: data-selection (data selection); llm-inference (inference)",
        "4 untagged paper(s), 3 with suggestions; nothing written (use --write)",
    ]
    assert {
        name: (project.papers_dir / name).read_bytes() for name in paper_files(project)
    } == before
    written = invoke(project, "tags", "suggest", "--write")
    assert (
        "  not written: 'tags' has a form this tool does not edit; add data-selection by hand"
        in written.output
    )
    assert (
        written.output.splitlines()[-1]
        == "4 untagged paper(s), 3 with suggestions; wrote 2 file(s)"
    )
    assert (project.papers_dir / "untagged.yaml").read_text() == UNTAGGED.replace(
        "tags: []  # to do", "tags:\n- data-selection\n- llm-inference"
    )
    assert (project.papers_dir / "no-tags.yaml").read_bytes() == (
        NO_TAGS_KEY + "tags:\r\n- llm-inference\r\n"
    ).encode()
    assert (project.papers_dir / "odd.yaml").read_bytes() == before["odd.yaml"]


def test_stats_counts_by_tag_year_and_venue(make_archive: Callable[..., Project]) -> None:
    other = (
        VALID_PAPER.replace("A Valid Paper", "Second").replace("2024-03-15", "2023-01-02")
        + "venue: ICLR 2023\n"
    )
    third = VALID_PAPER.replace("A Valid Paper", "Third").replace(
        "- data-selection", "- llm-inference\n- data-selection"
    )
    project = make_archive(
        {"one.yaml": VALID_PAPER, "two.yaml": other, "three.yaml": third, "inbox.yaml": INBOX}
    )
    result = invoke(project, "stats")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "3 published paper(s), 1 in the inbox",
        "",
        "By tag",
        "     3  data-selection",
        "     1  llm-inference",
        "",
        "By year",
        "     2  2024",
        "     1  2023",
        "",
        "By venue",
        "     2  (no venue)",
        "     1  ICLR 2023",
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["add"],
        ["import"],
        ["import", "bibtex"],
        ["import", "hf"],
        ["inbox"],
        ["new"],
        ["tags"],
        ["tags", "suggest"],
        ["stats"],
        ["import-listing"],
    ],
)
def test_every_curator_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.split("\n\n")[1].strip()) > 20
