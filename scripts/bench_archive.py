"""The benchmark's synthetic archive and the edits a curator makes to it (used by bench.py).

The papers are made once per size from the repository's real abstracts, titles and authors,
recombined with a fixed seed, so every version of the tool measured in one run reads the same
files; each version gets its own project folder with its own mkdocs.yml, pages/ and theme.
"""

from __future__ import annotations

import datetime
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from generator.paperfile import format_paper_file

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED = 20251113
EDITED_PAPER = 17
"""Index of the synthetic paper every edit changes."""
TITLE_OPENERS = tuple(
    "|||Towards |Revisiting |Scaling |On |Rethinking |Efficient |Robust |Learning |Beyond ".split(
        "|"
    )
)
VENUES = ("NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "CVPR", "KDD", "TMLR", "AAAI")
ORGANIZATIONS = ("Example Lab", "University of Somewhere", "Institute for Tests", "Acme AI")
PROJECT_FILES = ("mkdocs.yml", "pages", "theme_overrides")


def _real_papers() -> tuple[list[dict], list[str]]:
    """Published papers of the repository (abstracts, titles, authors) and the tag slugs."""
    papers = []
    for path in sorted((REPO_ROOT / "papers").glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status", "published") == "published" and data.get("abstract"):
            papers.append(data)
    return papers, tag_slugs()


def tag_slugs() -> list[str]:
    """The repository's tag vocabulary, which every synthetic paper draws from."""
    return list(yaml.safe_load((REPO_ROOT / "papers" / "_tags.yaml").read_text(encoding="utf-8")))


def _author_pool(papers: list[dict], rng: random.Random) -> list[str]:
    """About 6,000 plausible names recombined from the real authors' given and family names."""
    given = sorted({name.split()[0] for paper in papers for name in paper["authors"]})
    family = sorted(
        {name.split()[-1] for paper in papers for name in paper["authors"] if " " in name}
    )
    pool = sorted({f"{rng.choice(given)} {rng.choice(family)}" for _ in range(8000)})
    rng.shuffle(pool)
    return pool


def synthetic_papers(count: int) -> Iterator[tuple[str, dict]]:
    """Yield `(id, fields)` for `count` valid papers; the first N are the same for any count."""
    rng = random.Random(SEED)
    real, tags = _real_papers()
    authors = _author_pool(real, rng)
    start = datetime.date(2015, 1, 1).toordinal()
    end = datetime.date(2025, 10, 31).toordinal()
    for number in range(count):
        source = real[number % len(real)]
        date = datetime.date.fromordinal(rng.randint(start, end))
        title = f"{rng.choice(TITLE_OPENERS)}{source['title']}"
        if number >= len(real):
            title = f"{title} {rng.choice('IVX')}{number}"
        # Zipf-like: a few prolific authors, a long tail of one-paper authors.
        byline = list(
            dict.fromkeys(
                authors[int(len(authors) * rng.random() ** 2.5)] for _ in range(rng.randint(1, 9))
            )
        )
        fields: dict[str, object] = {
            "title": title,
            "authors": byline,
            "date": date,
            "abstract": source["abstract"],
            "tags": rng.sample(tags, rng.choice((1, 1, 2, 2, 3))),
            "arxiv": f"{date:%y%m}.{number:05d}",
            "added": date + datetime.timedelta(days=rng.randint(0, 30)),
        }
        if rng.random() < 0.4:
            fields["venue"] = f"{rng.choice(VENUES)} {date.year + rng.randint(0, 1)}"
        if rng.random() < 0.3:
            fields["links"] = {"code": f"https://github.com/example/paper-{number}"}
        if rng.random() < 0.3:
            fields["organization"] = rng.choice(ORGANIZATIONS)
        if rng.random() < 0.5:
            fields["upvotes"] = rng.randint(0, 300)
        yield f"bench-{number:05d}", fields


def write_papers(folder: Path, count: int) -> Path:
    """Write `count` synthetic paper files into `folder` (no vocabulary: each project brings
    its own); return `folder`."""
    folder.mkdir(parents=True)
    for paper_id, fields in synthetic_papers(count):
        (folder / f"{paper_id}.yaml").write_text(format_paper_file(fields), encoding="utf-8")
    return folder


def make_project(root: Path, papers: Path, tree: Path) -> Path:
    """A project at `root`: `tree`'s configuration, pages, theme and vocabulary (the version
    of the tool being measured) and the paper files in `papers`."""
    root.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = tree / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    shutil.copytree(papers, root / "papers")
    shutil.copy(tree / "papers" / "_tags.yaml", root / "papers" / "_tags.yaml")
    return root


def edited_paper(root: Path) -> Path:
    """The paper file every edit changes."""
    return root / "papers" / f"bench-{EDITED_PAPER:05d}.yaml"


def edit_abstract(fields: dict, page: str, marker: str) -> str:
    """Add a sentence to the abstract; return the text the page shows once it is served."""
    fields["abstract"] += f" We also report {marker}."
    return marker


def edit_title(fields: dict, page: str, marker: str) -> str:
    """Add a word to the title: every listing page that shows the paper changes too."""
    fields["title"] += f" {marker}"
    return marker


def edit_tags(fields: dict, page: str, marker: str) -> str:
    """Replace the tags by one the page does not link to yet; return that tag's address."""
    slug = next(s for s in tag_slugs() if f"tags/{s}/" not in page)
    fields["tags"] = [slug]
    return f"tags/{slug}/"


def edit_author(fields: dict, page: str, marker: str) -> str:
    """Add an author whose name is new to the archive."""
    fields["authors"] = [*fields["authors"], f"Ada {marker}"]
    return f"Ada {marker}"


def edit_date(fields: dict, page: str, marker: str) -> str:
    """Move the paper to a year that the page does not show yet (before the archive's range)."""
    year = next(y for y in range(2014, 1990, -1) if str(y) not in page)
    old = fields["date"]
    fields["date"] = old.replace(year=year, day=min(old.day, 28))  # 28: no 29 February
    return str(year)


EDITS: dict[str, Callable[[dict, str, str], str]] = {
    "an abstract": edit_abstract,
    "a title": edit_title,
    "the tags": edit_tags,
    "an author": edit_author,
    "a date": edit_date,
}
"""Each kind of edit the preview is timed for: it changes the fields of the edited paper,
given the page as served before and a word new to the archive, and returns the text the
page shows once the edit is served."""


def apply_edit(root: Path, kind: str, page: str, marker: str) -> str:
    """Make one edit of `kind` to the edited paper's file; return what its page will show."""
    path = edited_paper(root)
    fields = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = EDITS[kind](fields, page, marker)
    path.write_text(format_paper_file(fields), encoding="utf-8")
    return expected
