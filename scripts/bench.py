"""Benchmark the archive at 1,000 and 10,000 papers (`make bench`; a measurement, not a test).

Why a script and not a timed test: the figures depend on the machine, so they are printed
as one table for a person to read against the targets, and recorded in BENCHMARKS.md.

For each size it writes a synthetic archive once (bench_archive.py), then, `--runs` times
for each version of the tool, in a fresh project and each step in a fresh child process
(bench_measure.py): `generate` cold, again with nothing changed and after one abstract edit;
a bare `mkdocs build --strict` of the generated pages; Pagefind alone; a full
`paper-archive build` from nothing (its peak memory and CPU time, the site's bytes and files
per paper); `paper-archive serve` timed from saving each kind of edit to the page showing it,
with the preview's own regeneration; and a reader's first searches in headless Chromium.

`--compare REV` measures REV's code too, in the same run on the same archive: its tree is
exported with `git archive` into a temporary folder and run from there (by this interpreter
when its pinned dependencies are the same, else from a venv made from its own lock). The
versions alternate (old, new, then new, old, ...), so a slow minute of the machine falls on
both, and the table gives each one's median and the ratio new/old.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench_archive import EDITS, apply_edit, make_project, write_papers  # noqa: E402
from bench_measure import (  # noqa: E402
    Code,
    index_only,
    interpreter_imports,
    measure_preview,
    measure_search,
    run,
)

from generator.progress import Progress, progress_to_stderr  # noqa: E402

Figures = dict[str, float]
"""One run of one version at one size: measure key -> value."""


@dataclass(frozen=True)
class Measure:
    """A row of the table: how to show the value, and the target it is held to."""

    key: str
    label: str
    digits: int
    target: str = ""


MEASURES = [
    Measure("generate", "generate, cold (s)", 2),
    Measure("generate_again", "generate again, nothing changed (s)", 2),
    Measure("generate_edit", "generate after one abstract edit, new process (s)", 2),
    Measure("mkdocs", "bare `mkdocs build --strict` of the generated pages (s)", 1),
    Measure("pagefind", "Pagefind indexing alone (s)", 1),
    Measure("build", "full `paper-archive build` from nothing (s)", 1, "< 300 at 50,000"),
    Measure("build_cpu", "... its CPU time, every process, user and system (s)", 1),
    Measure("build_mb", "peak memory, full build (MB)", 0, "≤ 1,536 at 50,000"),
    Measure("generate_mb", "peak memory, generate (MB)", 0),
    Measure("site_kb", "site bytes per paper (KB)", 1, "≤ 25"),
    Measure("files", "site files per paper", 2),
    Measure("paper_kb", "paper page HTML, median (KB)", 1),
    *(
        measure
        for kind in EDITS
        for measure in (
            Measure(f"to_page {kind}", f"preview, {kind} edited: save to page (s)", 1, "≤ 3"),
            Measure(f"regenerate {kind}", "... the preview's rebuild (s)", 2),
            Measure(f"pages {kind}", "... pages the generator rewrote", 0),
        )
    ),
    Measure("search_kb", "first search, rare name: KB transferred", 0, "≤ 500 at 10,000"),
    Measure("search rare name", "... last key to first result (ms)", 0, "≤ 300 at 10,000"),
    Measure("search common name", "... common name (ms)", 0, "≤ 300 at 10,000"),
    Measure("search topic", "... topic, 'mixture of experts' (ms)", 0, "≤ 300 at 10,000"),
]


PREVIEW_KEYS = ("to_page ", "regenerate ", "pages ")
"""The rows `--only preview` measures."""


def measure_once(
    code: Code, papers: Path, workdir: Path, number: int, progress: Progress, only: str | None
) -> Figures:
    """Every figure for one version on one archive (or those of `only` one part), in
    projects made for this run alone."""
    count = len(list(papers.glob("*.yaml")))
    environment = code.environment()
    figures: Figures = {}
    if only == "preview":
        root = make_project(workdir / f"preview-{number}", papers, code.tree)
        figures.update(_preview_figures(code, root, number, count, progress))
        shutil.rmtree(root)
        return figures

    def timed(name: str, command: list[str], cwd: Path) -> float:
        with progress.step(f"[{count:,} papers, {code.label}, run {number}] {name}", name):
            done = run(command, cwd, environment)
        figures[f"{name}_mb"] = done.max_rss_mb
        figures[f"{name}_cpu"] = done.cpu_seconds
        return done.seconds

    stages = make_project(workdir / f"stages-{number}", papers, code.tree)
    figures["generate"] = timed("generate", code.cli(stages, "generate"), stages)
    figures["generate_again"] = timed("generate_again", code.cli(stages, "generate"), stages)
    apply_edit(stages, "an abstract", "", f"Benchgenerate{number}")
    figures["generate_edit"] = timed("generate_edit", code.cli(stages, "generate"), stages)
    bare = workdir / f"bare-{number}"
    mkdocs = [code.python, "-m", "mkdocs", "build", "--strict", "--site-dir", str(bare)]
    figures["mkdocs"] = timed("mkdocs", mkdocs, stages)
    figures["pagefind"] = timed("pagefind", index_only(code, bare), stages)
    shutil.rmtree(stages)
    shutil.rmtree(bare)

    root = make_project(workdir / f"build-{number}", papers, code.tree)
    figures["build"] = timed("build", code.cli(root, "build"), root)
    files = [path for path in (root / "site").rglob("*") if path.is_file()]
    figures["site_kb"] = sum(path.stat().st_size for path in files) / 1000 / count
    figures["files"] = len(files) / count
    figures["paper_kb"] = statistics.median(
        page.stat().st_size / 1000 for page in (root / "site").glob("papers/*/index.html")
    )
    for kind, query in queries_for(root).items():
        with progress.step(f"[{count:,} papers, {code.label}] first search, {kind}", "search"):
            search = measure_search(root / "site", query)
        figures[f"search {kind}"] = search.latency_ms
        if kind == "rare name":
            figures["search_kb"] = search.kilobytes
    figures.update(_preview_figures(code, root, number, count, progress))
    shutil.rmtree(root)
    return figures


def _preview_figures(
    code: Code, root: Path, number: int, count: int, progress: Progress
) -> Figures:
    """Save to page, the preview's rebuild and the pages rewritten, for each kind of edit."""
    figures: Figures = {}
    with progress.step(f"[{count:,} papers, {code.label}] preview, each kind of edit", "serve"):
        for kind, edit in measure_preview(code, root, number).items():
            figures[f"to_page {kind}"] = edit.to_page
            if edit.regenerate is not None:
                figures[f"regenerate {kind}"] = edit.regenerate
            if edit.pages is not None:
                figures[f"pages {kind}"] = edit.pages
    return figures


def queries_for(root: Path) -> dict[str, str]:
    """What readers type: a rare family name (finding one paper), the most common family
    name and a topic (each matching over a tenth of the archive at 10,000 papers)."""
    import yaml

    counts: dict[str, int] = {}
    for path in (root / "papers").glob("bench-*.yaml"):
        for name in yaml.safe_load(path.read_text(encoding="utf-8"))["authors"]:
            family = name.split()[-1]
            counts[family] = counts.get(family, 0) + 1
    ranked = sorted(counts, key=lambda family: (counts[family], family))
    return {"rare name": ranked[0], "common name": ranked[-1], "topic": "mixture of experts"}


# --- the versions ---------------------------------------------------------------------


def _git(*arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO_ROOT), *arguments], capture_output=True, text=True, check=True
    ).stdout.strip()


def _pins(tree: Path) -> list[str]:
    with (tree / "pyproject.toml").open("rb") as handle:
        return sorted(tomllib.load(handle)["project"]["dependencies"])


def working_tree() -> Code:
    """The code in this checkout, run by this interpreter."""
    dirty = "+" if _git("status", "--porcelain", "--untracked-files=no") else ""
    return Code(f"new {_git('rev-parse', '--short', 'HEAD')}{dirty}", REPO_ROOT, sys.executable)


def exported(revision: str, folder: Path, progress: Progress) -> Code:
    """REVISION's code exported into `folder`, with an interpreter that runs it."""
    commit = _git("rev-parse", "--verify", f"{revision}^{{commit}}")
    tree = folder / "tree"
    tree.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", "--format=tar", commit],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    python = sys.executable
    if _pins(tree) != _pins(REPO_ROOT):
        with progress.step(f"a venv for {revision}'s own dependencies", "venv"):
            python = _venv_for(tree, folder / "venv")
    code = Code(f"old {commit[:7]}", tree, python)
    found = interpreter_imports(code)
    if found != tree:
        raise SystemExit(f"{revision}: the interpreter imports generator from {found}, not {tree}")
    return code


def _venv_for(tree: Path, venv: Path) -> str:
    """A venv holding `tree`'s dependencies: from its lock when it has one."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    lock = tree / "requirements" / "lock.txt"
    if lock.is_file():
        subprocess.run([*pip, "--require-hashes", "-r", str(lock)], check=True)
    else:
        subprocess.run([*pip, str(tree)], check=True)
    return str(venv / "bin" / "python")


# --- report -----------------------------------------------------------------------------


def _median(runs: list[Figures], key: str) -> float | None:
    values = [figures[key] for figures in runs if key in figures]
    return statistics.median(values) if values else None


def _shown(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def table(
    results: dict[int, dict[str, list[Figures]]], codes: list[Code], only: str | None = None
) -> str:
    """One Markdown table: per size, each version's median (and new/old when comparing);
    with `only`, the rows of that part alone."""
    heading = ["measure"]
    for count in results:
        heading += [f"{count:,}: {code.label}" for code in codes]
        if len(codes) == 2:
            heading.append(f"{count:,}: new/old")
    heading.append("target")
    lines = ["| " + " | ".join(heading) + " |", "|---" * len(heading) + "|"]
    for measure in MEASURES:
        if only == "preview" and not measure.key.startswith(PREVIEW_KEYS):
            continue
        row = [measure.label]
        for by_code in results.values():
            medians = [_median(by_code[code.label], measure.key) for code in codes]
            row += [_shown(value, measure.digits) for value in medians]
            if len(codes) == 2:
                old, new = medians
                row.append(f"{new / old:.2f}" if old and new is not None else "n/a")
        lines.append("| " + " | ".join([*row, measure.target]) + " |")
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments, measure every size with every version, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(size) for size in text.split(",")],
        nargs="+",
        default=[[1000, 10000]],
        help="papers per archive: 1000,10000 or 1000 10000 (the default)",
    )
    parser.add_argument("--runs", type=int, default=1, help="runs of each version (medians)")
    parser.add_argument(
        "--compare", metavar="REV", help="also measure this git revision's code, alternating"
    )
    parser.add_argument(
        "--only",
        choices=["preview"],
        help="measure only this part (the preview: from a project never built)",
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
            codes = [working_tree()]
            if arguments.compare:
                codes.insert(0, exported(arguments.compare, workdir / "old", progress))
            results: dict[int, dict[str, list[Figures]]] = {}
            for count in sorted({n for sizes in arguments.sizes for n in sizes}):
                with progress.step(f"[{count:,} papers] writing the synthetic archive", "write"):
                    papers = write_papers(workdir / f"papers-{count}", count)
                results[count] = {code.label: [] for code in codes}
                for number in range(1, arguments.runs + 1):
                    order = codes if number % 2 else codes[::-1]
                    for code in order:
                        scratch = workdir / f"{count}-{code.label.split()[0]}"
                        scratch.mkdir()
                        results[count][code.label].append(
                            measure_once(code, papers, scratch, number, progress, arguments.only)
                        )
                        shutil.rmtree(scratch)
                shutil.rmtree(papers)
    print(
        f"paper-archive bench: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f},"
        f" Python {sys.version.split()[0]}; medians of {arguments.runs} run(s) each"
    )
    print(f"Command: python scripts/bench.py {' '.join(sys.argv[1:])}")
    print(table(results, codes, arguments.only))


if __name__ == "__main__":
    main()
