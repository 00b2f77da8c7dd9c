"""The archive checks (the tests marked `bundled`) hold for any archive, not only the 79
example papers: run in a copy of the repository whose `papers/` holds a fork's own three
papers, or none, they pass. This is what a fork's CI runs on its own archive."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

FORK_TAGS = """\
language-models:
  title: Language models
  description: Models of text, and how they are trained.
  keywords: [language model, pre-training]
vision:
  title: Vision
  description: Models of images.
  keywords: [image, convolution]
"""

FORK_PAPERS = {
    "attention-is-all-you-need.yaml": """\
title: Attention Is All You Need
authors:
- Ashish Vaswani
- Noam Shazeer
- Niki Parmar
date: 2017-06-12
abstract: A sequence model built on attention alone, with no recurrence; $O(n^2)$ in length.
tags:
- language-models
arxiv: '1706.03762'
venue: NeurIPS 2017
""",
    "deep-residual-learning.yaml": """\
title: Deep Residual Learning for Image Recognition
authors:
- Kaiming He
- Xiangyu Zhang
date: 2015-12-10
abstract: Layers learn residuals to their inputs, so networks of 150 layers & more still train.
tags:
- vision
doi: 10.1109/CVPR.2016.90
venue: CVPR 2016
""",
    "bert.yaml": """\
title: 'BERT: Pre-training of Deep Bidirectional Transformers'
authors:
- Jacob Devlin
- Ming-Wei Chang
- Kristina Toutanova
date: 2018-10-11
abstract: A language model pre-trained to fill in masked words, then fine-tuned per task.
tags:
- language-models
arxiv: '1810.04805'
""",
}


def _repository_copy(destination: Path) -> Path:
    """Copy the files git would commit (tracked and new, not ignored) to `destination`."""
    if shutil.which("git") is None or not (REPO_ROOT / ".git").exists():
        pytest.skip("needs the repository as a git checkout, to know which files are its own")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():  # a tracked file deleted in the work tree is not copied
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


@pytest.mark.parametrize("papers", [FORK_PAPERS, {}], ids=["three-papers", "no-papers"])
def test_archive_checks_pass_for_a_forks_own_papers(tmp_path: Path, papers: dict[str, str]) -> None:
    fork = _repository_copy(tmp_path / "fork")
    shutil.rmtree(fork / "papers")
    (fork / "papers").mkdir()
    (fork / "papers" / "_tags.yaml").write_text(FORK_TAGS, encoding="utf-8")
    for name, text in papers.items():
        (fork / "papers" / name).write_text(text, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "bundled", "-q", "-p", "no:cacheprovider"],
        cwd=fork,
        capture_output=True,
        text=True,
        check=False,
    )
    transcript = completed.stdout + completed.stderr
    assert completed.returncode == 0, transcript
    assert " passed" in transcript, transcript
    # The one check a fork may skip: the list of bundled examples, once they were removed.
    skips = [line for line in transcript.splitlines() if line.startswith("SKIPPED")]
    assert all("no papers/_examples.sha256" in line for line in skips), transcript
