"""Related papers: for each paper, the few others closest to it in words, tags and authors.

Each paper becomes a TF-IDF vector of its title and abstract words (a title word weighs
`TITLE_WEIGHT` abstract words) plus pseudo-terms `tag:<slug>` and `author:<name>`, cut to
its `KEYWORD_COUNT` heaviest terms, as Lucene's More Like This cuts a document to its
`max_query_terms`. Similarity is the cosine of those keyword vectors, so a shared rare word,
tag or author pulls two papers together and words common to the archive barely count.

Words alone never make two papers related: a pair must also share a curated tag or an
author (`Paper.shared_with`), and score at least `MIN_SCORE`, so a paper lists fewer papers
rather than a weak one.

Invariant: pure and deterministic. The result depends only on the set of papers, never on
their order or on float noise: papers are processed in id order, scores are rounded to
`SCORE_DECIMALS` before ranking, and equal scores go to the smaller id. A paper is never
related to itself. Work grows about linearly with the archive: Python loops run per text
or per distinct word, never per pair, and the pairs scored are only those sharing a
keyword, of which no term has more than `KEYWORD_MAX_PAPERS` papers.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

import numpy as np
from scipy import sparse

from generator.model import Paper

TITLE_WEIGHT = 3.0
"""Frequency of a title word, against 1 for an abstract word: titles are short and chosen."""
TAG_WEIGHT = 3.0
"""Frequency of `tag:<slug>`: tags are curated, so a shared tag counts like a title word."""
AUTHOR_WEIGHT = 2.0
"""Frequency of `author:<name>`."""
KEYWORD_COUNT = 30
"""Terms kept per paper: sharing only everyday words is not relatedness."""
KEYWORD_MAX_PAPERS = 300
"""A term of more papers than this is no keyword. In a large archive a tag or word of
thousands of papers says little, and it alone would pair those thousands with each other."""
MIN_SCORE = 0.05
"""Least cosine of a related pair. One shared tag and nothing else scores 0.03 to 0.05 in a
paper's 30-term vector: it takes a shared tag or author and some shared words, or several
shared labels, to pass."""
SCORE_DECIMALS = 9
"""Scores are rounded to this many decimals, so float noise never decides an order."""
BLOCK_ROWS = 1024
"""Rows of the similarity matrix computed at once: bounds memory at large archives."""

# Function words plus the boilerplate of abstracts ("we propose a novel method"): they are
# in nearly every paper, so matching on them would relate papers at random.
STOPWORDS = frozenset(
    """
    about above across after again against all almost along already also although always am
    among an and another any anyone anything are around as at be became because become been
    before being below between both but by can cannot could did do does doing done down during
    each either else enough etc even ever every few for from further had has have having he her
    here hers herself him himself his how however if in into is it its itself just least less
    let like made make makes many may me might more most much must my myself neither no nor not
    now of off often on once one only onto or other others otherwise our ours ourselves out over
    own per perhaps quite rather same several she should since so some such than that the their
    theirs them themselves then there thereby therefore these they this those though through
    thus to too toward towards under until up upon us very via was we well were what whatever
    when where whereas whether which while who whom whose why will with within without would yet
    you your yours yourself

    achieve achieves achieving approach approaches based demonstrate demonstrates existing
    experiment experiments extensive furthermore moreover new novel paper present presents
    propose proposed proposes result results show shows significant significantly state study
    use used uses using work
    """.split()
)
# Text that is not prose: URLs, Markdown link targets, LaTeX commands (`\times`, `\mathcal`)
# and HTML tags. Words inside `$...$` math and Markdown emphasis are kept.
_NOISE = re.compile(r"https?://\S+|\]\([^)\s]*\)|\\[A-Za-z]+|<[^>\n]*>")
_NOISE_MARKERS = ("\\", "](", "<", "http")
_WORD = re.compile(r"[^\W_]+")
# Bytes kept by the fast tokenising pass: ASCII letters (lower-cased), digits, `-` for
# compounds, and every non-ASCII byte, whose rare tokens `_WORD` splits again (`—` separates,
# `é` does not). A regex over all the text is several times slower than this.
_ASCII_WORDS = bytes(
    c + 32 if 65 <= c <= 90 else c if chr(c).isalnum() or c == 45 or c >= 128 else 32
    for c in range(256)
)
# Between texts in the joined bytes: never produced by encoding a `str` as UTF-8.
_TEXT_SEPARATOR = b"\xff"


def related_papers(papers: Sequence[Paper], count: int = 5) -> dict[str, tuple[str, ...]]:
    """Map each paper id to the ids of its `count` most similar other papers, best first.

    Raises `ValueError` for a negative `count` or two papers with one id.
    """
    if count < 0:
        raise ValueError(f"'count' must be at least 0, got {count}")
    ordered = sorted(papers, key=lambda paper: paper.id)
    ids = [paper.id for paper in ordered]
    duplicates = sorted(paper_id for paper_id, n in Counter(ids).items() if n > 1)
    if duplicates:
        raise ValueError(f"paper ids must be unique, got {duplicates[0]!r} more than once")
    related: dict[str, tuple[str, ...]] = dict.fromkeys(ids, ())
    if count == 0 or len(ordered) < 2:
        return related
    tags = [paper.tags for paper in ordered]
    authors = [paper.author_keys for paper in ordered]
    labels = sparse.hstack(
        [_label_frequencies(tags, 1.0), _label_frequencies(authors, 1.0)], format="csr"
    )
    matrix = _keyword_matrix(ordered, tags, authors)
    for row, columns in _top_columns(matrix, labels, count):
        related[ids[row]] = tuple(ids[column] for column in columns)
    return related


def tokenize(text: str) -> list[str]:
    """Split prose into the terms that similarity compares, in order.

    Terms are lower-case runs of letters and digits; a hyphenated compound also gives its
    joined form (`bi-level` -> `bi`, `level`, `bilevel`). Stopwords, one-character tokens and
    pure numbers are dropped, and plurals folded (`llms` -> `llm`, `strategies` -> `strategy`).
    """
    return [term for raw in _raw_tokens([text]) for term in _terms(raw)]


def _raw_tokens(texts: Sequence[str]) -> list[bytes]:
    """Split texts in one C pass into byte tokens, with `_TEXT_SEPARATOR` between texts."""
    cleaned = (
        _NOISE.sub(" ", text) if any(marker in text for marker in _NOISE_MARKERS) else text
        for text in texts
    )
    joined = (b" " + _TEXT_SEPARATOR + b" ").join(text.encode() for text in cleaned)
    return joined.translate(_ASCII_WORDS).split()


def _terms(raw: bytes) -> tuple[str, ...]:
    """Return the terms of one raw token: none, one, or a compound's parts and their join."""
    if raw.isalnum():  # the common case: ASCII letters and digits only
        term = _term(raw.decode())
        return () if term is None else (term,)
    if raw == _TEXT_SEPARATOR:
        return ()
    if raw.isascii():
        parts = [part.decode() for part in raw.split(b"-") if part]
        if len(parts) > 1:
            parts.append("".join(parts))
    else:
        parts = _WORD.findall(raw.decode().lower())
    return tuple(term for term in map(_term, parts) if term is not None)


def _term(word: str) -> str | None:
    """Fold a plural; return None for a word too short, numeric or common to match on."""
    if len(word) < 2 or word.isdigit() or word in STOPWORDS:
        return None
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return None if word in STOPWORDS else word


def _keyword_matrix(
    papers: Sequence[Paper], tags: Sequence[Sequence[str]], authors: Sequence[Sequence[str]]
) -> sparse.csr_matrix:
    """Return the papers x terms matrix of unit keyword vectors, rows in the papers' order."""
    n = len(papers)
    frequencies = sparse.hstack(
        [
            _text_frequencies(papers),
            _label_frequencies(tags, TAG_WEIGHT),
            _label_frequencies(authors, AUTHOR_WEIGHT),
        ],
        format="csr",
    )
    rows = np.repeat(np.arange(n), np.diff(frequencies.indptr))
    columns = frequencies.indices
    document_frequency = np.bincount(columns, minlength=frequencies.shape[1])
    # Smoothed IDF: never zero, so the two papers of a two-paper archive can still match.
    weights = frequencies.data * np.log((1 + n) / document_frequency)[columns]
    weights /= np.sqrt(np.bincount(rows, weights * weights, minlength=n))[rows]
    # A term of one paper can match nothing, and one of very many papers says little: both
    # dilute the vector (the norm above counts them) but take no keyword place.
    papers_of_term = document_frequency[columns]
    weights[(papers_of_term < 2) | (papers_of_term > KEYWORD_MAX_PAPERS)] = 0
    # Each row's heaviest terms: weights are in [0, 1], so `4 * row - weight` sorts by row,
    # then heaviest first; the stable sort leaves equal weights in column order.
    order = np.argsort(4 * rows - weights, kind="stable")
    rank = np.arange(len(order)) - frequencies.indptr[rows[order]]
    kept = np.sort(order[(rank < KEYWORD_COUNT) & (weights[order] > 0)])
    kept_weights = weights[kept]
    kept_weights /= np.sqrt(np.bincount(rows[kept], kept_weights**2, minlength=n))[rows[kept]]
    matrix = sparse.csr_matrix((kept_weights, (rows[kept], columns[kept])), shape=frequencies.shape)
    matrix.sort_indices()  # sums then run in one order, so scores are reproducible to the bit
    return matrix


def _text_frequencies(papers: Sequence[Paper]) -> sparse.csr_matrix:
    """Return the papers x words matrix of title and abstract term frequencies.

    Words count sublinearly within each field (1 + ln n), so one repeated word cannot outweigh
    many shared ones; a title occurrence is worth `TITLE_WEIGHT` abstract occurrences. Each
    token is hashed once, in C; numpy and scipy do the counting.
    """
    n = len(papers)
    texts = [paper.title for paper in papers] + [paper.abstract or "" for paper in papers]
    tokens = _raw_tokens(texts)
    # Codes in order of first occurrence, which the id order of `papers` makes canonical.
    code_of: defaultdict[bytes, int] = defaultdict(itertools.count().__next__)
    codes = np.fromiter(map(code_of.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    # Text i is tokens[ends[i-1]:ends[i]]: its separator (which stands for no term) and words.
    ends = np.flatnonzero(codes == code_of[_TEXT_SEPARATOR])
    counts = sparse.csr_matrix(
        (np.ones(len(codes)), codes, np.concatenate([[0], ends, [len(codes)]])),
        shape=(len(texts), len(code_of)),
    )
    counts.sum_duplicates()
    counts.data = 1 + np.log(counts.data)
    field_weights = sparse.hstack(
        [TITLE_WEIGHT * sparse.identity(n, format="csr"), sparse.identity(n, format="csr")]
    )
    # Token x term: which terms a token stands for (`bi-level`: `bi`, `level`, `bilevel`).
    term_lists = [_terms(token) for token in code_of]
    term_columns: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    columns = [term_columns[term] for term_list in term_lists for term in term_list]
    token_terms = sparse.csr_matrix(
        (np.ones(len(columns)), columns, np.cumsum([0, *map(len, term_lists)])),
        shape=(len(term_lists), len(term_columns)),
    )
    return field_weights @ counts @ token_terms


def _label_frequencies(labels: Sequence[Sequence[str]], weight: float) -> sparse.csr_matrix:
    """Return the papers x labels matrix with `weight` for each label a paper has."""
    unique_labels = [dict.fromkeys(paper_labels) for paper_labels in labels]
    column_of = {name: column for column, name in enumerate(sorted(set().union(*labels)))}
    columns = [column_of[label] for paper_labels in unique_labels for label in paper_labels]
    return sparse.csr_matrix(
        (np.full(len(columns), weight), columns, np.cumsum([0, *map(len, unique_labels)])),
        shape=(len(labels), len(column_of)),
    )


def _top_columns(
    matrix: sparse.csr_matrix, labels: sparse.csr_matrix, count: int
) -> Iterator[tuple[int, list[int]]]:
    """Yield (row, columns of its `count` best scores, best first) for every row, among the
    columns scoring at least `MIN_SCORE` and sharing a label (a column of `labels`).

    Columns are in id order, so "equal scores go to the smaller id" is "to the smaller column".
    """
    n = matrix.shape[0]
    column_bits = max(1, (n - 1).bit_length())
    score_scale = 10**SCORE_DECIMALS
    if BLOCK_ROWS * (score_scale + 1) << column_bits >= 2**63:
        raise ValueError(f"too many papers to rank at once: {n}")
    transposed = matrix.T.tocsr()
    for start in range(0, n, BLOCK_ROWS):
        block = (matrix[start : start + BLOCK_ROWS] @ transposed).tocoo()
        # Cosines of unit vectors are at most 1, give or take float noise the rounding removes.
        scores = np.minimum(np.rint(block.data * score_scale), score_scale).astype(np.int64)
        keep = (scores >= MIN_SCORE * score_scale) & (block.col != block.row + start)
        rows, columns, scores = block.row[keep].astype(np.int64), block.col[keep], scores[keep]
        # Per pair, not a labels x labels product: a tag of thousands of papers would pair
        # all of them. Scored pairs are few, and each paper has a handful of labels.
        keep = labels[rows + start].multiply(labels[columns]).getnnz(axis=1) > 0
        rows, columns, scores = rows[keep], columns[keep], scores[keep]
        keep = _may_be_top(rows, scores / score_scale, count, block.shape[0])
        rows, columns, scores = rows[keep], columns[keep], scores[keep]
        # One int64 key per score: row, then best score, then column. Integer keys sort
        # several times faster than a float argsort, and carry the column along.
        keys = np.sort((rows * (score_scale + 1) + score_scale - scores) << column_bits | columns)
        rows = (keys >> column_bits) // (score_scale + 1)
        columns = keys & ((1 << column_bits) - 1)
        row_starts = np.searchsorted(rows, np.arange(block.shape[0] + 1))
        row_ends = np.minimum(row_starts[1:], row_starts[:-1] + count)
        best_columns = columns.tolist()  # Python ints: slicing numpy per row is slower
        row_bounds = zip(row_starts[:-1].tolist(), row_ends.tolist(), strict=True)
        for offset, (first, end) in enumerate(row_bounds):
            yield start + offset, best_columns[first:end]


def _may_be_top(rows: np.ndarray, scores: np.ndarray, count: int, row_count: int) -> np.ndarray:
    """Return a mask keeping every score that may be among its row's `count` best.

    A per-row histogram finds the level holding each row's count-th best score; only scores
    at or above it are sorted. At 10,000 papers that is a few percent of them.
    """
    levels = 64
    # Square roots spread the many small cosines over the levels; equal scores share a level.
    level = np.minimum((np.sqrt(scores) * levels).astype(np.int64), levels - 1)
    histogram = np.bincount(rows * levels + level, minlength=row_count * levels)
    at_or_above = np.cumsum(histogram.reshape(row_count, levels)[:, ::-1], axis=1)[:, ::-1]
    threshold = np.maximum((at_or_above >= count).sum(axis=1) - 1, 0)
    return level >= threshold[rows]
