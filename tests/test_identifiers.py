"""Identifiers and text normalisation: one rule each, read alike by validation and importers."""

from __future__ import annotations

import datetime
from pathlib import PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.identifiers import (
    arxiv_field_id,
    arxiv_id,
    arxiv_id_in,
    arxiv_key,
    bare_doi,
    bidi_controls_in,
    clean_line,
    clean_paragraphs,
    collapse_paragraphs,
    collapse_whitespace,
    doi_key,
    is_arxiv_category,
    is_doi,
    is_slug,
    title_key,
)
from generator.importers.bibtex import parse_bibtex
from generator.importers.known import KnownPapers
from generator.load import RawDocument
from generator.model import Severity, Tag
from generator.validate import validate_paper

TODAY = datetime.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ('Z{\\"u}rich Models', "Zürich models"),
        ("ZURICH MODELS", "zurich models"),
        ("Pre-training at Scale", "Pretraining at scale."),
        ("Attention Is {All} You Need", "attention is all you need"),
        (
            "BERT: Pre-training of Deep Bidirectional Transformers",
            "BERT -- pre-training of deep bidirectional transformers",
        ),
    ],
)
def test_titles_compare_without_case_punctuation_accents_or_latex(one: str, other: str) -> None:
    assert title_key(one) == title_key(other)


def test_different_titles_stay_different() -> None:
    assert title_key("Attention Is All You Need") != title_key("Attention Is Not All You Need")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2204.07651 [cs]", "2204.07651"),
        ("arXiv:1606.01540", "1606.01540"),
        ("2108.08481 [cs, math]", "2108.08481"),
        ("math/0307200v3", "math/0307200"),
        ("HEP-TH/9901001", None),
        ("see 1606.01540", None),
    ],
)
def test_arxiv_id_reads_a_whole_value(text: str, expected: str | None) -> None:
    assert arxiv_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("arXiv preprint arXiv:1606.01540", "1606.01540"),
        ("ArXiv:1607.06450", "1607.06450"),
        ("10.48550/arXiv.2204.07651", "2204.07651"),
        ("https://arxiv.org/abs/2204.07651v2", "2204.07651"),
        ("http://arxiv.org/pdf/hep-th/9901001v1", "hep-th/9901001"),
        ("Neural Information Processing Systems", None),
    ],
)
def test_arxiv_id_in_finds_a_mention(text: str, expected: str | None) -> None:
    assert arxiv_id_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2403.10717", "2403.10717"),
        (" 2403.10717v2 ", "2403.10717"),
        ("arXiv:2403.10717", "2403.10717"),
        ("arxiv:hep-th/9901001v1", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        # A paper file holds the id itself: what an export may add around it is an error there.
        ("ARXIV:2403.10717", None),
        ("arXiv: 2403.10717", None),
        ("2403.10717 [cs.LG]", None),
        ("2403.107", None),
        ("HEP-TH/9901001", None),
        ("2403.10717v", None),
    ],
)
def test_a_paper_files_arxiv_value(text: str, expected: str | None) -> None:
    assert arxiv_field_id(text) == expected


_NEW_STYLE = st.from_regex(r"\d{4}\.\d{4,5}", fullmatch=True, alphabet="0123456789.")
_OLD_STYLE = st.builds(
    lambda archive, subject, number: f"{archive}{subject}/{number}",
    st.sampled_from(["hep-th", "math", "cond-mat", "q-alg", "cs"]),
    st.sampled_from(["", ".GT", ".AI"]),
    st.from_regex(r"[0-9]{7}", fullmatch=True),
)


@given(
    identifier=st.one_of(_NEW_STYLE, _OLD_STYLE),
    prefix=st.sampled_from(["", "arXiv:", "arxiv:"]),
    version=st.sampled_from(["", "v1", "v12"]),
)
def test_validation_and_importers_read_one_arxiv_grammar(
    identifier: str, prefix: str, version: str
) -> None:
    written = f"{prefix}{identifier}{version}"
    assert arxiv_field_id(written) == identifier
    assert arxiv_id(written) == identifier
    assert arxiv_id_in(f"arXiv:{identifier}{version}") == identifier
    assert arxiv_key(written) == arxiv_key(identifier) == identifier.lower()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1145/3580305", "10.1145/3580305"),
        ("https://doi.org/10.1145/3580305", "10.1145/3580305"),
        ("HTTP://DX.DOI.ORG/10.1145/3580305", "10.1145/3580305"),
        ("doi:10/fvn296", "10/fvn296"),
        ("  https://doi.org/10/fvn296  ", "10/fvn296"),
        ("", None),
        (None, None),
    ],
)
def test_bare_doi_drops_a_resolver_prefix(text: str | None, expected: str | None) -> None:
    assert bare_doi(text) == expected


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("10.1145/3580305", True),
        ("10.48550/arXiv.2204.07651", True),
        ("10/fvn296", True),  # a shortDOI
        ("10/fvn-296", False),
        ("10.12/x", False),  # registrant code too short
        ("11.1145/3580305", False),
        ("10.1145/", False),
    ],
)
def test_doi_grammar_includes_short_dois(text: str, valid: bool) -> None:
    assert is_doi(text) is valid


def test_dois_compare_without_prefix_or_case() -> None:
    assert doi_key("https://doi.org/10.1145/ABC") == doi_key("10.1145/abc") == "10.1145/abc"


@pytest.mark.parametrize(
    ("text", "valid"),
    [("cs.LG", True), ("math.OC", True), ("hep-th", True), ("cs", False), ("math", False)],
)
def test_arxiv_categories(text: str, valid: bool) -> None:
    assert is_arxiv_category(text) is valid


@pytest.mark.parametrize(
    ("text", "valid"),
    [("llm", True), ("in-context-learning", True), ("llm\n", False), ("A", False)],
)
def test_slugs(text: str, valid: bool) -> None:
    assert is_slug(text) is valid


def test_one_line_fields_lose_controls_and_extra_whitespace() -> None:
    assert clean_line(" Deep\tlearning\x07 \u202eat\n  scale ") == "Deep learning at scale"
    assert clean_line("Cafe\u0301") == "Café"  # NFC: one code point, as typed elsewhere


def test_markdown_fields_keep_paragraphs() -> None:
    text = "\r\n\r\nFirst  line\r\nsecond line   \r\n\r\nNext\x00 paragraph\r\n\r\n"
    assert clean_paragraphs(text) == "First  line\nsecond line\n\nNext paragraph"


def test_import_text_keeps_controls_for_validation_to_report() -> None:
    wrapped = "Attention\n  is all\u202e you\tneed"
    assert collapse_whitespace(wrapped) == "Attention is all\u202e you need"
    assert collapse_paragraphs("One\n wrapped\n\n\n  Two ") == "One wrapped\n\nTwo"
    assert bidi_controls_in(wrapped) == ["\u202e"]
    assert bidi_controls_in("plain ascii") == []


def test_an_imported_doi_is_one_the_validator_accepts_and_the_archive_matches() -> None:
    """An importer and validation read one DOI alike, so a reimport is a duplicate."""
    bib = "@article{k, title={A Title}, author={Ada Lovelace}, year={2020},"
    batch = parse_bibtex(bib + " doi={https://doi.org/10/FVN296}}", "refs.bib")
    imported = batch.candidates[0].doi
    document = RawDocument(
        PurePosixPath("papers/a-title.yaml"),
        {
            "title": "A Title",
            "authors": ["Ada Lovelace"],
            "date": "2020-01-01",
            "tags": ["llm"],
            "abstract": "x",
            "doi": imported,
        },
        {},
    )
    vocabulary = {"llm": Tag("llm", "LLMs", "Large language models.", ())}
    paper, problems = validate_paper(document, vocabulary, TODAY)
    assert not [p for p in problems if p.severity is Severity.ERROR], problems
    assert paper is not None and paper.doi == imported == "10/FVN296"
    known = KnownPapers()
    known.remember(PurePosixPath("papers/a-title.yaml"), batch.candidates[0])
    assert known.owner("doi", "doi:10/fvn296") == PurePosixPath("papers/a-title.yaml")
