"""arXiv importer: references, Atom feeds (2016 and 2026 formats), the polite client; offline."""

from __future__ import annotations

import datetime
import itertools
import urllib.error
from pathlib import Path

import pytest

from generator.errors import ArxivUnreachable, NotAnArxivId, UnreadableImport
from generator.importers.arxiv import (
    API_URL,
    ArxivClient,
    parse_arxiv_reference,
    parse_feed,
    query_url,
    read_feed_file,
    select_requested,
)
from generator.model import Link

FIXTURES = Path(__file__).parent / "fixtures" / "import" / "arxiv"
TWO_PAPERS = (FIXTURES / "two_papers_2026.xml").read_bytes()
ERROR_FEED = (FIXTURES / "error_entry.xml").read_bytes()
EMPTY_FEED = (FIXTURES / "empty.xml").read_bytes()
BACKDOOR_TITLE = (
    "Backdoor Secrets Unveiled: Identifying Backdoor Data"
    " with Optimized Scaled Prediction Consistency"
)


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("2403.10717", "2403.10717"),
        ("2403.10717v2", "2403.10717"),
        ("arXiv:2403.10717", "2403.10717"),
        ("arxiv.org/abs/2403.10717", "2403.10717"),
        ("https://arxiv.org/abs/2403.10717v1", "2403.10717"),
        ("https://arxiv.org/pdf/2403.10717v2.pdf", "2403.10717"),
        ("http://export.arxiv.org/abs/2403.10717?context=cs", "2403.10717"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/abs/hep-th/9901001v3", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("1501.00001", "1501.00001"),
        ("2501.12345", "2501.12345"),
    ],
)
def test_references_become_versionless_ids(reference: str, expected: str) -> None:
    assert parse_arxiv_reference(reference) == expected


@pytest.mark.parametrize(
    "reference", ["abc", "2403.107", "https://example.org/abs/2403.10717", "10.1145/3580305", ""]
)
def test_anything_else_is_refused_with_an_example(reference: str) -> None:
    with pytest.raises(NotAnArxivId, match=r"is not an arXiv id or URL; expected e.g. 2403.10717"):
        parse_arxiv_reference(reference)


def test_fixture_feed_gives_normalised_candidates_in_feed_order() -> None:
    batch = read_feed_file(FIXTURES / "two_papers_2026.xml")
    assert batch.seen == 2 and batch.skipped == ()
    backdoor, old_style = batch.candidates
    assert backdoor.title == (BACKDOOR_TITLE)
    assert backdoor.abstract == (
        "Modern machine learning systems demand substantial training data. We pose backdoor data"
        " identification as a hierarchical data splitting optimization problem."
    )
    assert backdoor.authors == (
        "Soumyadeep Pal",
        "Yuguang Yao",
        "Ren Wang",
        "Bingquan Shen",
        "Sijia Liu",
    )
    assert backdoor.date == datetime.date(2024, 3, 15)  # `published` (v1), not `updated`
    assert (backdoor.arxiv, backdoor.arxiv_category, backdoor.doi) == ("2403.10717", "cs.LG", None)
    assert (
        backdoor.venue
        == "The Twelfth International Conference on Learning Representations (ICLR 2024)"
    )
    assert backdoor.links == (Link("pdf", "https://arxiv.org/pdf/2403.10717v2"),)
    assert (old_style.arxiv, old_style.arxiv_category, old_style.doi) == (
        "hep-th/9901001",
        "hep-th",
        "10.1000/fixture.9901001",
    )
    assert old_style.links == (
        Link("pdf", "https://arxiv.org/pdf/hep-th/9901001v1"),
    )  # http upgraded


def test_latex_accents_in_feeds_are_decoded_outside_formulas() -> None:
    feed = TWO_PAPERS.replace(
        b"hierarchical data splitting optimization problem.",
        b"a Landauer-B\\\"uttiker {\\'e}t\\'e of $\\\"x$ at 50% \\v{s}.",
    ).replace(b"Ren Wang", b"Paul Erd\\H{o}s")
    (paper, _) = parse_feed(feed, "accents.xml").candidates
    assert paper.abstract is not None and paper.abstract.endswith(
        'a Landauer-Büttiker été of $\\"x$ at 50% š.'
    )
    assert paper.authors[2] == "Paul Erdős"


def test_real_2016_id_list_feed(shared_dir: Path) -> None:
    batch = read_feed_file(
        shared_dir / "real-world" / "arxiv_atom" / "arxivpy_id_list_1111.2011v2_2016.xml"
    )
    assert (batch.seen, len(batch.candidates), batch.skipped) == (1, 1, ())
    paper = batch.candidates[0]
    assert (
        paper.title == "Quantum Criticality for Extended Nodes on a Bethe Lattice"
        " in the Large Connectivity Limit"
    )
    assert paper.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")
    assert paper.date == datetime.date(2011, 11, 8)
    assert (paper.arxiv, paper.arxiv_category) == ("1111.2011", "cond-mat.str-el")
    assert (paper.doi, paper.venue) == (
        "10.1103/PhysRevB.85.115117",
        "Phys. Rev. B 85, 115117 (2012)",
    )
    assert paper.abstract is not None and paper.abstract.startswith(
        "Theoretical description of anisotropic systems, such"
    )
    assert "\n" not in paper.abstract and "  " not in paper.abstract


def test_real_2016_search_feed_with_old_style_ids(shared_dir: Path) -> None:
    batch = read_feed_file(
        shared_dir / "real-world" / "arxiv_atom" / "arxivpy_search_au_del_maestro_2016.xml"
    )
    assert (batch.seen, len(batch.candidates), batch.skipped) == (10, 10, ())
    assert [c.arxiv for c in batch.candidates if "/" in (c.arxiv or "")] == [
        "cond-mat/0412498",
        "cond-mat/0603029",
        "cond-mat/0607501",
        "cond-mat/0702661",
    ]
    assert sum(1 for c in batch.candidates if c.doi) == 10
    spellings = [
        name for c in batch.candidates for name in c.authors if name.endswith("Del Maestro")
    ]
    assert (spellings.count("Adrian Del Maestro"), spellings.count("A. Del Maestro")) == (
        6,
        4,
    )  # as in the feed
    first = batch.candidates[0]
    assert (first.arxiv, first.date, first.title) == (
        "1201.4869",
        datetime.date(2012, 1, 23),
        "A Luttinger Liquid Core Inside Helium-4 Filled Nanopores",
    )


def test_real_2026_recorded_response(shared_dir: Path) -> None:
    batch = read_feed_file(
        shared_dir / "real-world" / "arxiv_atom" / "arxivpy_q_testing_s0_m10_2026.json"
    )
    assert (batch.seen, len(batch.candidates), batch.skipped) == (10, 10, ())
    assert sum(1 for c in batch.candidates if c.doi) == 6
    assert sum(1 for c in batch.candidates if c.venue) == 6
    first = batch.candidates[0]
    assert (
        first.title
        == "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    )
    assert first.authors == ("Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker")
    assert (first.arxiv, first.date, first.arxiv_category) == (
        "2202.12139",
        datetime.date(2022, 2, 24),
        "cs.SE",
    )
    assert first.doi == "10.1109/ICSTW55395.2022.00035"
    assert [c.arxiv for c in batch.candidates][-1] == "1812.11470"


def test_real_error_response_is_not_a_paper(shared_dir: Path) -> None:
    batch = read_feed_file(
        shared_dir / "real-world" / "arxiv_atom" / "arxivpy_id_abc_error400_2026.json"
    )
    assert (batch.seen, batch.candidates) == (1, ())
    assert [s.reason for s in batch.skipped] == ["arXiv API error: incorrect id format for abc"]


def test_real_empty_response_is_not_a_paper(shared_dir: Path) -> None:
    batch = read_feed_file(
        shared_dir / "real-world" / "arxiv_atom" / "arxivpy_id_0000.0000_empty_2026.json"
    )
    assert (batch.seen, batch.candidates, batch.skipped) == (0, (), ())
    assert select_requested(batch, ["0000.0000"]).skipped[0].reason == "not found on arXiv"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.xml", r"truncated.xml: not an Atom feed \(XML error: "),
        ("entity_expansion.xml", "declares a DOCTYPE or entities"),
        ("not_a_feed.xml", "expected an Atom <feed>, found <html>"),
        ("recorded_no_body.json", "not a recorded response with a 'body'"),
    ],
)
def test_broken_feeds_raise_a_typed_error(name: str, message: str) -> None:
    with pytest.raises(UnreadableImport, match=message):
        read_feed_file(FIXTURES / name)


def test_select_requested_keeps_the_order_asked_and_reports_the_rest() -> None:
    batch = select_requested(
        read_feed_file(FIXTURES / "two_papers_2026.xml"),
        ["hep-th/9901001", "9999.99999", "2403.10717"],
    )
    assert [c.arxiv for c in batch.candidates] == ["hep-th/9901001", "2403.10717"]
    assert [(s.source, s.reason) for s in batch.skipped] == [("9999.99999", "not found on arXiv")]


class FakeArxiv:
    """Answers queries from canned bodies and records when each request was made."""

    def __init__(self, *answers: tuple[int, bytes] | Exception) -> None:
        self.answers = list(answers)
        self.now = 100.0
        self.requests: list[tuple[float, str, float]] = []
        self.sleeps: list[float] = []

    def open(self, url: str, timeout: float) -> tuple[int, bytes]:
        self.requests.append((self.now, url, timeout))
        self.now += 0.5  # the request itself takes a moment
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def client(self, **options: object) -> ArxivClient:
        return ArxivClient(opener=self.open, clock=self.clock, sleep=self.sleep, **options)  # type: ignore[arg-type]


def test_ids_are_batched_into_one_id_list_query() -> None:
    fake = FakeArxiv((200, TWO_PAPERS))
    batch = fake.client().fetch(["2403.10717", "hep-th/9901001", "2403.10717"])
    assert [c.arxiv for c in batch.candidates] == ["2403.10717", "hep-th/9901001"]
    assert [url for _, url, _ in fake.requests] == [
        f"{API_URL}?id_list=2403.10717,hep-th/9901001&max_results=2"
    ]
    assert fake.requests[0][2] == 30.0 and fake.sleeps == []


def test_requests_are_one_at_a_time_and_at_least_three_seconds_apart() -> None:
    fake = FakeArxiv((200, TWO_PAPERS), (200, EMPTY_FEED), (200, EMPTY_FEED))
    client = fake.client(batch_size=1)
    client.fetch(["2403.10717", "hep-th/9901001"])
    client.fetch(["9999.99999"])
    starts = [start for start, _, _ in fake.requests]
    assert len(starts) == 3
    assert all(later - earlier >= 3.0 for earlier, later in itertools.pairwise(starts))
    assert fake.sleeps == [3.0, 3.0]  # measured from the end of the previous request


def test_an_error_answer_marks_every_id_of_the_query_not_found() -> None:
    batch = FakeArxiv((400, ERROR_FEED)).client().fetch(["1234.5678"])
    assert batch.candidates == ()
    assert [(s.source, s.reason) for s in batch.skipped] == [
        ("1234.5678", "arXiv API error: incorrect id format for 1234.5")
    ]


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (
            TimeoutError("timed out"),
            "arXiv did not answer within 30 s; nothing was written, try again later",
        ),
        (urllib.error.URLError(TimeoutError("timed out")), "arXiv did not answer within 30 s"),
        (
            urllib.error.URLError("[Errno -2] Name or service not known"),
            r"could not reach export.arxiv.org \(\[Errno -2\]",
        ),
        (ConnectionRefusedError(111, "Connection refused"), "could not reach export.arxiv.org"),
        ((503, b"busy"), "arXiv answered HTTP 503 for https://export.arxiv.org/api/query"),
        ((200, b"<html>maintenance</html>"), "expected an Atom <feed>, found <html>"),
    ],
)
def test_network_failures_raise_a_clear_typed_error(failure: object, message: str) -> None:
    with pytest.raises((ArxivUnreachable, UnreadableImport), match=message):
        FakeArxiv(failure).client().fetch(["2403.10717"])  # type: ignore[arg-type]


def test_query_url_keeps_slashes_of_old_style_ids_readable() -> None:
    assert query_url(["hep-th/9901001"]) == f"{API_URL}?id_list=hep-th/9901001&max_results=1"
