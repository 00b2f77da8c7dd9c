"""Hugging Face importer: `/api/daily_papers` arrays, `/api/papers/ID` objects, copied listings."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from generator.errors import UnreadableImport
from generator.importers.hf import listing_batch, parse_hf_papers
from generator.model import Link

FIXTURES = Path(__file__).parent / "fixtures" / "import" / "hf"


BACKDOOR_TITLE = (
    "Backdoor Secrets Unveiled: Identifying Backdoor Data"
    " with Optimized Scaled Prediction Consistency"
)


def parse_fixture(name: str):  # type: ignore[no-untyped-def]
    return parse_hf_papers((FIXTURES / name).read_text(encoding="utf-8"), name)


def test_daily_papers_array_2024_format() -> None:
    batch = parse_fixture("daily_papers.json")
    assert (batch.seen, len(batch.candidates)) == (3, 2)
    paper = batch.candidates[0]
    assert (
        paper.title
        == "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss"
    )
    assert paper.abstract == (
        "Contrastive loss is a powerful approach for representation learning, where larger batch"
        " sizes enhance performance."
    )
    assert paper.authors == ("Zesen Cheng", "Hang Zhang", "Kehan Li")
    assert (paper.arxiv, paper.date, paper.upvotes) == (
        "2410.17243",
        datetime.date(2024, 10, 22),
        64,
    )
    assert (paper.links, paper.organization, paper.source) == ((), None, "arXiv 2410.17243")


def test_daily_papers_2026_fields_hidden_authors_and_top_level_upvotes() -> None:
    paper = parse_fixture("daily_papers.json").candidates[1]
    assert paper.authors == ("Sheng Wang", "Pengan Chen")  # the hidden author is left out
    assert paper.links == (
        Link("code", "https://github.com/cpa2001/TreeSynth"),
        Link("project", "https://example.org/treesynth"),
    )
    assert paper.organization == "The University of Hong Kong"
    assert paper.upvotes == 12  # newer responses carry upvotes beside `paper`
    assert (
        paper.abstract == "Model customization necessitates high-quality and diverse datasets."
        " We introduce TREESYNTH."
    )


def test_an_item_without_a_title_is_skipped_with_its_id() -> None:
    batch = parse_fixture("daily_papers.json")
    assert [(s.source, s.reason) for s in batch.skipped] == [
        ("daily_papers.json item 3 (2501.00001)", "no title")
    ]


def test_single_paper_object() -> None:
    batch = parse_fixture("paper.json")
    assert (batch.seen, len(batch.candidates), batch.skipped) == (1, 1, ())
    paper = batch.candidates[0]
    assert paper.title == (BACKDOOR_TITLE)
    assert (paper.arxiv, paper.date, len(paper.authors)) == (
        "2403.10717",
        datetime.date(2024, 3, 15),
        5,
    )
    assert paper.organization == "OPTML Group"
    assert paper.links == (Link("code", "https://github.com/OPTML-Group/BackdoorMSPC"),)


def test_latex_accents_in_api_text_are_decoded() -> None:
    text = json.dumps(
        {
            "id": "2501.00002",
            "title": r"Landauer-B\"uttiker Transport",
            "authors": [{"name": r"Paul Erd\H{o}s"}],
            "summary": r"In $\"x$ we see {\'e}t{\'e} at 50% cost.",
            "publishedAt": "2025-01-02T00:00:00.000Z",
        }
    )
    (paper,) = parse_hf_papers(text, "accents.json").candidates
    assert (paper.title, paper.authors) == ("Landauer-Büttiker Transport", ("Paul Erdős",))
    assert paper.abstract == r"In $\"x$ we see été at 50% cost."


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.json", r"truncated.json: not JSON \(Unterminated string"),
        ("number.json", "expected a Hugging Face papers API response"),
    ],
)
def test_broken_json_raises_a_typed_error(name: str, message: str) -> None:
    with pytest.raises(UnreadableImport, match=message):
        parse_fixture(name)


def test_copied_listing_text(shared_dir: Path) -> None:
    listing = shared_dir / "seed" / "hf-daily-papers-listing.txt"
    batch = listing_batch(listing.read_text(encoding="utf-8"), 2025, listing.name)
    assert (batch.seen, len(batch.candidates), batch.skipped) == (79, 79, ())
    first, treesynth = batch.candidates[:2]
    assert first.title == (BACKDOOR_TITLE)
    assert (first.date, first.authors, first.source) == (
        datetime.date(2024, 3, 15),
        (),
        f"{listing.name}:13",
    )
    assert treesynth.date is None and treesynth.remarks == ("the listing shows no date",)
    assert sum(1 for c in batch.candidates if c.date is None) == 1  # TreeSynth only
    assert sum(1 for c in batch.candidates if c.upvotes is not None) == 13
