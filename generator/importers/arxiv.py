"""arXiv: ids and URLs -> one batched API query -> Atom feed -> candidates.

Invariant: an API error entry (titled "Error", id `.../api/errors#...`) or an empty feed is
"not found", never a paper. Requests follow arXiv's API terms: one at a time, at least
three seconds apart, ids batched into `id_list` queries (https://info.arxiv.org/help/api/tou.html).
The clock, sleeper and opener are injected, so tests run offline on recorded feeds.
LaTeX accents in titles, names and abstracts (`B\\"uttiker`) become Unicode; formulas stay.
"""

from __future__ import annotations

import datetime
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.errors import ArxivUnreachable, NotAnArxivId, UnreadableImport
from generator.identifiers import ARXIV_ID, arxiv_id, arxiv_id_in, collapse_whitespace
from generator.importers.candidate import Batch, Candidate, Skipped, split_results
from generator.importers.latex import decode_accents
from generator.model import Link

API_URL = "https://export.arxiv.org/api/query"
REQUEST_INTERVAL = 3.0
"""Seconds between two requests, as arXiv's API terms ask."""
BATCH_SIZE = 100
"""Ids per `id_list` query; arXiv suggests slices of at most a few hundred."""
TIMEOUT = 30.0

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_REFERENCE = re.compile(
    r"\s*(?:(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/|(?i:arxiv:))?"
    rf"(?P<id>{ARXIV_ID})(?:v\d+)?(?:\.pdf)?/?(?:[?#]\S*)?\s*"
)

Opener = Callable[[str, float], tuple[int, bytes]]
"""`(url, timeout) -> (HTTP status, body)`; raises `OSError` when the network fails."""


def parse_arxiv_reference(reference: str) -> str:
    """Return the versionless id of `2403.10717v2`, `arxiv.org/abs/...`, `arxiv.org/pdf/....pdf`."""
    match = _REFERENCE.fullmatch(reference)
    if not match:
        raise NotAnArxivId(
            f"{reference!r} is not an arXiv id or URL; expected e.g. 2403.10717, hep-th/9901001"
            " or https://arxiv.org/abs/2403.10717"
        )
    return match.group("id")


def parse_feed(content: bytes | str, name: str) -> Batch:
    """Read an arXiv API Atom feed (2016 or current format) into candidates and skipped errors."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data[:4096]):
        raise UnreadableImport(f"{name}: declares a DOCTYPE or entities; an arXiv feed never does")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise UnreadableImport(f"{name}: not an Atom feed (XML error: {error})") from None
    if root.tag != f"{_ATOM}feed":
        raise UnreadableImport(
            f"{name}: expected an Atom <feed>, found <{root.tag.split('}')[-1]}>"
        )
    entries = root.findall(f"{_ATOM}entry")
    candidates, skipped = split_results(
        _entry_candidate(entry, f"{name} entry {position}")
        for position, entry in enumerate(entries, 1)
    )
    return Batch(len(entries), tuple(candidates), tuple(skipped))


def read_feed_file(path: Path) -> Batch:
    """Read a saved feed: raw Atom XML, or a recorded `{url, status_code, body}` JSON response."""
    content = path.read_bytes()
    if content.lstrip()[:1] == b"{":
        try:
            recorded = json.loads(content)
            body = recorded["body"]
        except (ValueError, KeyError, TypeError) as error:
            raise UnreadableImport(
                f"{path.name}: not a recorded response with a 'body' ({error})"
            ) from None
        return parse_feed(body, path.name)
    return parse_feed(content, path.name)


def select_requested(batch: Batch, ids: Sequence[str]) -> Batch:
    """Keep the papers asked for, in the order asked; each id the feed lacks is "not found"."""
    by_id = {c.arxiv.lower(): c for c in batch.candidates if c.arxiv}
    api_errors = "; ".join(s.reason for s in batch.skipped)
    found: list[Candidate] = []
    missing: list[Skipped] = []
    for identifier in dict.fromkeys(ids):
        candidate = by_id.get(identifier.lower())
        if candidate:
            found.append(candidate)
        else:
            missing.append(Skipped(identifier, api_errors or "not found on arXiv"))
    return Batch(batch.seen, tuple(found), tuple(missing))


@dataclass
class ArxivClient:
    """Fetches papers from the arXiv API, politely: one request at a time, 3 s apart."""

    opener: Opener | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    timeout: float = TIMEOUT
    interval: float = REQUEST_INTERVAL
    batch_size: int = BATCH_SIZE
    _last_request: float | None = field(default=None, init=False, repr=False)

    def fetch(self, ids: Sequence[str]) -> Batch:
        """Fetch `ids` (versionless) with as few `id_list` queries as possible."""
        unique = list(dict.fromkeys(ids))
        seen = 0
        candidates: list[Candidate] = []
        skipped: list[Skipped] = []
        for start in range(0, len(unique), self.batch_size):
            chunk = unique[start : start + self.batch_size]
            batch = select_requested(self._query(chunk), chunk)
            seen += batch.seen
            candidates += batch.candidates
            skipped += batch.skipped
        return Batch(seen, tuple(candidates), tuple(skipped))

    def _query(self, ids: Sequence[str]) -> Batch:
        url = query_url(ids)
        if self._last_request is not None:
            wait = self.interval - (self.clock() - self._last_request)
            if wait > 0:
                self.sleep(wait)
        opener = self.opener or open_url
        try:
            status, body = opener(url, self.timeout)
        except OSError as error:  # URLError, a refused connection, a timeout
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise ArxivUnreachable(
                    f"arXiv did not answer within {self.timeout:g} s;"
                    " nothing was written, try again later"
                ) from None
            raise ArxivUnreachable(
                f"could not reach export.arxiv.org ({reason}); nothing was written"
            ) from None
        finally:
            self._last_request = self.clock()
        if status not in (200, 400):  # 400 carries the API's error entry, read below
            raise ArxivUnreachable(
                f"arXiv answered HTTP {status} for {url}; nothing was written, try again later"
            )
        return parse_feed(body, "arXiv API response")


def query_url(ids: Iterable[str]) -> str:
    """Return the API query for `ids`: one `id_list`, as many results as ids."""
    id_list = list(ids)
    query = urllib.parse.urlencode(
        {"id_list": ",".join(id_list), "max_results": len(id_list)}, safe=",/"
    )
    return f"{API_URL}?{query}"


def open_url(url: str, timeout: float) -> tuple[int, bytes]:
    """GET `url`; an HTTP error status is returned with its body, not raised."""
    request = urllib.request.Request(url, headers={"User-Agent": "paper-archive (curator import)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _entry_candidate(entry: ET.Element, source: str) -> Candidate | Skipped:
    """Turn one `<entry>` into a candidate; the API's error entry becomes a skip."""
    entry_id = _text(entry, f"{_ATOM}id")
    title = decode_accents(collapse_whitespace(_text(entry, f"{_ATOM}title")))
    summary = decode_accents(collapse_whitespace(_text(entry, f"{_ATOM}summary")))
    if title == "Error" and "/api/errors" in entry_id:
        return Skipped(source, f"arXiv API error: {summary or entry_id}")
    identifier = arxiv_id_in(entry_id) or arxiv_id(entry_id)
    if not identifier:
        return Skipped(source, f"entry id {entry_id!r} is not an arXiv paper")
    if not title:
        return Skipped(identifier, "entry has no title")
    published = _text(entry, f"{_ATOM}published")
    try:
        date = datetime.date.fromisoformat(published[:10]) if published else None
    except ValueError:
        date = None
    category = entry.find(f"{_ARXIV}primary_category")
    links = tuple(
        Link("pdf", _https(link.get("href", "")))
        for link in entry.findall(f"{_ATOM}link")
        if link.get("title") == "pdf" and link.get("href")
    )[:1]
    candidate = Candidate(
        title=title,
        source=f"arXiv {identifier}",
        authors=tuple(
            decode_accents(collapse_whitespace(_text(a, f"{_ATOM}name")))
            for a in entry.findall(f"{_ATOM}author")
        ),
        date=date,
        abstract=summary or None,
        arxiv=identifier,
        arxiv_category=category.get("term") if category is not None else None,
        doi=collapse_whitespace(_text(entry, f"{_ARXIV}doi")) or None,
        venue=collapse_whitespace(_text(entry, f"{_ARXIV}journal_ref")) or None,
        links=links,
    )
    return candidate if date else replace(candidate, remarks=("feed gives no publication date",))


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "") if found is not None else ""


def _https(url: str) -> str:
    """arXiv's 2016 feeds link over http; the same URLs serve https."""
    return re.sub(r"^http://", "https://", url)
