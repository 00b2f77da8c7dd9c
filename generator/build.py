"""The pipeline, in order: load -> validate -> model -> index -> render -> write -> MkDocs.

Invariant: this is the only module that calls the stages in sequence. Everything is
loaded and validated before anything is written, and a failure at any step leaves the
generated pages and the previous `site/` as they were.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from yaml_env_tag import construct_env_tag

from generator import mkdocs_pages, slugs
from generator.cache import (
    CACHE_FILE,
    FileMemo,
    GenerateCache,
    PageMemo,
    code_version,
    digest,
    forget_cache,
    read_cache,
    write_cache,
)
from generator.errors import (
    ArchiveError,
    NotAnArchive,
    SettingsError,
    SiteBuildError,
    UnexpectedError,
)
from generator.export import bibtex_entries, paper_rows
from generator.index import RELATED_COUNT, ArchiveIndex, build_indexes, reindexed
from generator.load import (
    display_path,
    load_vocabulary_file,
    misnamed_paper_files,
    paper_file_names,
    parse_paper_file,
    read_paper_file,
)
from generator.model import Archive, InboxItem, Paper, Problem, Severity, Tag
from generator.parallel import forked, map_forked, split, worker_count
from generator.progress import COUNT_EVERY, Progress, Step, mkdocs_progress_hook, run_mkdocs
from generator.references import reference_key, references
from generator.render import PagePlan, SiteInfo, plan_pages, shown_in_lists
from generator.search import index_site
from generator.validate import validate_archive, validate_paper, validate_vocabulary
from generator.write import WriteReport, merge_pages, write_pages

CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class Project:
    """Where things live, read from `mkdocs.yml` so the two tools never disagree."""

    root: Path
    papers_dir: Path
    """The curator's YAML files and `_tags.yaml`."""
    pages_dir: Path
    """Hand-written pages (About), copied into the generated tree as they are."""
    docs_dir: Path
    """Generated Markdown: MkDocs' `docs_dir`, git-ignored."""
    site_dir: Path
    site: SiteInfo
    """Name, description and public address (`site_url`, from `SITE_URL` when set): the one
    place feeds, JSON-LD and Open Graph take absolute URLs from, as canonical links and
    the sitemap do."""


@dataclass(frozen=True)
class GenerateResult:
    """What one `generate` run did."""

    archive: Archive
    warnings: list[Problem]
    report: WriteReport
    page_count: int
    seconds: float
    related_pending: bool = False
    """Related papers were left as the last run found them (`related_later`): run again."""


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!ENV` as MkDocs resolves it, other tags (`!!python/name`) as None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
# MkDocs' own `!ENV` constructor, so `site_url: !ENV [SITE_URL, ...]` means the same to both tools.
_ConfigLoader.add_constructor("!ENV", construct_env_tag)


def load_project(root: Path) -> Project:
    """Read the paths and the site's settings from `root/mkdocs.yml` (README: Settings)."""
    config = _read_config(root)
    extra = config.get("extra") or {}
    if not isinstance(extra, dict):
        raise SettingsError(f"{CONFIG_FILE}: 'extra' must be a mapping of settings")
    upvotes_label = extra.get("upvotes_label")
    if upvotes_label is not None and not isinstance(upvotes_label, str):
        raise SettingsError(
            f"{CONFIG_FILE}: 'extra.upvotes_label' must be text (the badge's label),"
            f" got {upvotes_label!r}; remove it to hide upvotes"
        )
    return Project(
        root=root,
        papers_dir=root / "papers",
        pages_dir=root / "pages",
        docs_dir=root / config.get("docs_dir", "docs"),
        site_dir=root / config.get("site_dir", "site"),
        site=SiteInfo(
            name=config.get("site_name", "Paper archive"),
            description=config.get("site_description", ""),
            url=_with_trailing_slash(config.get("site_url") or ""),
            upvotes_label=upvotes_label or None,
        ),
    )


def _read_config(root: Path) -> dict:
    """Return `root/mkdocs.yml` as a mapping, or say why the folder is not an archive."""
    path = root / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotAnArchive(
            f"no {CONFIG_FILE} in {root}: not an archive;"
            f" create one with `paper-archive init {root}`"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot be read ({error})") from None
    try:
        config = yaml.load(text, Loader=_ConfigLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or error
        raise SettingsError(f"{CONFIG_FILE}{line}: not valid YAML ({problem})") from None
    if not isinstance(config, dict):
        raise SettingsError(f"{CONFIG_FILE}: must be a mapping of settings such as 'site_name:'")
    return config


def _with_trailing_slash(url: str) -> str:
    """Normalise as MkDocs does, so `SITE_URL=https://user.github.io/repo` is a folder."""
    return url if not url or url.endswith("/") else f"{url}/"


def load_archive(
    project: Project,
    today: datetime.date | None = None,
    strict: bool = False,
    cache: GenerateCache | None = None,
    workers: int | None = 1,
    reading: Step | None = None,
) -> tuple[Archive, list[Problem]]:
    """Load and validate every file; return the archive and its warnings.

    With a `cache`, files unchanged since it was written are not parsed again, and the
    cache is updated with the files that were. Up to `workers` processes read files (None:
    one per core). Raises `ArchiveError` with every error (and warning) of every file when
    any error exists, or when any warning does and `strict`; files in the inbox are listed
    in the archive, and their problems are left to `paper-archive inbox`. Files read are
    counted on the `reading` step.
    """
    today = today or datetime.date.today()
    cache = cache or GenerateCache("")
    problems: list[Problem] = []
    vocabulary_document = load_vocabulary_file(project.papers_dir, project.root)
    tags: tuple = ()
    if isinstance(vocabulary_document, Problem):
        problems.append(vocabulary_document)
    else:
        tags, vocabulary_problems = validate_vocabulary(vocabulary_document)
        problems += vocabulary_problems
    vocabulary = {tag.slug: tag for tag in tags}
    context = digest(repr((tags, today)).encode())
    if cache.context != context:
        cache.context, cache.files, cache.related_parts = context, {}, {}
    reading = reading or Progress().step("Reading paper files", "reading")  # shown nowhere
    memos = _validated_files(project, vocabulary, today, cache, workers, reading)
    papers: list[Paper | InboxItem] = []
    for memo in memos:
        if not isinstance(memo.result, InboxItem):  # the inbox is work in progress: `inbox`
            problems += memo.problems  # lists its problems, and they never stop a build
        if memo.result is not None:
            papers.append(memo.result)
    problems += misnamed_paper_files(project.papers_dir, project.root)
    problems += validate_archive(p for p in papers if isinstance(p, Paper))
    problems.sort()
    if any(problem.severity is Severity.ERROR for problem in problems) or (strict and problems):
        raise ArchiveError(problems, strict=strict)
    published = tuple(p for p in papers if isinstance(p, Paper))
    inbox = tuple(p for p in papers if isinstance(p, InboxItem))
    digests = {memo.result.id: memo.digest for memo in memos if isinstance(memo.result, Paper)}
    return Archive(papers=published, tags=tags, inbox=inbox, digests=digests), problems


def _validated_files(
    project: Project,
    vocabulary: dict[str, Tag],
    today: datetime.date,
    cache: GenerateCache,
    workers: int | None,
    step: Step,
) -> list[FileMemo]:
    """Validate each paper file, reusing the cache's result for files that did not change.

    Files to read again are shared among `workers` processes when there are many (a first
    run reads them all: parsing YAML is most of the load time).
    """
    remembered, cache.files = cache.files, {}  # files deleted since are forgotten
    folder = os.fspath(project.papers_dir)
    listed = [(name, _stat(f"{folder}/{name}")) for name in paper_file_names(project.papers_dir)]
    stale = [
        (project.papers_dir / name, stat, remembered.get(name))
        for name, stat in listed
        if name not in remembered or not remembered[name].matches(stat)
    ]
    resolved_dir = project.papers_dir.resolve()
    shares = split(stale, worker_count(len(stale), workers))
    step.expect(len(stale))
    counted = step.shared_count(len(shares))

    def read_share(part: int) -> list[FileMemo]:
        share, memos = shares[part], []
        for start in range(0, len(share), COUNT_EVERY):
            chunk = share[start : start + COUNT_EVERY]
            memos += [_read_paper(project, resolved_dir, vocabulary, today, *e) for e in chunk]
            counted.set(part, len(memos))
        return memos

    read = {
        path.name: memo
        for share, memos in zip(shares, map_forked(read_share, range(len(shares))), strict=True)
        for (path, _, _), memo in zip(share, memos, strict=True)
    }
    step.advance_to(len(stale))  # the parent counts others' shares only during its own
    step.detail = f"{len(stale)} read, {len(listed) - len(stale)} unchanged"
    for name, _ in listed:
        cache.files[name] = read.get(name) or remembered[name]
    return list(cache.files.values())


def _stat(path: str) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError:  # a dangling link: read_paper_file names the problem
        return os.lstat(path)


def _read_paper(
    project: Project,
    resolved_dir: Path,
    vocabulary: dict[str, Tag],
    today: datetime.date,
    path: Path,
    stat: os.stat_result,
    memo: FileMemo | None,
) -> FileMemo:
    """Read, parse and validate one paper file; keep `memo`'s result if its bytes are the same."""
    try:
        content = read_paper_file(path, resolved_dir, project.root)
        if isinstance(content, Problem):
            return FileMemo.of(stat, "", None, [content])
        content_digest = digest(content)
        if memo is not None and memo.digest == content_digest:
            return FileMemo.of(stat, content_digest, memo.result, list(memo.problems))
        document = parse_paper_file(path, content, project.root)
        if isinstance(document, Problem):
            return FileMemo.of(stat, content_digest, None, [document])
        return FileMemo.of(stat, content_digest, *validate_paper(document, vocabulary, today))
    except Exception as error:  # a bug: name the file it met, for the one-line report
        raise UnexpectedError.wrapping(display_path(path, project.root), error) from error


def load_hand_written_pages(pages_dir: Path) -> dict[PurePosixPath, bytes]:
    """Read the tracked hand-written pages (and their images) to copy into the site."""
    if not pages_dir.is_dir():
        return {}
    return {
        PurePosixPath(path.relative_to(pages_dir).as_posix()): path.read_bytes()
        for path in sorted(pages_dir.rglob("*"))
        if path.is_file()
    }


def generate(
    project: Project,
    today: datetime.date | None = None,
    strict: bool = False,
    workers: int | None = None,
    cache: GenerateCache | None = None,
    related_later: bool = False,
    progress: Progress | None = None,
) -> GenerateResult:
    """Validate the archive and write its Markdown pages into `docs_dir`.

    Incremental: with the cache of the last run (`cache.py`), unchanged files are not
    parsed again and pages whose inputs are unchanged are neither rendered nor read; the
    bytes written are the same as without it. Pages are written in place, one atomic file
    at a time, since MkDocs' live preview watches the folder it started with. Large
    batches of files to read or pages to render are shared among up to `workers` forked
    processes (None: one per core; parallel.py says when to pass 1).

    A caller that runs it again and again (the live preview) keeps the `cache` in memory
    (`open_cache`) and passes it: the cache file is then deleted, not rewritten, and the
    caller saves the cache when it is done (`save_cache`).

    With `related_later`, an edit to the text related papers are found from (seconds at
    10,000 papers) keeps the last run's related papers and says so (`related_pending`),
    so the live preview shows the edit first and runs again to bring them up to date.

    Each step is shown as it goes on `progress` (progress.py; by default, nowhere).
    """
    started = time.perf_counter()
    kept = cache is not None
    cache = cache if kept else open_cache(project)
    with _collector_paused():
        result = _generate(
            project, today, strict, workers, cache, related_later, started, progress or Progress()
        )
    if not kept:
        save_cache(project, cache)
    return result


def open_cache(project: Project) -> GenerateCache:
    """Read the generator's cache (an empty one when absent or stale)."""
    with _collector_paused():
        return read_cache(project.root / CACHE_FILE, code_version())


def save_cache(project: Project, cache: GenerateCache) -> None:
    """Save the cache for the next run; only ever after a `generate` that used it."""
    with _collector_paused():
        write_cache(project.root / CACHE_FILE, cache)


def _generate(
    project: Project,
    today: datetime.date | None,
    strict: bool,
    workers: int | None,
    cache: GenerateCache,
    related_later: bool,
    started: float,
    progress: Progress,
) -> GenerateResult:
    slugs.REMEMBERED.update(cache.slugs)
    with progress.step("Reading and validating paper files", "reading", unit="files") as reading:
        archive, warnings = load_archive(project, today, strict, cache, workers, reading)
    related_key, cache.related_parts = _related_inputs(archive, cache.related_parts)
    known_related, related_pending = _remembered_related(
        cache, related_key, archive.papers, related_later
    )
    indexing = progress.step("Indexing and finding related papers", "indexes")
    with indexing, _related_finder(archive, known_related, workers) as related:
        # Related papers (seconds at 10,000) may be found in a second process while this
        # one builds what does not need them: the other indexes, BibTeX entries, rows.
        index = (cache.index and reindexed(cache.index, archive)) or build_indexes(archive, {})
        entries = bibtex_entries(index, cache.entries)
        rows = paper_rows(index, project.site.url, cache.rows)
        found = references(index, cache.references)
        index = dataclasses.replace(index, related=related())
        reused = " (related papers as the last run found them)" if known_related is not None else ""
        indexing.detail = f"{len(archive.papers)} papers{reused}"
    writing = progress.step("Rendering and writing pages", "pages")
    hand_written = load_hand_written_pages(project.pages_dir)
    # Everything that decides which pages exist and what they show of other papers.
    shown = (
        project.site,
        archive.tags,
        sorted(hand_written),
        {paper.id: shown_in_lists(paper) for paper in archive.papers},
    )
    only_papers = _papers_to_plan(project, cache, shown, index)
    plans = merge_pages(
        plan_pages(index, project.site, entries, rows, only_papers, found),
        {path: PagePlan.ready(content) for path, content in hand_written.items()},
    )
    kept = set(cache.pages).difference(plans) if only_papers is not None else set()
    current = kept | {p for p, plan in plans.items() if _unchanged(project, cache, p, plan)}
    pages = {path: plan.render for path, plan in plans.items() if path not in current}
    forget_cache(project.root / CACHE_FILE)
    present = frozenset(cache.pages) if cache.pages else None  # None: a first run looks
    report = write_pages(
        pages, project.docs_dir, keep=frozenset(current), present=present, workers=workers
    )
    if not related_pending:  # a stale map keeps its old key, so the next run finds them
        cache.related = (related_key, index.related)
    cache.pages = {path: cache.pages[path] for path in current} | {
        path: PageMemo(plans[path].inputs, *_size_and_time(project.docs_dir / path))
        for path in pages
    }
    cache.entries = {
        (index.digests[paper_id], index.citation_keys[paper_id]): entry
        for paper_id, entry in entries.items()
    }
    cache.rows = {
        (index.digests[paper_id], index.citation_keys[paper_id], project.site.url): row
        for paper_id, row in rows.items()
    }
    cache.references = {
        reference_key(index, index.by_id[paper_id]): reference
        for paper_id, reference in found.items()
    }
    cache.slugs = slugs.REMEMBERED
    cache.shown, cache.digests, cache.index = shown, dict(archive.digests), index
    page_count = len(plans) + len(kept)
    writing.detail = f"{len(report.written)} changed of {page_count}, {len(report.deleted)} removed"
    writing.end()
    seconds = time.perf_counter() - started
    return GenerateResult(archive, warnings, report, page_count, seconds, related_pending)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the archive is read or generated.

    Both make hundreds of thousands of objects that live to the end, and almost no cycles:
    the collector would scan the growing heap again and again for nothing (a third of
    the time to unpickle the cache, a quarter to pickle it, and 0.8 s of a first run at
    10,000 papers, at the same peak memory)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _papers_to_plan(
    project: Project, cache: GenerateCache, shown: object, index: ArchiveIndex
) -> frozenset[str] | None:
    """Return the ids of the papers whose own pages may have changed, when no other page
    can have (the same `shown`: `render.shown_in_lists` of every paper, the site, the
    vocabulary and the hand-written pages); None when every page must be planned.

    A page kept unplanned must also be on disk as the last run wrote it: one changed or
    deleted by hand makes this run plan everything, which restores it.
    """
    if cache.shown != shown or cache.related is None or not cache.pages:
        return None
    for path, memo in cache.pages.items():
        try:
            stat = os.stat(f"{project.docs_dir}/{path}")
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != (memo.size, memo.mtime_ns):
            return None
    related = cache.related[1]
    return frozenset(
        paper_id
        for paper_id, file_digest in index.digests.items()
        if cache.digests.get(paper_id) != file_digest
        or related.get(paper_id) != index.related[paper_id]
    )


def _remembered_related(
    cache: GenerateCache, key: str, papers: tuple[Paper, ...], later: bool
) -> tuple[Mapping[str, tuple[str, ...]] | None, bool]:
    """Return the cache's related-papers map if it is current, and False; with `later`,
    the map even though the texts changed, and True (pending), while the papers are the
    same ones (a new paper has no related papers yet); else None and False."""
    if cache.related is None:
        return None, False
    remembered_key, remembered = cache.related
    if remembered_key == key:
        return remembered, False
    if later and remembered.keys() == {paper.id for paper in papers}:
        return remembered, True
    return None, False


def _related_finder(
    archive: Archive, known: Mapping[str, tuple[str, ...]] | None, workers: int | None
) -> contextlib.AbstractContextManager[Callable[[], Mapping[str, tuple[str, ...]]]]:
    """Return a context yielding a function that returns the related-papers map: the
    cache's, or one found in a forked process (large archives), or here when called."""
    if known is not None:
        return contextlib.nullcontext(lambda: known)

    def find() -> Mapping[str, tuple[str, ...]]:
        # Here, not at the top: importing numpy and scipy takes 0.3 s, which a cached run
        # saves and a forked one spends in the child.
        from generator.related import related_papers

        return related_papers(archive.papers, RELATED_COUNT)

    if worker_count(len(archive.papers), workers) > 1:
        return forked(find)
    return contextlib.nullcontext(find)


def _related_inputs(archive: Archive, remembered: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Digest of everything `related_papers` reads, so an edit to notes or links keeps it;
    and each paper's part of it by file digest, which the next run reuses (digesting 15 MB
    of text anew took 0.13 s of each run at 10,000 papers)."""
    parts = {}
    for paper in archive.papers:
        file_digest = archive.digests[paper.id]
        parts[file_digest] = remembered.get(file_digest) or digest(
            "\x1f".join(
                (paper.title, paper.abstract or "", *paper.tags, "\x1e", *paper.authors)
            ).encode()
        )
    joined = "\x1d".join(
        f"{paper.id}\x1f{parts[archive.digests[paper.id]]}" for paper in archive.papers
    )
    return digest(joined.encode()), parts


def _unchanged(project: Project, cache: GenerateCache, path: PurePosixPath, plan: PagePlan) -> bool:
    """True when the file at `path` was rendered from the plan's inputs and not touched since."""
    memo = cache.pages.get(path)
    if memo is None or plan.inputs is None or memo.inputs != plan.inputs:
        return False
    try:
        stat = os.stat(f"{project.docs_dir}/{path}")  # str, not Path: 10,000 of them
    except OSError:
        return False
    return memo.matches(plan.inputs, stat)


def _size_and_time(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def build_date(archive: Archive) -> datetime.date:
    """Date the site is "as of": the latest addition or publication in the archive.

    Derived from the input (not the clock), so two builds of one archive are identical.
    """
    dates = [paper.added or paper.date for paper in archive.papers]
    return max(dates, default=datetime.date(2000, 1, 1))


def build_site(
    project: Project, as_of: datetime.date, strict: bool = True, progress: Progress | None = None
) -> float:
    """Run `mkdocs build` into a fresh folder and swap it in only when it succeeds.

    MkDocs reads `mkdocs.yml` through `_counted_config`, which reports its pages to
    `progress` as it builds them.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    staging = project.root / "build" / "site.new"
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--config-file", "-"]
    command += ["--site-dir", str(staging)]
    if strict:
        command.append("--strict")
    completed = run_mkdocs(
        command, project.root, _build_environment(as_of), _counted_config(project), progress
    )
    if completed.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError(
            f"mkdocs build failed; the previous site is untouched.\n{completed.stderr.strip()}"
        )
    try:
        # Pagefind, before the swap: a published site always has its search.
        with progress.step("Pagefind indexing paper pages", "Pagefind") as indexing:
            searched = index_site(staging)
            indexing.detail = f"{searched.pages} pages in {searched.shards} index(es)"
    except SiteBuildError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, project.site_dir)
    return time.perf_counter() - started


def _counted_config(project: Project) -> str:
    """The configuration MkDocs reads on its standard input: `mkdocs.yml` (`INHERIT`), plus
    the hooks that count its pages (`mkdocs_progress.py`) and pass generated pages' HTML
    through unparsed (`mkdocs_pages.py`). The curator's file is left as
    every MkDocs or ProperDocs reads it. MkDocs replaces an inherited list, so the
    curator's own hooks are listed again, first; relative paths still resolve from the
    archive's folder, where MkDocs runs. JSON is YAML."""
    config_file = project.root / CONFIG_FILE
    hooks = [*_configured_hooks(config_file), mkdocs_progress_hook(), mkdocs_pages.__file__]
    return json.dumps({"INHERIT": str(config_file), "hooks": hooks})


def _configured_hooks(config_file: Path) -> list[str]:
    """The hooks MkDocs would run: the nearest `hooks:` along the `INHERIT` chain."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    if "hooks" in config or not config.get("INHERIT"):
        return list(config.get("hooks") or [])
    return _configured_hooks(config_file.parent / config["INHERIT"])


def _build_environment(as_of: datetime.date) -> dict[str, str]:
    """Pin what makes output vary between machines: the locale and the build date.

    A `SOURCE_DATE_EPOCH` already set (reproducible-builds convention) wins.
    """
    environment = dict(os.environ)
    midnight = datetime.datetime.combine(as_of, datetime.time(), tzinfo=datetime.UTC)
    environment.setdefault("SOURCE_DATE_EPOCH", str(int(midnight.timestamp())))
    environment["LC_ALL"] = "C.UTF-8"
    return environment


def _swap_in(staging: Path, site_dir: Path) -> None:
    """Replace `site_dir` by `staging` with two renames, so readers never see half a site."""
    previous = staging.with_name("site.old")
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
