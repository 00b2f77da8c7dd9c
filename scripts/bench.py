"""Benchmark the archive at 1,000 and 10,000 papers (`make bench`; a measurement, not a test).

Why a script and not a timed test: the figures depend on the machine, so they are printed
as one table for a person to read against the targets, and recorded in BENCHMARKS.md.

For each size it writes a synthetic archive into a temporary project (the repository's
mkdocs.yml, pages/, theme_overrides/ and tag vocabulary; real abstracts, varied titles,
authors, tags and dates, written with `format_paper_file`), then times, each in a fresh
child process whose peak memory is read with `os.wait4`:

- `paper-archive generate` cold, again with nothing changed (the cache's own cost), and
  again after one paper's abstract is edited;
- `paper-archive build` (generate, `mkdocs build --strict`, Pagefind);
- a bare `mkdocs build --strict` of the same generated pages: the reference;
- Pagefind indexing alone;
- `paper-archive serve`: seconds from saving an abstract edit to the preview serving it,
  and the preview's own regeneration for that edit (the archive kept in memory);

and measures the site (total size, paper page HTML) and the first search in headless
Chromium on localhost: bytes transferred by search and ms from the last keystroke to the
first result. `--material` also builds the same pages with Material's own search plugin
and measures its first search, for comparison.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from generator.paperfile import format_paper_file  # noqa: E402
from generator.progress import Progress, Step, progress_to_stderr  # noqa: E402
from tests.conftest import CHROMIUM, serve_directory  # noqa: E402

SEED = 20251113
EDITED_PAPER = 17
"""Index of the synthetic paper whose abstract the "one paper edited" step changes."""
PREVIEW_EDITS = 3
"""Abstract edits timed in the live preview; the median is reported."""
PREVIEW_PAUSE_S = 3.0
QUERY_RUNS = 3
"""Fresh browser contexts per search measurement; the median latency is reported."""
TYPING_DELAY_MS = 120
"""Between keystrokes: a fast typist (about 100 words a minute)."""
TITLE_OPENERS = tuple(
    "|||Towards |Revisiting |Scaling |On |Rethinking |Efficient |Robust |Learning |Beyond ".split(
        "|"
    )
)
VENUES = ("NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "CVPR", "KDD", "TMLR", "AAAI")
ORGANIZATIONS = ("Example Lab", "University of Somewhere", "Institute for Tests", "Acme AI")


@dataclass
class Run:
    """One child process: wall time, peak resident memory, and what it printed."""

    seconds: float
    max_rss_mb: float
    output: str


@dataclass
class SearchFigures:
    """One query typed by a fresh reader: bytes fetched for search, latency after typing."""

    kilobytes: float
    latency_ms: float
    results: int


@dataclass
class SizeFigures:
    """Every figure for one archive size."""

    papers: int
    generate_cold: Run
    generate_again: Run
    """Nothing changed since the cold run: what the cache alone costs."""
    generate_edit: Run
    rewritten: list[str]
    """Generated files the one-abstract edit rewrote."""
    build: Run
    bare: Run
    pagefind: Run
    site_mb: float
    paper_html_kb: tuple[float, float]
    """Median and largest paper page."""
    search: dict[str, SearchFigures]
    """By kind of query (`queries_for`); "rare name" is typed first, into an empty cache."""
    preview: list[float]
    """Seconds from saving an edit to `paper-archive serve` serving it, per edit."""
    preview_generate: list[tuple[float, int]]
    """The preview's own regeneration for each edit: seconds, and pages it rewrote."""
    material: tuple[Run, float, dict[str, SearchFigures]] | None = None
    """Material search build, its search index size (MB), and its first search."""
    notes: list[str] = field(default_factory=list)


# --- synthetic archive ------------------------------------------------------------------


def _real_papers() -> tuple[list[dict], list[str]]:
    """Published papers of the repository (abstracts, titles, authors) and the tag slugs."""
    papers = []
    for path in sorted((REPO_ROOT / "papers").glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status", "published") == "published" and data.get("abstract"):
            papers.append(data)
    tags = list(yaml.safe_load((REPO_ROOT / "papers" / "_tags.yaml").read_text(encoding="utf-8")))
    return papers, tags


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


def make_project(root: Path, count: int) -> None:
    """Write a project holding `count` synthetic papers, configured like the repository."""
    (root / "papers").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "pages", root / "pages")
    shutil.copytree(REPO_ROOT / "theme_overrides", root / "theme_overrides")
    shutil.copy(REPO_ROOT / "papers" / "_tags.yaml", root / "papers" / "_tags.yaml")
    for paper_id, fields in synthetic_papers(count):
        (root / "papers" / f"{paper_id}.yaml").write_text(
            format_paper_file(fields), encoding="utf-8"
        )


# --- measurements -----------------------------------------------------------------------


def run(command: list[str], cwd: Path, environment: dict[str, str]) -> Run:
    """Run `command`; fail loudly on error. Peak memory covers the child's own children.

    The disk's pending writes are flushed first (as `hyperfine --prepare sync` would), so
    a step is not charged for writing back what the step before it wrote: the cold
    generate ran while the kernel wrote back the 10,000 paper files just made, and file
    creation on this disk stalls meanwhile (11 to 16 s for the same run).
    """
    os.sync()
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{text}")
    return Run(seconds, usage.ru_maxrss / 1024, text)


def _cli(root: Path, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "generator", "--root", str(root), *arguments]


def _edit_one_paper(
    root: Path, addition: str = "We also report results on a new benchmark."
) -> None:
    path = root / "papers" / f"bench-{EDITED_PAPER:05d}.yaml"
    fields = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields["abstract"] += f" {addition}"
    path.write_text(format_paper_file(fields), encoding="utf-8")


def measure_preview(
    root: Path, environment: dict[str, str]
) -> tuple[list[float], list[tuple[float, int]]]:
    """Seconds from saving an abstract edit to `paper-archive serve` serving the new text,
    for each of `PREVIEW_EDITS` edits (the page is polled every 50 ms, as a reload would),
    each made once the preview is idle again; and the regeneration of each, as the
    preview printed it (seconds, pages rewritten)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page = f"http://127.0.0.1:{port}/papers/bench-{EDITED_PAPER:05d}/"
    with tempfile.TemporaryFile() as output:
        server = subprocess.Popen(
            _cli(root, "serve", "--dev-addr", f"127.0.0.1:{port}"),
            cwd=root,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(lambda: _fetch(page) is not None, server, output, timeout_s=1800)
            latencies, regenerations = [], []
            for edit in range(PREVIEW_EDITS):
                time.sleep(PREVIEW_PAUSE_S)  # let the watcher settle, as a curator would
                # and wait until idle: a rebuild bringing related papers up to date follows
                # the one that showed the last edit.
                _wait_for(lambda made=edit: _idle(output, made), server, output, timeout_s=300)
                marker = f"Preview edit {edit}, {time.time_ns()}."  # new in a kept archive too
                rebuilds_before = len(_preview_updates(output))
                _edit_one_paper(root, marker)
                saved = time.perf_counter()
                _wait_for(
                    lambda shown=marker: shown in (_fetch(page) or ""),
                    server,
                    output,
                    timeout_s=300,
                )
                latencies.append(time.perf_counter() - saved)
                _wait_for(
                    lambda n=rebuilds_before: len(_preview_updates(output)) > n,
                    server,
                    output,
                    timeout_s=60,
                )
                regenerations.append(_preview_updates(output)[rebuilds_before])
        finally:
            server.terminate()
            server.wait(timeout=60)
    return latencies, regenerations


def _preview_updates(output: IO[bytes]) -> list[tuple[float, int]]:
    """(generate seconds, pages changed) of each rebuild the preview printed, in order."""
    return [
        (float(seconds), int(pages))
        for seconds, pages in re.findall(
            r"Preview updated in [\d.]+ s \(generate ([\d.]+) s: (\d+) page", _printed(output)
        )
    ]


def _idle(output: IO[bytes], edits_made: int) -> bool:
    """True once the preview finished a rebuild (MkDocs' included) for the first build,
    each edit, and each follow-up it announced."""
    follow_ups = _printed(output).count("Related papers are updated next.")
    return len(_preview_updates(output)) >= 1 + edits_made + follow_ups


def _printed(output: IO[bytes]) -> str:
    output.seek(0)
    return output.read().decode("utf-8", "replace")


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (OSError, urllib.error.URLError):
        return None


def _wait_for(
    condition: Callable[[], bool],
    server: subprocess.Popen[bytes],
    output: IO[bytes],
    timeout_s: float,
) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if server.poll() is not None or time.perf_counter() > deadline:
            raise SystemExit(f"paper-archive serve failed:\n{_printed(output)}")
        time.sleep(0.05)


def _paper_page_sizes(site: Path) -> tuple[float, float]:
    sizes = [page.stat().st_size / 1024 for page in site.glob("papers/*/index.html")]
    return statistics.median(sizes), max(sizes)


def _tree_megabytes(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def queries_for(root: Path) -> dict[str, str]:
    """What readers type: a rare family name (finding one paper), the most common family
    name and a topic (each matching over a tenth of the archive at 10,000 papers)."""
    counts: dict[str, int] = {}
    for path in (root / "papers").glob("bench-*.yaml"):
        for name in yaml.safe_load(path.read_text(encoding="utf-8"))["authors"]:
            family = name.split()[-1]
            counts[family] = counts.get(family, 0) + 1
    ranked = sorted(counts, key=lambda family: (counts[family], family))
    return {"rare name": ranked[0], "common name": ranked[-1], "topic": "mixture of experts"}


_RESULT_CLOCK = """
() => {
  window.__bench = { lastKey: 0, firstResult: 0 };
  document.addEventListener("keydown", () => {
    window.__bench.lastKey = performance.now();
    window.__bench.firstResult = 0;
  }, true);
  const list = document.querySelector(".md-search-result__list");
  new MutationObserver(() => {
    if (window.__bench.lastKey && !window.__bench.firstResult && list.children.length) {
      window.__bench.firstResult = performance.now();
    }
  }).observe(list, { childList: true });
}
"""
# What search alone costs a reader: ours (Pagefind and the box's script and style) or Material's
# (worker, lunr, index); the rest of the page is the same either way.
_SEARCH_URL = re.compile(
    r"/(pagefind|search)/|/(javascripts|stylesheets)/search\.|/workers/search\.|/lunr/"
)


def measure_search(site: Path, query: str, timeout_s: float = 120) -> SearchFigures:
    """Type `query` into the header search of a fresh reader; median of `QUERY_RUNS`."""
    from playwright.sync_api import sync_playwright

    kilobytes, latencies, results = [], [], 0
    with serve_directory(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(QUERY_RUNS):
            context = browser.new_context()
            page = context.new_page()
            responses: list = []

            def record(response, responses: list = responses) -> None:  # type: ignore[no-untyped-def]
                responses.append(
                    response
                )  # bodies are read later: not inside Playwright's callback

            context.on("response", record)  # the page's requests and its workers'
            page.goto(base, wait_until="load")
            page.evaluate(_RESULT_CLOCK)
            page.keyboard.press("/")
            page.keyboard.type(query, delay=TYPING_DELAY_MS)
            page.wait_for_function(
                "() => window.__bench.firstResult > 0"
                " && document.querySelector('.md-search-result__list').textContent.length > 0",
                timeout=timeout_s * 1000,
            )
            latencies.append(page.evaluate("window.__bench.firstResult - window.__bench.lastKey"))
            page.wait_for_load_state("networkidle")
            fetched = [
                len(r.body()) for r in responses if _SEARCH_URL.search(r.url) and r.status == 200
            ]
            kilobytes.append(sum(fetched) / 1024)
            results = page.locator(".md-search-result__item").count()
            context.close()
        browser.close()
    return SearchFigures(statistics.median(kilobytes), statistics.median(latencies), results)


def _material_variant(root: Path) -> Path:
    """A copy of the project searching with Material's own plugin instead of Pagefind."""
    variant = root.with_name(root.name + "-material")
    shutil.rmtree(variant, ignore_errors=True)
    variant.mkdir()
    for name in ("mkdocs.yml", "theme_overrides"):
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, variant / name)
    shutil.rmtree(variant / "theme_overrides" / "partials")
    config = (variant / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"extra_javascript:\n(?:  - .*\n)+", "", config)
    config = config.replace("plugins: []", "plugins:\n  - search")
    config = config.replace("docs_dir: build/docs", f"docs_dir: {root / 'build' / 'docs'}")
    (variant / "mkdocs.yml").write_text(config, encoding="utf-8")
    return variant


BENCH_ENVIRONMENT = {
    "SOURCE_DATE_EPOCH": "1762992000",
    "LC_ALL": "C.UTF-8",
    "NO_MKDOCS_2_WARNING": "1",
}
INDEX_ONLY = (
    "import sys; from pathlib import Path; from generator.search import index_site;"
    " index_site(Path(sys.argv[1]))"
)


def measure_size(workdir: Path, count: int, material: bool, progress: Progress) -> SizeFigures:
    """Every figure for an archive of `count` papers, built under `workdir`; each step is
    shown on `progress` as it runs."""
    root = workdir / f"archive-{count}"
    environment = {**os.environ, **BENCH_ENVIRONMENT}

    def step(name: str) -> Step:
        return progress.step(f"[{count:,} papers] {name}", f"{name} ({count:,})")

    def timed(name: str, command: list[str], cwd: Path = root) -> Run:
        with step(name):
            return run(command, cwd, environment)

    with step("writing the synthetic archive"):
        make_project(root, count)
    cold = timed("generate, cold", _cli(root, "generate"))
    again = timed("generate, nothing changed", _cli(root, "generate"))
    before = _modification_times(root / "build" / "docs")
    _edit_one_paper(root)
    edit = timed("generate, one abstract edited", _cli(root, "generate"))
    rewritten = _changed_since(root / "build" / "docs", before)
    build = timed("paper-archive build", _cli(root, "build"))
    bare_site = workdir / f"bare-{count}"
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(bare_site)]
    bare = timed("bare mkdocs build", mkdocs)
    indexing = timed(
        "Pagefind alone", [sys.executable, "-c", INDEX_ONLY, str(bare_site)], REPO_ROOT
    )
    shutil.rmtree(bare_site)
    queries = queries_for(root)
    with step("paper-archive serve, abstract edits"):
        preview, preview_generate = measure_preview(root, environment)
    with step("first searches in Chromium"):
        search = {kind: measure_search(root / "site", query) for kind, query in queries.items()}
    figures = SizeFigures(
        papers=count,
        generate_cold=cold,
        generate_again=again,
        generate_edit=edit,
        rewritten=rewritten,
        build=build,
        bare=bare,
        pagefind=indexing,
        site_mb=_tree_megabytes(root / "site"),
        paper_html_kb=_paper_page_sizes(root / "site"),
        search=search,
        preview=preview,
        preview_generate=preview_generate,
        notes=[f"queries {queries}"],
    )
    if material:
        variant, material_site = _material_variant(root), workdir / f"material-{count}"
        material_build = timed(
            "mkdocs build, Material's search", [*mkdocs[:-1], str(material_site)], variant
        )
        index_mb = (material_site / "search" / "search_index.json").stat().st_size / 1e6
        with step("first searches with Material's search"):
            material_search = {
                kind: measure_search(material_site, query, timeout_s=300)
                for kind, query in queries.items()
            }
        figures.material = (material_build, index_mb, material_search)
        shutil.rmtree(material_site)
    return figures


def _modification_times(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*") if path.is_file()}


def _changed_since(folder: Path, before: dict[Path, int]) -> list[str]:
    after = _modification_times(folder)
    changed = [path for path, mtime in after.items() if before.get(path) != mtime]
    return sorted(path.relative_to(folder).as_posix() for path in changed)


# --- report -----------------------------------------------------------------------------


def _row(
    label: str, figures: list[SizeFigures], value: Callable[[SizeFigures], str], target: str = ""
) -> list[str]:
    return [label, *(value(f) for f in figures), target]


def _searches(figures: SizeFigures, engine: str) -> dict[str, SearchFigures]:
    return figures.search if engine == "search" else figures.material[2]  # type: ignore[index]


def _kilobytes(engine: str) -> Callable[[SizeFigures], str]:
    return lambda f: f"{_searches(f, engine)['rare name'].kilobytes:,.0f}"


def _latency(engine: str, kind: str) -> Callable[[SizeFigures], str]:
    return lambda f: f"{_searches(f, engine)[kind].latency_ms:,.0f}"


def table(figures: list[SizeFigures]) -> str:
    """The results as one Markdown table, with the target each row is held to."""
    rows = [
        _row("generate, cold (s)", figures, lambda f: f"{f.generate_cold.seconds:.2f}"),
        _row(
            "generate again, nothing changed (s)",
            figures,
            lambda f: f"{f.generate_again.seconds:.2f}",
        ),
        _row(
            "generate after one abstract edited, in a new process (s)",
            figures,
            lambda f: f"{f.generate_edit.seconds:.2f}",
            "figure; ≤ 1 s is held by the preview (below)",
        ),
        _row(
            "files rewritten by that edit",
            figures,
            lambda f: str(len(f.rewritten)),
            "only those showing it",
        ),
        _row(
            "`paper-archive serve`: saved edit to served page, median / max (s)",
            figures,
            lambda f: f"{statistics.median(f.preview):.1f} / {max(f.preview):.1f}",
            "≤ 3 s",
        ),
        _row(
            "its regeneration after that edit, median / max (s); pages rewritten",
            figures,
            lambda f: (
                f"{statistics.median(s for s, _ in f.preview_generate):.2f}"
                f" / {max(s for s, _ in f.preview_generate):.2f}; "
                + ", ".join(sorted({str(n) for _, n in f.preview_generate}))
            ),
            "≤ 1 s",
        ),
        _row("full `paper-archive build` (s)", figures, lambda f: f"{f.build.seconds:.1f}"),
        _row(
            "bare `mkdocs build` of the same pages (s)",
            figures,
            lambda f: f"{f.bare.seconds:.1f}",
            "reference",
        ),
        _row("Pagefind indexing alone (s)", figures, lambda f: f"{f.pagefind.seconds:.1f}"),
        _row(
            "generate as % of bare build",
            figures,
            lambda f: f"{100 * f.generate_cold.seconds / f.bare.seconds:.0f} %",
            "≤ 10 %",
        ),
        _row(
            "peak memory: generate / bare mkdocs / full build (MB)",
            figures,
            lambda f: " / ".join(
                f"{run.max_rss_mb:.0f}" for run in (f.generate_cold, f.bare, f.build)
            ),
            "≤ 1,024",
        ),
        _row("site size (MB)", figures, lambda f: f"{f.site_mb:.0f}"),
        _row(
            "paper page HTML, median / largest (KB)",
            figures,
            lambda f: f"{f.paper_html_kb[0]:.1f} / {f.paper_html_kb[1]:.1f}",
            "same at any size",
        ),
        _row("first search, rare name: KB transferred", figures, _kilobytes("search"), "≤ 500 KB"),
        _row(
            "... last key to first result (ms)",
            figures,
            _latency("search", "rare name"),
            "≤ 300 ms",
        ),
        _row("... common name (ms)", figures, _latency("search", "common name"), "≤ 300 ms"),
        _row(
            "... topic, 'mixture of experts' (ms)", figures, _latency("search", "topic"), "≤ 300 ms"
        ),
    ]
    if all(f.material for f in figures):
        rows += [
            _row(
                "Material's search instead: index (MB)", figures, lambda f: f"{f.material[1]:.1f}"
            ),  # type: ignore[index]
            _row("... first search, rare name: KB", figures, _kilobytes("material")),
            _row("... last key to first result (ms)", figures, _latency("material", "rare name")),
            _row("... common name (ms)", figures, _latency("material", "common name")),
            _row("... topic (ms)", figures, _latency("material", "topic")),
        ]
    if len(figures) > 1:
        small, large = figures[0], figures[-1]
        for label, seconds in (
            ("generate", lambda f: f.generate_cold.seconds),
            ("full build", lambda f: f.build.seconds),
        ):
            ratio = f"{seconds(large) / seconds(small):.1f}"
            rows.append(
                [
                    f"time({large.papers:,}) / time({small.papers:,}): {label}",
                    *[""] * (len(figures) - 1),
                    ratio,
                    "≤ 11",
                ]
            )
    heading = ["measure", *(f"{f.papers:,} papers" for f in figures), "target"]
    lines = ["| " + " | ".join(heading) + " |", "|---" * len(heading) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def main() -> None:
    """Parse the sizes, measure each, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 10000], help="papers per archive"
    )
    parser.add_argument(
        "--material", action="store_true", help="also measure Material's own search"
    )
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep it (default: temporary)"
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paper-archive-bench-") as temporary:
        workdir = arguments.keep or Path(temporary)
        if arguments.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            workdir.mkdir(parents=True)
        with progress_to_stderr(verbosity=0) as progress:
            figures = [
                measure_size(workdir, count, arguments.material, progress)
                for count in sorted(arguments.sizes)
            ]
    load = os.getloadavg()[0]
    python = sys.version.split()[0]
    print(f"paper-archive bench: {os.cpu_count()} CPUs, load {load:.1f}, Python {python}")
    print(table(figures))
    for f in figures:
        shown = ", ".join(f.rewritten[:8]) + (", ..." if len(f.rewritten) > 8 else "")
        print(f"- {f.papers:,} papers: {'; '.join(f.notes)}; the edit rewrote {shown}")


if __name__ == "__main__":
    main()
