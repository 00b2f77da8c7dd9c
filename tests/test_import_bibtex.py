"""BibTeX importer: every quirk of real exports, on a hand-made file and on four real ones."""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

import pytest

from generator.errors import UnreadableImport
from generator.importers.bibtex import parse_bibtex
from generator.importers.candidate import Batch, Candidate
from generator.model import Link

FIXTURES = Path(__file__).parent / "fixtures" / "import" / "bibtex"


def parse_fixture(name: str, crlf: bool = False) -> Batch:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return parse_bibtex(text.replace("\n", "\r\n") if crlf else text, name)


def by_key(batch: Batch) -> dict[str, Candidate]:
    """Candidates by citation key (the text between `{` and `}` of their source)."""
    return {c.source.split("{", 1)[1].rstrip("}"): c for c in batch.candidates}


@pytest.fixture(scope="module")
def exports() -> dict[str, Candidate]:
    return by_key(parse_fixture("exports.bib"))


def test_fixture_counts_and_skips_with_key_line_and_reason() -> None:
    batch = parse_fixture("exports.bib")
    assert (batch.seen, len(batch.candidates)) == (13, 8)
    assert [(s.source, s.reason) for s in batch.skipped] == [
        ("exports.bib:77 @article{notitle}", "no title"),
        ("exports.bib:78 @book{editorsonly}", "no authors (only editors)"),
        ("exports.bib:79 @misc{noyear}", "no year or date"),
        ("exports.bib:80 @misc{inpress}", "year 'in press' is not a year"),
        ("exports.bib:81 @article{vaswani2017}", "key used twice; the first entry was read"),
    ]


def test_crlf_line_endings_give_the_same_result() -> None:
    assert parse_fixture("exports.bib", crlf=True) == parse_fixture("exports.bib")


def test_upper_case_type_last_first_names_month_macro_and_doi_prefix(
    exports: dict[str, Candidate],
) -> None:
    paper = exports["vaswani2017"]
    assert paper.source == "exports.bib:5 @article{vaswani2017}"  # @ARTICLE
    assert paper.title == "Attention Is All You Need"  # protective braces dropped
    assert paper.authors == ("Ashish Vaswani", "Noam Shazeer", "Niki Parmar")
    assert paper.date == datetime.date(2017, 12, 1) and paper.remarks == ()
    assert paper.doi == "10.48550/arXiv.1706.03762"  # https://doi.org/ dropped
    assert paper.arxiv == "1706.03762"  # read from arXiv's own DOI
    assert paper.venue == "Advances in Neural Information Processing Systems"
    assert paper.abstract is None


def test_latex_accents_escapes_string_macros_and_eprint(exports: dict[str, Candidate]) -> None:
    paper = exports["mueller2020"]
    assert paper.title == "MPC & Zürich: LaTeX in Titles"
    assert paper.authors == ("Jörg Müller", "José Hernández-Lobato", "Florence d'Alché-Buc")
    assert paper.venue == "International Conference on Learning Representations"  # @string
    assert (paper.arxiv, paper.arxiv_category) == ("2001.00001", "cs.LG")
    assert paper.links == (Link("code", "https://github.com/example/mueller2020"),)
    assert (paper.date, paper.remarks) == (
        datetime.date(2020, 1, 1),
        ("date from year only (2020-01-01)",),
    )


@pytest.mark.parametrize(
    ("key", "arxiv"),
    [
        (
            "brockman2016gym",
            "1606.01540",
        ),  # eprint = {arXiv:1606.01540}, journal = {arXiv preprint ...}
        ("pilva2022", "2204.07651"),  # eprinttype = {arxiv}, eprint = {2204.07651 [cs]}
        ("DBLP:journals/corr/KingmaB14", "1412.6980"),  # DBLP: journal = {CoRR}, volume = {abs/...}
        ("baez2004", "math/0307200"),  # old-style id with a version
        ("lovelace2019", None),
    ],
)
def test_arxiv_ids_wherever_exports_put_them(
    exports: dict[str, Candidate], key: str, arxiv: str | None
) -> None:
    assert exports[key].arxiv == arxiv


def test_arxiv_is_never_a_venue(exports: dict[str, Candidate]) -> None:
    assert exports["brockman2016gym"].venue is None
    assert exports["DBLP:journals/corr/KingmaB14"].venue is None


def test_zotero_abstract_escapes_become_markdown_math(exports: dict[str, Candidate]) -> None:
    paper = exports["pilva2022"]
    assert paper.abstract == r"We learn $u_t = \Delta u$ on a grid, with norm |x| ^ 2."
    assert (paper.date, paper.remarks) == (datetime.date(2022, 4, 15), ())  # BibLaTeX date
    assert paper.links == ()  # an arXiv URL is the arXiv id already


def test_others_subtitle_and_verbatim_urls(exports: dict[str, Candidate]) -> None:
    lovelace = exports["lovelace2019"]
    assert lovelace.authors == ("Ada Lovelace",)
    assert (lovelace.et_al, lovelace.remarks) == (True, ())  # `and others` is no person
    assert lovelace.date == datetime.date(2019, 6, 1)
    assert lovelace.links == (
        Link("pdf", "http://www.cs.toronto.edu/~hinton/absps/months.pdf"),
    )  # `~` kept
    assert exports["baez2004"].title == "Higher-Dimensional Algebra V: 2-Groups"


def test_an_unbalanced_entry_is_skipped_and_the_rest_is_read() -> None:
    batch = parse_fixture("unbalanced.bib")
    assert [c.title for c in batch.candidates] == ["A Good Entry Before a Broken One"]
    assert [(s.source, s.reason) for s in batch.skipped] == [
        (
            "unbalanced.bib:8 @article{broken2021}",
            "could not be read: Unexpectedly reached end of file.",
        )
    ]


def test_a_file_without_entries_is_refused() -> None:
    with pytest.raises(UnreadableImport, match=r"not_bibtex.bib: no BibTeX entries found"):
        parse_fixture("not_bibtex.bib")


NOT_A_PAPER = "not a paper (@{}); import with --all-types to take it"
WEB_PAGE = "not a paper (@{} without an arXiv id, DOI or venue); import with --all-types to take it"
REAL_FILES = {
    # file: (entries seen, candidates, {key: reason skipped})
    "iclr2024_update-frequency-in-mbrl.bib": (126, 125, {"Towers2023": "no year or date"}),
    "iclr2023_autoregressive-neural-pde-solver_zotero.bib": (
        58,
        51,
        {
            "AutoregressiveModelsDeep2019": "no authors",
            "joshiTransformersAreGraph2020": WEB_PAGE.format("online"),  # a blog post
            "HeatHeatEquation": "no authors, no year or date",
            "UnderstandingLSTMNetworks": "no authors, no year or date",
            "WaveNetGenerativeModel": "no authors, no year or date",
            "hairerClassicalMathematicalTheory1993": "no authors (only editors)",
            "bartelsNumericalApproximationPartial": "no year or date",
        },
    ),
    "d2l-en_d2l.bib": (488, 487, {"hutter-book19a": "no authors (only editors)"}),
    "biblatex-examples.bib": (
        92,
        76,
        {
            "set": NOT_A_PAPER.format("set"),
            "stdmodel": NOT_A_PAPER.format("set"),
            "matuz:doody": "no authors (only editors)",
            "vizedom:related": "no authors",
            "britannica": "no authors (only editors)",
            "gaonkar": "no authors (only editors)",
            "jaffe": "no authors (only editors)",
            "westfahl:frontier": "no authors (only editors)",
            "cms": NOT_A_PAPER.format("manual"),
            "ctan": "no authors",
            "markey": WEB_PAGE.format("online"),
            "almendro": NOT_A_PAPER.format("patent"),
            "kowalik": NOT_A_PAPER.format("patent"),
            "laufenberg": NOT_A_PAPER.format("patent"),
            "sorace": NOT_A_PAPER.format("patent"),
            "jcg": NOT_A_PAPER.format("periodical"),
        },
    ),
}


@functools.cache
def _parse_real_file(path: Path) -> Batch:
    return parse_bibtex(path.read_text(encoding="utf-8"), path.name)


def parse_real(shared_dir: Path, name: str) -> Batch:
    """Parse a real file once per session (d2l.bib takes about a second)."""
    return _parse_real_file(shared_dir / "real-world" / "bibtex" / name)


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_real_file_counts_and_every_skip_reason(shared_dir: Path, name: str) -> None:
    seen, produced, skipped = REAL_FILES[name]
    batch = parse_real(shared_dir, name)
    assert (batch.seen, len(batch.candidates)) == (seen, produced)
    assert {s.source.split("{", 1)[1].rstrip("}"): s.reason for s in batch.skipped} == skipped


def test_real_hand_written_file_accents_and_arxiv(shared_dir: Path) -> None:
    papers = by_key(parse_real(shared_dir, "iclr2024_update-frequency-in-mbrl.bib"))
    assert sum(1 for c in papers.values() if c.arxiv) == 19
    assert papers["Brockman2016"].arxiv == "1606.01540"
    assert papers["Brockman2016"].title == "OpenAI Gym"
    assert "Petar Veličković" in papers["Hamrick2021"].authors  # raw UTF-8 in braces
    assert papers["Grill2020"].authors[1] == "Florent Altché"  # Altch{\'e}
    assert papers["Ha2018"].authors == ("David Ha", "Jürgen Schmidhuber")  # J\"{u}rgen
    assert papers["Depeweg2018"].authors[1] == "José Miguel Hernández-Lobato"
    assert papers["Haarnoja2019"].authors[2] == "Kristian Hartikainen"  # `and and` in the file
    assert papers["Bhardwaj2021"].title.startswith("Blending MPC & Value Function Approximation")
    assert "Zürich" in (papers["Clavera2018"].venue or "")  # Z{\"{u}}rich
    assert papers["Sutton1991"].date == datetime.date(1991, 7, 1)  # year + month
    assert papers["Abdolmaleki2018"].remarks == ("date from year only (2018-01-01)",)


def test_real_zotero_file(shared_dir: Path) -> None:
    papers = by_key(parse_real(shared_dir, "iclr2023_autoregressive-neural-pde-solver_zotero.bib"))
    assert sum(1 for c in papers.values() if c.arxiv) == 26
    assert sum(1 for c in papers.values() if c.abstract) == 32  # one was a blog post
    pilva = papers["pilvaLearningTimedependentPDE2022"]
    assert (pilva.arxiv, pilva.date) == (
        "2204.07651",
        datetime.date(2022, 4, 15),
    )  # `2204.07651 [cs]`
    assert papers["kovachkiNeuralOperatorLearning2022"].arxiv == "2108.08481"  # `[cs, math]`
    assert papers["iakovlevLearningContinuoustimePDEs2021"].authors[2] == "Harri Lähdesmäki"
    assert (
        papers["iakovlevLearningContinuoustimePDEs2021"].venue
        == "International Conference on Learning Representations"
    )
    assert "$x_i, i=1,\\dots,m$" in (papers["luDeepONetLearningNonlinear2021"].abstract or "")
    assert "$0.25^{\\circ}$" in (papers["pathakFourCastNetGlobalDatadriven2022"].abstract or "")


def test_real_bibtool_file(shared_dir: Path) -> None:
    papers = by_key(parse_real(shared_dir, "d2l-en_d2l.bib"))
    assert sum(1 for c in papers.values() if c.arxiv) == 128  # `journal = {Ar{X}iv:1607.06450}`
    layer_norm = papers["Ba.Kiros.Hinton.2016"]
    assert (layer_norm.arxiv, layer_norm.venue) == ("1607.06450", None)
    assert papers["Abadi.Barham.Chen.ea.2016"].authors[0] == "Martín Abadi"  # Mart{\'\i}n
    assert papers["Bottou.2010"].authors == ("Léon Bottou",)  # {L\'eon}
    cajal = papers["Cajal.Azoulay.1894"]  # trailing comma after the first name in the file
    assert cajal.authors == ("Santiago Ramón y Cajal", "L. Azoulay")
    assert cajal.title.startswith("Les Nouvelles Idées sur la Structure du Système Nerveux")


def test_real_biblatex_examples(shared_dir: Path) -> None:
    papers = by_key(parse_real(shared_dir, "biblatex-examples.bib"))
    assert papers["aksin"].authors[:4] == (
        "Özge Aks\u0131n",  # dotless i, from Aks{\\i}n
        "Hayati Türkmen",
        "Levent Artok",
        "Bekir Çetinkaya",
    )
    assert papers["baez/article"].arxiv == "math/0307200"  # eprint = {math/0307200v3}
    assert papers["baez/article"].title == "Higher-Dimensional Algebra V: 2-Groups"  # + subtitle
    space = papers["westfahl:space"]  # crossref: year and booktitle from westfahl:frontier
    assert (space.date, space.venue) == (datetime.date(2000, 1, 1), "Space and Beyond")


# ---- issue 15: fidelity of what comes in --------------------------------------------------


def one(entry: str, all_types: bool = False) -> Candidate:
    """Parse a file of one entry that must become a candidate."""
    batch = parse_bibtex(entry, "one.bib", all_types=all_types)
    assert batch.skipped == () and len(batch.candidates) == 1, batch
    return batch.candidates[0]


def test_an_unused_field_that_cannot_be_decoded_never_costs_the_entry() -> None:
    paper = one(
        "@inproceedings{rebuffi2017, title = {{iCaRL}: Class-Incremental Learning},"
        " author = {Rebuffi, Sylvain and Kolesnikov, Alexei}, booktitle = {CVPR}, year = 2017,"
        " note = {Official Code\\\\ \\href{https://x.org}{x}}}"
    )
    assert (paper.title, paper.venue) == ("iCaRL: Class-Incremental Learning", "CVPR")


def test_a_used_field_that_cannot_be_decoded_is_kept_as_written_and_named() -> None:
    abstract = "Official Code\\\\ \\href{https://x.org}{x}"
    paper = one(
        "@article{a, title = {T}, author = {Lovelace, Ada}, year = 2020,"
        f" abstract = {{{abstract}}}}}"
    )
    assert paper.abstract == abstract
    assert paper.remarks[-1].startswith("'abstract' could not be decoded from LaTeX (")
    assert paper.remarks[-1].endswith("); kept as written")


@pytest.mark.parametrize(
    ("written", "imported"),
    [
        (r"{Learning with $O(\sqrt{n})$ samples}", r"Learning with $O(\sqrt{n})$ samples"),
        (r"Bounds of $^{\mbox{Omega(1)}}$ in {P}", r"Bounds of $^{\mbox{Omega(1)}}$ in P"),
        (r"A \$2^\{\log^\{1-\eps\} n\}\$ bound", r"A $2^{\log^{1-\eps} n}$ bound"),  # DBLP
        (r"{Co\$\^2\${{L}}: Contrastive}", "Co$^2$L: Contrastive"),  # Better BibTeX
        (r"Win \$40,000 with {\"U}bung", r"Win \$40,000 with Übung"),  # a price: shown as $
    ],
)
def test_formulas_in_titles_keep_their_latex_and_braces(written: str, imported: str) -> None:
    paper = one(f"@article{{a, title = {{{written}}}, author = {{Lovelace, Ada}}, year = 2020}}")
    assert paper.title == imported


def test_an_escaped_dollar_in_an_abstract_stays_a_literal_dollar() -> None:
    paper = one(
        "@article{a, title = {T}, author = {Lovelace, Ada}, year = 2020,"
        r" abstract = {It costs \$40,000 and \$5 per run, $n^2$ steps in \$x\_i\$ time.}}"
    )
    assert paper.abstract == r"It costs \$40,000 and \$5 per run, $n^2$ steps in $x_i$ time."


@pytest.mark.parametrize("tail", ["and others", "and et al.", "and et al", "and Others"])
def test_et_al_records_a_truncated_byline_instead_of_a_person(tail: str) -> None:
    paper = one(
        f"@article{{a, title = {{T}}, author = {{Kadavath, Saurav and Conerly, Tom {tail}}},"
        " year = 2022}"
    )
    assert (paper.authors, paper.et_al) == (("Saurav Kadavath", "Tom Conerly"), True)
    assert one("@article{a, title = {T}, author = {Kadavath, Saurav}, year = 2022}").et_al is False


def test_a_name_twice_on_a_byline_is_kept_with_a_note() -> None:
    paper = one(
        "@article{a, title = {T}, year = 2021,"
        " author = {Zhao, H. and Fu, Y. and Li, X. and Li, S. and Omar, B. and Li, X.}}"
    )
    assert paper.authors == ("H. Zhao", "Y. Fu", "X. Li", "S. Li", "B. Omar", "X. Li")
    assert paper.remarks[-1] == (
        "'X. Li' appears 2 times in the byline; all kept (people can share a name)"
    )


@pytest.mark.parametrize(
    ("fields", "doi"),
    [
        ("doi = {10/fvn296}", "10/fvn296"),  # shortDOI
        ("ee = {http://dx.doi.org/10.1007/3-540-44681-8_76}", "10.1007/3-540-44681-8_76"),
        ("url = {https://doi.org/10.1145/3580305.3599256}", "10.1145/3580305.3599256"),
        ("ee = {https://example.org/paper.pdf}", None),
    ],
)
def test_dois_from_doi_ee_and_url(fields: str, doi: str | None) -> None:
    paper = one(f"@article{{a, title = {{T}}, author = {{Lovelace, Ada}}, year = 2020, {fields}}}")
    assert paper.doi == doi


@pytest.mark.parametrize(
    ("fields", "arxiv", "category"),
    [
        # Zotero: a preprint's id in `isbn`, its category in the journal
        ("journal = {arXiv [cs.CL]}, isbn = {2310.02238}", "2310.02238", "cs.CL"),
        (r"annotation = {\_eprint: 1810.07348}", "1810.07348", None),  # Better BibTeX
        ("note = {eprint: 1810.07348}", "1810.07348", None),
        ("ee = {https://arxiv.org/abs/1810.07348}", "1810.07348", None),
        ("eprint = {1810.07348}, archiveprefix = {arXiv}, primaryclass = {cs}", "1810.07348", None),
        ("eprint = {hep-th/9901001}, primaryclass = {hep-th}", "hep-th/9901001", "hep-th"),
        ("eprint = {1810.07348}, primaryclass = {math.OC}", "1810.07348", "math.OC"),
        ("isbn = {2310.02238}", None, None),  # an isbn is an arXiv id only for an arXiv journal
    ],
)
def test_arxiv_ids_and_categories_where_exports_put_them(
    fields: str, arxiv: str | None, category: str | None
) -> None:
    paper = one(
        f"@unpublished{{a, title = {{T}}, author = {{Lovelace, Ada}}, year = 2023, {fields}}}"
    )
    assert (paper.arxiv, paper.arxiv_category, paper.venue) == (arxiv, category, None)


def test_only_papers_are_taken_unless_all_types() -> None:
    text = "\n".join(
        [
            "@online{page, title = {A Web Page}, author = {Lovelace, Ada}, year = 2020}",
            "@misc{preprint, title = {P}, author = {Lovelace, Ada}, year = 2020, eprint = {2001.00001}}",
            "@misc{talk, title = {S}, author = {Lovelace, Ada}, year = 2020, howpublished = {A talk}}",
            "@misc{published, title = {Q}, author = {Lovelace, Ada}, year = 2020, journal = {JMLR}}",
            "@software{code, title = {C}, author = {Lovelace, Ada}, year = 2020}",
            "@techreport{report, title = {R}, author = {Lovelace, Ada}, year = 2020}",
        ]
    )
    batch = parse_bibtex(text, "mixed.bib")
    assert [c.source for c in batch.candidates] == [
        "mixed.bib:2 @misc{preprint}",
        "mixed.bib:4 @misc{published}",
        "mixed.bib:6 @techreport{report}",
    ]
    assert [(s.source, s.reason) for s in batch.skipped] == [
        ("mixed.bib:1 @online{page}", WEB_PAGE.format("online")),
        ("mixed.bib:3 @misc{talk}", WEB_PAGE.format("misc")),
        ("mixed.bib:5 @software{code}", NOT_A_PAPER.format("software")),
    ]
    everything = parse_bibtex(text, "mixed.bib", all_types=True)
    assert (len(everything.candidates), everything.skipped) == (6, ())
