"""Stage 2: every problem of a file, each pinned to its line, and normalised papers."""

from __future__ import annotations

import datetime
from pathlib import PurePosixPath

import pytest

from generator.load import RawDocument, parse_yaml_document
from generator.model import InboxItem, Link, Paper, Severity, Tag
from generator.validate import validate_archive, validate_paper, validate_vocabulary

TODAY = datetime.date(2026, 1, 1)
VOCABULARY = {
    "data-selection": Tag("data-selection", "Data selection", "Choosing data."),
    "llm-inference": Tag("llm-inference", "LLM inference", "Serving models."),
}
VALID = """\
title: '  A   Valid Paper '
authors:
- Ada Lovelace
- ' Alan  Turing'
date: 2024-03-15
abstract: We select data.
tags:
- data-selection
"""


def document(text: str, name: str = "paper") -> RawDocument:
    parsed = parse_yaml_document(PurePosixPath(f"papers/{name}.yaml"), text.encode("utf-8"))
    assert isinstance(parsed, RawDocument), parsed
    return parsed


def messages(text: str, name: str = "paper") -> list[str]:
    return [str(problem) for problem in validate_paper(document(text, name), VOCABULARY, TODAY)[1]]


def test_a_valid_file_becomes_a_normalised_paper() -> None:
    paper, problems = validate_paper(
        document(VALID + "arxiv: '2403.10717v2'\ndoi: https://doi.org/10.1000/ABC\n"),
        VOCABULARY,
        TODAY,
    )
    assert problems == []
    assert paper == Paper(
        id="paper",
        title="A Valid Paper",
        authors=("Ada Lovelace", "Alan Turing"),
        date=datetime.date(2024, 3, 15),
        abstract="We select data.",
        tags=("data-selection",),
        arxiv="2403.10717",
        doi="10.1000/ABC",
    )
    assert paper.source.line_of("authors[1]") == 4


def test_links_are_kept_in_a_fixed_order() -> None:
    text = VALID + "links:\n  code: https://github.com/x/y\n  pdf: http://x.org/p.pdf\n"
    paper, _ = validate_paper(document(text), VOCABULARY, TODAY)
    assert isinstance(paper, Paper)
    assert paper.links == (
        Link("pdf", "http://x.org/p.pdf"),
        Link("code", "https://github.com/x/y"),
    )


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        (
            "title: '  A   Valid Paper '\n",
            "",
            "papers/paper.yaml:1: missing required field 'title'",
        ),
        (
            "title: '  A   Valid Paper '",
            "title: ''",
            "papers/paper.yaml:1: 'title' must not be empty",
        ),
        (
            "authors:\n- Ada Lovelace\n- ' Alan  Turing'",
            "authors: Ada Lovelace",
            "papers/paper.yaml:2: 'authors' must be a list of names, got 'Ada Lovelace' (text); write one name per line, each starting with '- '",
        ),
        ("- ' Alan  Turing'", "- '   '", "papers/paper.yaml:4: author 2 is blank"),
        (
            "date: 2024-03-15",
            "date: 2024-02-30",
            "papers/paper.yaml:5: 'date' 2024-02-30 is not a real date",
        ),
        (
            "date: 2024-03-15",
            "date: March 2024",
            "papers/paper.yaml:5: 'date' must be a date written YYYY-MM-DD, got 'March 2024' (text)",
        ),
        (
            "date: 2024-03-15",
            "date: 1850-01-01",
            "papers/paper.yaml:5: 'date' 1850-01-01 is before 1900; check the year",
        ),
        (
            "date: 2024-03-15",
            "date: 2031-01-01",
            "papers/paper.yaml:5: 'date' 2031-01-01 is in the future",
        ),
        (
            "tags:\n- data-selection",
            "tags: data-selection",
            "papers/paper.yaml:7: 'tags' must be a list of tag slugs, got 'data-selection' (text)",
        ),
        (
            "- data-selection",
            "- data-selecton",
            "papers/paper.yaml:8: unknown tag 'data-selecton'; did you mean 'data-selection'?; tags are defined in papers/_tags.yaml",
        ),
        (
            "tags:\n- data-selection",
            "tags: []",
            "papers/paper.yaml:1: missing required field 'tags'",
        ),
    ],
)
def test_field_errors_name_file_line_and_what_to_do(replace: str, by: str, expected: str) -> None:
    assert replace in VALID
    assert expected in messages(VALID.replace(replace, by))


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "upvotes: many\n",
            "papers/paper.yaml:9: 'upvotes' must be a whole number ≥ 0, got 'many' (text)",
        ),
        (
            "upvotes: -3\n",
            "papers/paper.yaml:9: 'upvotes' must be a whole number ≥ 0, got -3 (a number)",
        ),
        (
            "arxiv: 2403.10710\n",
            "papers/paper.yaml:9: 'arxiv' must be quoted text, e.g. arxiv: '2403.1071' (a bare number can lose trailing zeros)",
        ),
        (
            "arxiv: 'abc'\n",
            "papers/paper.yaml:9: 'arxiv' 'abc' is not an arXiv id like '2403.10717' or 'hep-th/9901001'",
        ),
        (
            "doi: 'not a doi'\n",
            "papers/paper.yaml:9: 'doi' 'not a doi' is not a DOI like '10.1145/3580305'",
        ),
        (
            "links:\n  code: javascript:alert(1)\n",
            "papers/paper.yaml:10: link 'code' must be an http(s) URL, got 'javascript:alert(1)' (text)",
        ),
        (
            "links:\n  pdf: data:text/html,hi\n",
            "papers/paper.yaml:10: link 'pdf' must be an http(s) URL, got 'data:text/html,hi' (text)",
        ),
        (
            "links:\n  pdf: file:///etc/passwd\n",
            "papers/paper.yaml:10: link 'pdf' must be an http(s) URL, got 'file:///etc/passwd' (text)",
        ),
        (
            "links:\n  cod: https://x.org\n",
            "papers/paper.yaml:10: unknown link kind 'cod'; did you mean 'code'?; use one of pdf, code, project, data, video, slides, blog, demo, model",
        ),
        (
            "status: draft\n",
            "papers/paper.yaml:9: 'status' must be 'published' or 'inbox', got 'draft' (text)",
        ),
        (
            "arxiv_category: cs\n",
            "papers/paper.yaml:9: 'arxiv_category' must be an arXiv category like 'cs.LG' or 'hep-th', got 'cs' (text)",
        ),
        (
            "doi: 10/fvn 296\n",
            "papers/paper.yaml:9: 'doi' '10/fvn 296' is not a DOI like '10.1145/3580305'",
        ),
        (
            "et_al: yes please\n",
            "papers/paper.yaml:9: 'et_al' must be true or false, got 'yes please' (text)",
        ),
        (
            "venu: ICLR\n",
            "papers/paper.yaml:9: warning: unknown key 'venu' is ignored; did you mean 'venue'?",
        ),
    ],
)
def test_optional_field_errors(extra: str, expected: str) -> None:
    assert expected in messages(VALID + extra)


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = "title: T\nauthors: x\ndate: never\ntags: [nope]\nupvotes: many\n"
    assert messages(text) == [
        "papers/paper.yaml:2: 'authors' must be a list of names, got 'x' (text); write one name per line, each starting with '- '",
        "papers/paper.yaml:3: 'date' must be a date written YYYY-MM-DD, got 'never' (text)",
        "papers/paper.yaml:1: warning: no abstract yet; the page will say so",
        "papers/paper.yaml:4: unknown tag 'nope'; tags are defined in papers/_tags.yaml",
        "papers/paper.yaml:5: 'upvotes' must be a whole number ≥ 0, got 'many' (text)",
    ]


@pytest.mark.parametrize(
    ("data", "kind"),
    [("- a\n- b\n", "a list"), ("just text\n", "'just text' (text)"), ("42\n", "42 (a number)")],
)
def test_the_top_level_must_be_a_mapping(data: str, kind: str) -> None:
    assert messages(data) == [
        f"papers/paper.yaml:1: must be a mapping of fields such as 'title:', got {kind}"
    ]


def test_file_names_must_be_slugs() -> None:
    assert (
        "papers/My Paper.yaml:1: file name must be a slug (lower-case letters, digits, hyphens); rename it to my-paper.yaml"
        in messages(VALID, "My Paper")
    )


def test_one_name_twice_on_a_byline_is_two_people_not_a_problem() -> None:
    paper, problems = validate_paper(
        document(VALID.replace("- ' Alan  Turing'", "- Ada Lovelace")), VOCABULARY, TODAY
    )
    assert problems == []
    assert isinstance(paper, Paper) and paper.authors == ("Ada Lovelace", "Ada Lovelace")


@pytest.mark.parametrize("category", ["cs.LG", "math.OC", "q-bio.NC", "hep-th", "cond-mat"])
def test_arxiv_categories_with_and_without_subject_class(category: str) -> None:
    paper, problems = validate_paper(
        document(VALID + f"arxiv_category: {category}\n"), VOCABULARY, TODAY
    )
    assert problems == [] and isinstance(paper, Paper) and paper.arxiv_category == category


def test_short_dois_and_the_et_al_flag_are_kept() -> None:
    paper, problems = validate_paper(
        document(VALID + "doi: https://doi.org/10/fvn296\net_al: true\n"), VOCABULARY, TODAY
    )
    assert problems == []
    assert isinstance(paper, Paper) and (paper.doi, paper.et_al) == ("10/fvn296", True)


def test_a_latex_command_that_lost_its_backslash_in_math_is_a_warning() -> None:
    text = (
        VALID.replace(
            "abstract: We select data.",
            "abstract: >-\n  We tune $textbf{specialist}$ and\n  $\\textbf{generalist}$ models.",
        )
        + "notes: See $x = frac{1}{2}$ and the textbf{prose} outside math.\n"
    )
    paper, problems = validate_paper(document(text), VOCABULARY, TODAY)
    assert isinstance(paper, Paper)  # a warning: `check --strict` fails, a local build not
    assert [str(problem) for problem in problems] == [
        "papers/paper.yaml:6: warning: 'abstract' has 'textbf{' inside $...$: the LaTeX command"
        " lost its backslash; write \\textbf{",
        "papers/paper.yaml:11: warning: 'notes' has 'frac{' inside $...$: the LaTeX command lost"
        " its backslash; write \\frac{",
    ]


def test_missing_abstract_is_a_warning_only() -> None:
    paper, problems = validate_paper(
        document(VALID.replace("abstract: We select data.\n", "")), VOCABULARY, TODAY
    )
    assert isinstance(paper, Paper) and paper.abstract is None
    assert [(p.severity, p.message) for p in problems] == [
        (Severity.WARNING, "no abstract yet; the page will say so")
    ]


def test_inbox_files_may_lack_authors_tags_and_date_but_not_be_wrong() -> None:
    item, problems = validate_paper(
        document("title: Later\nstatus: inbox\ntags: []\nabstract: x\n"), VOCABULARY, TODAY
    )
    assert item == InboxItem(
        "paper", "Later", ("authors", "date", "tags"), PurePosixPath("papers/paper.yaml")
    )
    assert problems == []
    _, problems = validate_paper(
        document("title: Later\nstatus: inbox\nupvotes: -1\n"), VOCABULARY, TODAY
    )
    assert any("'upvotes' must be a whole number" in p.message for p in problems)


def test_archive_level_duplicates_name_both_files() -> None:
    first, _ = validate_paper(document(VALID + "arxiv: '2403.10717'\n", "a"), VOCABULARY, TODAY)
    second, _ = validate_paper(document(VALID + "arxiv: '2403.10717v3'\n", "b"), VOCABULARY, TODAY)
    assert [str(p) for p in validate_archive([second, first])] == [  # type: ignore[list-item]
        "papers/b.yaml:9: 'arxiv' 2403.10717 is already in papers/a.yaml; keep one of the two files"
    ]


def test_archive_duplicates_are_found_when_papers_come_as_a_generator() -> None:
    """`build.load_archive` passes a generator: the DOI pass must not find it used up."""
    first, _ = validate_paper(document(VALID + "doi: 10.1000/ABC\n", "a"), VOCABULARY, TODAY)
    second, _ = validate_paper(
        document(VALID + "doi: https://doi.org/10.1000/abc\n", "b"), VOCABULARY, TODAY
    )
    assert [str(p) for p in validate_archive(p for p in (first, second))] == [  # type: ignore[misc]
        "papers/b.yaml:9: 'doi' 10.1000/abc is already in papers/a.yaml; keep one of the two files"
    ]


def test_text_direction_controls_are_removed_with_a_warning() -> None:
    text = VALID.replace("'  A   Valid Paper '", '"A \\u202eValid\\u202c Paper"').replace(
        "- Ada Lovelace", '- "Ada \\u2066Lovelace\\u2069"'
    )
    paper, problems = validate_paper(document(text), VOCABULARY, TODAY)
    assert isinstance(paper, Paper)
    assert (paper.title, paper.authors[0]) == ("A Valid Paper", "Ada Lovelace")
    assert [str(p) for p in problems] == [
        "papers/paper.yaml:1: warning: 'title' holds invisible text-direction characters (U+202C, U+202E); they are removed",
        "papers/paper.yaml:3: warning: author 1 holds invisible text-direction characters (U+2066, U+2069); they are removed",
    ]


def test_slugs_with_a_trailing_newline_are_refused() -> None:
    assert (
        "papers/paper\n.yaml:1: file name must be a slug (lower-case letters, digits, hyphens); rename it to paper.yaml"
        in messages(VALID, "paper\n")
    )
    parsed = RawDocument(
        PurePosixPath("papers/_tags.yaml"),
        {"llm\n": {"title": "T", "description": "D."}, "!!!": {"title": "T", "description": "D."}},
        {"llm\n": 1, "!!!": 3},
    )
    tags, problems = validate_vocabulary(parsed)
    assert tags == ()
    assert [str(p) for p in problems] == [
        "papers/_tags.yaml:1: tag 'llm\\n' must be a slug (lower-case letters, digits, hyphens); try 'llm'",
        "papers/_tags.yaml:3: tag '!!!' must be a slug (lower-case letters, digits, hyphens)",
    ]


def test_vocabulary_entries_need_title_and_description() -> None:
    parsed = parse_yaml_document(
        PurePosixPath("papers/_tags.yaml"),
        b"good:\n  title: Good\n  description: Fine.\nBad Slug:\n  title: x\n  description: y\nempty:\n  title: E\n  colour: red\n",
    )
    assert isinstance(parsed, RawDocument)
    tags, problems = validate_vocabulary(parsed)
    assert tags == (Tag("good", "Good", "Fine."),)
    assert [str(p) for p in problems] == [
        "papers/_tags.yaml:4: tag 'Bad Slug' must be a slug (lower-case letters, digits, hyphens); try 'bad-slug'",
        "papers/_tags.yaml:7: tag 'empty' needs a 'description' (one sentence)",
        "papers/_tags.yaml:9: tag 'empty': unknown key 'colour'",
    ]


def test_orcid_ids_are_kept_per_author_without_their_url_prefix() -> None:
    paper, problems = validate_paper(
        document(
            VALID + "orcid:\n  Alan Turing: https://orcid.org/0000-0002-1694-233x\n"
            "  Ada Lovelace: 0000-0002-1825-0097\n"
        ),
        VOCABULARY,
        TODAY,
    )
    assert problems == []
    assert isinstance(paper, Paper)
    assert paper.orcid == (
        ("Alan Turing", "0000-0002-1694-233X"),
        ("Ada Lovelace", "0000-0002-1825-0097"),
    )
    assert (paper.orcid_of("Ada Lovelace"), paper.orcid_of("Charles Babbage")) == (
        "0000-0002-1825-0097",
        None,
    )


def test_orcid_problems_name_the_author_line_and_fix() -> None:
    assert messages(
        VALID + "orcid:\n"
        "  Ada Lovelase: 0000-0002-1825-0097\n"
        "  Alan Turing: 0000-0002-1825-0098\n"
        "  Charles Babbage: 0000-0002-1825-0097\n"
    ) == [
        "papers/paper.yaml:10: 'orcid': 'Ada Lovelase' is not one of the 'authors'; did you"
        " mean 'Ada Lovelace'?; write the name as 'authors' does",
        "papers/paper.yaml:11: 'orcid' of 'Alan Turing' must be an ORCID iD like"
        " 0000-0002-1825-0097 (its last character a check digit), got '0000-0002-1825-0098'"
        " (text); copy it from orcid.org",
        "papers/paper.yaml:12: 'orcid': 'Charles Babbage' is not one of the 'authors'; write the"
        " name as 'authors' does",
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("1234", "1234 (a number)"), ("'0000-0002-1825'", "'0000-0002-1825' (text)")],
)
def test_an_orcid_that_is_no_id_is_an_error(value: str, shown: str) -> None:
    assert messages(VALID + f"orcid:\n  Ada Lovelace: {value}\n") == [
        "papers/paper.yaml:10: 'orcid' of 'Ada Lovelace' must be an ORCID iD like"
        f" 0000-0002-1825-0097 (its last character a check digit), got {shown}; copy it from"
        " orcid.org"
    ]


def test_one_orcid_for_two_authors_of_a_paper_is_an_error() -> None:
    assert messages(
        VALID + "orcid:\n  Ada Lovelace: 0000-0002-1825-0097\n  Alan Turing: 0000-0002-1825-0097\n"
    ) == [
        "papers/paper.yaml:11: 'orcid' of 'Alan Turing' repeats the iD of 'Ada Lovelace'; one iD"
        " is one person: keep it for the right one"
    ]


def test_orcid_must_be_a_mapping() -> None:
    assert messages(VALID + "orcid: 0000-0002-1825-0097\n") == [
        "papers/paper.yaml:9: 'orcid' must be a mapping of author name to ORCID iD, got"
        " '0000-0002-1825-0097' (text)"
    ]
