"""Related papers: what a reader would expect, never self, deterministic, and sane at scale."""

from __future__ import annotations

import dataclasses
import datetime
import random

import pytest

from generator.index import RELATED_COUNT
from generator.model import Paper
from generator.pipeline import Project, load_archive, load_project
from generator.related import related_papers, tokenize
from tests.conftest import BUNDLED_PAPERS, copy_project


def paper(
    paper_id: str,
    title: str,
    abstract: str | None = None,
    authors: tuple[str, ...] = ("Ann Lee",),
    tags: tuple[str, ...] = ("misc",),
) -> Paper:
    return Paper(
        id=paper_id,
        title=title,
        authors=authors,
        date=datetime.date(2024, 1, 1),
        tags=tags,
        abstract=abstract,
    )


ARCHIVE = (
    paper(
        "flash-attention",
        "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
        "Transformers are slow on long sequences. We make the attention kernel IO-aware: "
        "tiling reduces reads and writes between GPU high bandwidth memory and on-chip SRAM.",
        authors=("Tri Dao", "Dan Fu"),
        tags=("llm-inference",),
    ),
    paper(
        "flash-decoding",
        "Flash-Decoding for Long-Context Inference",
        "Decoding reads the whole KV cache at every step. Splitting the keys and values over "
        "thread blocks, with the same tiling of the attention kernel, keeps the GPU busy.",
        authors=("Ed Reed",),
        tags=("llm-inference",),
    ),
    paper(
        "paged-attention",
        "vLLM: Serving Large Language Models from a Paged KV Cache",
        "Serving systems waste KV cache space on fragmentation. Paging the cache in fixed-size "
        "blocks, as an operating system pages virtual memory, raises serving throughput.",
        authors=("Woosuk Kwon",),
        tags=("llm-inference",),
    ),
    paper(
        "data-pruning",
        "Beyond Neural Scaling Laws: Beating Power Law Scaling via Data Pruning",
        "Error falls off as a power law of dataset size. A good pruning metric that ranks "
        "training examples by difficulty beats the power law with far less data.",
        authors=("Ben Sorscher",),
        tags=("data-selection",),
    ),
    paper(
        "less",
        "LESS: Selecting Influential Data for Targeted Instruction Tuning",
        "Instruction tuning on a few influential examples beats tuning on the full dataset: "
        "we rank training examples by gradient similarity to a handful of target examples.",
        authors=("Mengzhou Xia",),
        tags=("data-selection", "instruction-tuning"),
    ),
    paper(
        "coral-bleaching",
        "Coral Reef Bleaching Under Marine Heatwaves",
        "Sea surface temperature anomalies predict bleaching of reef-building corals.",
        authors=("Ove Hoegh",),
        tags=("ecology",),
    ),
)


def test_shared_rare_words_rank_first() -> None:
    related = related_papers(ARCHIVE)
    assert related["flash-attention"][0] == "flash-decoding"  # tiling, attention kernel
    assert related["flash-decoding"][0] == "flash-attention"
    assert related["data-pruning"][0] == "less"  # ranking training examples, dataset
    assert related["paged-attention"][0] == "flash-decoding"  # kv cache, blocks, serving


def test_a_paper_sharing_nothing_is_related_to_nothing() -> None:
    related = related_papers(ARCHIVE)
    assert related["coral-bleaching"] == ()
    assert not any("coral-bleaching" in ids for ids in related.values())


def test_a_shared_author_outranks_an_equally_similar_stranger() -> None:
    text = "Selective state spaces scan long sequences in linear time."
    papers = (
        paper("mamba", "Mamba", text, authors=("Tri Dao", "Albert Gu")),
        paper("a-stranger", "Mamba", text, authors=("Zoe Park",)),
        paper("b-colleague", "Mamba", text, authors=("Albert Gu",)),
    )
    assert related_papers(papers)["mamba"] == ("b-colleague", "a-stranger")


def test_equal_scores_are_ordered_by_id() -> None:
    papers = [paper(paper_id, "Bilevel optimisation", authors=()) for paper_id in "dbca"]
    related = related_papers(papers)
    assert related["b"] == ("a", "c", "d")
    assert related["d"] == ("a", "b", "c")


def test_count_is_respected_and_self_never_included() -> None:
    full = related_papers(ARCHIVE, count=5)
    for count in (0, 1, 2, 3):
        related = related_papers(ARCHIVE, count=count)
        assert list(related) == sorted(p.id for p in ARCHIVE)
        assert related == {paper_id: ids[:count] for paper_id, ids in full.items()}
    assert all(paper_id not in ids for paper_id, ids in full.items())
    assert all(len(set(ids)) == len(ids) for ids in full.values())


def test_same_papers_in_any_order_give_the_same_result() -> None:
    expected = related_papers(ARCHIVE)
    for seed in range(5):
        shuffled = list(ARCHIVE)
        random.Random(seed).shuffle(shuffled)
        assert related_papers(shuffled) == expected


def test_papers_without_abstract_match_on_title_tags_and_authors() -> None:
    papers = (
        paper("bilevel-1", "Bi-level Optimization under Unbounded Smoothness", tags=("opt",)),
        paper("bilevel-2", "Scalable Bilevel Optimization for Data Reweighting", tags=("opt",)),
        paper("retrieval", "Scaling Retrieval Datastores", authors=("Ann Lee", "Bo Wu")),
        paper("retrieval-2", "Dense Passage Retrieval", authors=("Bo Wu",), tags=("ir",)),
    )
    related = related_papers(papers)
    assert related["bilevel-1"][0] == "bilevel-2"  # `bi-level` matches `bilevel`
    assert related["retrieval-2"] == ("retrieval",)


def test_tiny_archives() -> None:
    assert related_papers([]) == {}
    assert related_papers(ARCHIVE[:1]) == {"flash-attention": ()}
    two = (paper("x", "Graph learning"), paper("y", "Graph learning"))
    assert related_papers(two) == {"x": ("y",), "y": ("x",)}


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="'count' must be at least 0, got -1"):
        related_papers(ARCHIVE, count=-1)
    with pytest.raises(ValueError, match="got 'less' more than once"):
        related_papers((*ARCHIVE, ARCHIVE[4]))


def test_tokenize_drops_latex_markdown_stopwords_and_numbers() -> None:
    text = (
        "We scale **Bi-level** LLMs to $\\sim$30B on $8\\times$H100 accelerators in 2024 "
        "([code](https://github.com/x/y), <b>strategies</b>, $\\mathcal{O}(n^2)$)."
    )
    assert tokenize(text) == [
        "scale", "bi", "level", "bilevel", "llm", "30b", "h100", "accelerator", "code", "strategy",
    ]  # fmt: skip
    assert tokenize("Café—Résumé, naïve") == ["café", "résumé", "naïve"]


def test_two_thousand_papers_from_the_sample_abstracts(sample_project: Project) -> None:
    archive, _ = load_archive(sample_project)
    bundled = sorted(archive.papers, key=lambda p: p.id)
    # Each sample paper 25 or 26 times over: a paper's copies are its most similar papers
    # (cosine 1), so its related papers are its first copies by id.
    copies = [
        dataclasses.replace(source, id=f"{source.id}--{i // len(bundled):02d}")
        for i, source in ((i, bundled[i % len(bundled)]) for i in range(2000))
    ]
    related = related_papers(copies)
    assert related == related_papers(list(reversed(copies)))
    assert list(related) == sorted(p.id for p in copies)
    copies_of: dict[str, list[str]] = {}
    for copy in copies:
        copies_of.setdefault(copy.id.split("--")[0], []).append(copy.id)
    for paper_id, ids in related.items():
        siblings = sorted(copies_of[paper_id.split("--")[0]])
        assert ids == tuple(i for i in siblings if i != paper_id)[:5]


def test_related_papers_of_the_sample_archive_are_reasonable(sample_project: Project) -> None:
    archive, _ = load_archive(sample_project)
    related = related_papers(archive.papers)
    titles = {p.id: p.title for p in archive.papers}
    assert all(len(ids) <= 5 for ids in related.values())
    by_id = {p.id: p for p in archive.papers}
    assert all(any(by_id[i].shared_with(by_id[o])) for i, ids in related.items() for o in ids)
    assert all(
        "Bilevel" in titles[i] or "Bi-Level" in titles[i]
        for i in related["scalebio-scalable-bilevel-optimization-for-llm-data"][:2]
    )


def test_words_alone_do_not_make_a_paper_related() -> None:
    text = "Sparse mixture of experts routes tokens to experts with a learned gating network."
    papers = (
        paper("moe", "Mixture of Experts Routing", text, authors=("Ann Lee",), tags=("moe",)),
        # The same words, but no tag or author in common: a stranger.
        paper("stranger", "Mixture of Experts Routing", text, authors=("Bo Wu",), tags=("x",)),
        # A tag in common and some of the words: related.
        paper(
            "colleague",
            "Expert Gating for Sparse Models",
            "A learned gating network routes tokens.",
            authors=("Cy Ng",),
            tags=("moe", "x"),
        ),
    )
    related = related_papers(papers)
    assert related["moe"] == ("colleague",)
    assert related["stranger"] == ("colleague",)
    assert related["colleague"] == ("moe", "stranger")


def test_a_shared_tag_and_nothing_else_is_too_weak() -> None:
    # Six papers with much to say share a broad tag and no words; each shares its words and
    # a tag with a partner of its own. As in a real archive, the tag is one term of many.
    topics = ("alpha", "beta", "gamma", "delta", "omega", "sigma")
    papers = [
        paper(
            f"{topic}-{role}",
            topic.title(),
            " ".join(f"{topic}{i}" for i in range(30)),
            authors=(f"{topic} {role}",),
            tags=(topic, "broad") if role == "main" else (topic,),
        )
        for topic in topics
        for role in ("main", "partner")
    ]
    related = related_papers(papers)
    assert {topic: related[f"{topic}-main"] for topic in topics} == {
        topic: (f"{topic}-partner",) for topic in topics
    }


def test_shared_with_says_why_in_the_papers_order() -> None:
    one = paper("a", "A", authors=("Hamish Ivison", "Ann Lee"), tags=("data-selection", "llm"))
    two = paper("b", "B", authors=("ann  LEE", "Zoe Park", "Hamish Ivison"), tags=("llm", "rl"))
    assert one.shared_with(two) == (("llm",), ("Hamish Ivison", "Ann Lee"))
    assert one.shared_with(paper("c", "C", authors=("Bo Wu",), tags=("rl",))) == ((), ())


@pytest.mark.bundled
def test_related_papers_of_the_bundled_archive_share_a_tag(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The issue's measure: of all related links, the share whose papers have a tag in common."""
    archive, _ = load_archive(load_project(copy_project(tmp_path / "archive", BUNDLED_PAPERS)))
    by_id = {p.id: p for p in archive.papers}
    related = related_papers(archive.papers, RELATED_COUNT)
    links = [(by_id[i], by_id[o]) for i, ids in related.items() for o in ids]
    sharing = sum(bool(set(a.tags) & set(b.tags)) for a, b in links)
    fewer = sum(len(ids) < RELATED_COUNT for ids in related.values())
    print(
        f"\nrelated links sharing a tag: {sharing} of {len(links)}"
        f" ({sharing / max(len(links), 1):.1%}); papers with fewer than {RELATED_COUNT}: {fewer}"
        f" of {len(related)}"
    )
    assert len(related) == len(by_id)
    assert sharing >= 0.9 * len(links)
