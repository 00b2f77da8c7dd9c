"""The paper file's schema: every key a paper may hold, whether it is required, and what it means.

Invariant: `PAPER_FIELDS` is the one list of keys; validation warns on any other key, the
paper file writer orders keys by it, and the README's schema table is checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import LINK_KINDS


@dataclass(frozen=True)
class FieldSpec:
    """One key a paper file may hold; the README's schema table is checked against these."""

    name: str
    required: bool
    summary: str


PAPER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        True,
        r"Title as printed on the paper; `$...$` math shows as source, `\$` is a dollar.",
    ),
    FieldSpec(
        "authors",
        True,
        "List of full names, in byline order; two people with one name are listed twice.",
    ),
    FieldSpec(
        "et_al",
        False,
        '`true` when `authors` names only the first authors: pages add "et al.", BibTeX ends '
        "with `and others`.",
    ),
    FieldSpec(
        "orcid",
        False,
        "Author name to ORCID iD: one author per iD, linked to orcid.org.",
    ),
    FieldSpec("date", True, "First public version, `YYYY-MM-DD`."),
    FieldSpec(
        "abstract",
        False,
        "Markdown; inline LaTeX between `$...$`. Missing: the page says so and `check --strict` "
        "warns.",
    ),
    FieldSpec("tags", True, "One or more slugs from `papers/_tags.yaml`, most specific first."),
    FieldSpec(
        "arxiv",
        False,
        "arXiv id, quoted: `'2403.10717'` or `hep-th/9901001`; a `v2` suffix is dropped.",
    ),
    FieldSpec(
        "arxiv_category",
        False,
        "arXiv primary category such as `cs.LG` or `hep-th` (not a bare archive like `cs`); "
        "becomes BibTeX's `primaryClass`.",
    ),
    FieldSpec(
        "doi",
        False,
        "DOI such as `10.1145/3580305`, or a shortDOI such as `10/fvn296`; a `https://doi.org/` "
        "prefix is dropped.",
    ),
    FieldSpec("venue", False, "Where it was published, e.g. `ICLR 2024`."),
    FieldSpec(
        "links", False, f"Mapping of {', '.join(f'`{k}`' for k in LINK_KINDS)} to http(s) URLs."
    ),
    FieldSpec("organization", False, "Lab or company behind the paper."),
    FieldSpec("upvotes", False, "Integer ≥ 0 (e.g. from Hugging Face)."),
    FieldSpec(
        "added",
        False,
        'Date the paper joined the archive, `YYYY-MM-DD`; drives the feed and "recently added".',
    ),
    FieldSpec("notes", False, "The curator's Markdown commentary (no raw HTML)."),
    FieldSpec(
        "status",
        False,
        "`published` (default) or `inbox`: an inbox paper may lack tags and authors and stays off "
        "the site.",
    ),
)

FIELD_NAMES = tuple(spec.name for spec in PAPER_FIELDS)
