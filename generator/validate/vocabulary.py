"""The tag vocabulary (`papers/_tags.yaml`): validated into `Tag` values, and read in one call.

Invariant: `validate_vocabulary` is pure and reports every problem of the file at once;
`read_vocabulary` is the one place that loads and validates the file together, so the
pipeline and the curator commands can never disagree on what the vocabulary holds.
"""

from __future__ import annotations

from pathlib import Path

from slugify import slugify

from generator.identifiers import clean_line, is_slug
from generator.load import RawDocument, load_vocabulary_file
from generator.model import Problem, Severity, Tag
from generator.validate.messages import bidi_warning, did_you_mean

_TAG_KEYS = ("title", "description", "keywords")


def read_vocabulary(papers_dir: Path, root: Path) -> tuple[tuple[Tag, ...], list[Problem]]:
    """Load and validate `papers_dir/_tags.yaml`: its tags, sorted, and all its problems."""
    document = load_vocabulary_file(papers_dir, root)
    if isinstance(document, Problem):
        return (), [document]
    return validate_vocabulary(document)


def validate_vocabulary(document: RawDocument) -> tuple[tuple[Tag, ...], list[Problem]]:
    """Validate `papers/_tags.yaml`: a mapping of slug to `title`, `description`, `keywords`."""
    problems: list[Problem] = []
    data = document.data
    if not isinstance(data, dict) or not data:
        return (), [
            Problem(document.path, 0, "must be a mapping of tag slug to {title, description}")
        ]

    def report(key: str, message: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(document.path, document.lines.get(key, 0), message, severity))

    tags: list[Tag] = []
    for slug, entry in data.items():
        slug = str(slug)
        if not is_slug(slug):
            suggestion = slugify(slug)
            report(
                slug,
                f"tag {slug!r} must be a slug (lower-case letters, digits, hyphens)"
                + (f"; try '{suggestion}'" if suggestion else ""),
            )
            continue
        if not isinstance(entry, dict):
            report(slug, f"tag '{slug}' must be a mapping with 'title' and 'description'")
            continue
        title, description = entry.get("title"), entry.get("description")
        keywords = entry.get("keywords", [])
        if not isinstance(title, str) or not clean_line(title):  # not blank once cleaned
            report(
                f"{slug}.title" if "title" in entry else slug,
                f"tag '{slug}' needs a 'title' (text)",
            )
        if not isinstance(description, str) or not clean_line(description):
            report(
                f"{slug}.description" if "description" in entry else slug,
                f"tag '{slug}' needs a 'description' (one sentence)",
            )
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            report(f"{slug}.keywords", f"tag '{slug}': 'keywords' must be a list of phrases")
            keywords = []
        for unknown in sorted(set(entry) - set(_TAG_KEYS)):
            report(
                f"{slug}.{unknown}",
                f"tag '{slug}': unknown key '{unknown}'{did_you_mean(unknown, _TAG_KEYS)}",
            )
        for key, text in (("title", title), ("description", description)):
            warning = bidi_warning(f"tag '{slug}': '{key}'", text)
            if warning:
                report(f"{slug}.{key}", warning, Severity.WARNING)
        if isinstance(title, str) and isinstance(description, str):
            tags.append(
                Tag(
                    slug,
                    clean_line(title),
                    clean_line(description),
                    tuple(clean_line(k).lower() for k in keywords),
                )
            )
    return tuple(sorted(tags)), problems
