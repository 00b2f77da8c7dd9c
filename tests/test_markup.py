"""Curator Markdown to HTML: formatting kept, math as MathML, nothing executable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load import load_paper_files
from generator.markup import _converter, _plain_prose_html, plain_text, render_markdown, render_math
from tests.conftest import SAMPLE_PAPERS


def test_inline_math_becomes_mathml_and_underscores_are_not_emphasis() -> None:
    html = render_markdown("scale to $\\sim$30B on $8\\times$H100 with $x_i^2$ and a_b_c")
    assert html.count("<math ") == 3
    assert "<mo>×</mo>" in html and "<msubsup>" in html
    assert "a_b_c" in html and "<em>" not in html


def test_dollars_in_prose_stay_prose() -> None:
    assert render_markdown("costs $5 and $10 per hour") == "<p>costs $5 and $10 per hour</p>"


def test_an_escaped_dollar_is_a_literal_dollar_never_the_start_of_math() -> None:
    text = r"A \$40,000 grant, \$5 a run and $x_i$ steps"
    html = render_markdown(text)
    assert html.startswith("<p>A $40,000 grant, $5 a run and <math ")
    assert html.count("<math ") == 1 and "\\" not in html
    assert plain_text(text) == "A $40,000 grant, $5 a run and xi steps"


def test_formulas_imported_with_their_braces_render_or_show_their_source() -> None:
    html = render_markdown(r"Learning with $O(\sqrt{n})$ and $2^{\log^{1-\eps} n}$ samples")
    assert "<msqrt>" in html and html.count("<math ") == 2  # unknown \eps stays a name


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown(
        '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1">\n\n<div>block</div>'
    )
    assert "<script" not in html and "<img" not in html and "<div" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html


def test_unsafe_links_lose_their_href_and_images_become_links() -> None:
    html = render_markdown(
        "[x](javascript:alert(1)) [y](data:text/html,hi) ![pic](https://e.org/p.png) [ok](https://e.org)"
    )
    assert "javascript:" not in html and "data:" not in html and "<img" not in html
    assert '<a href="https://e.org/p.png" rel="nofollow noopener">pic</a>' in html
    assert '<a href="https://e.org" rel="nofollow noopener">ok</a>' in html


def test_bare_web_addresses_become_safe_links_without_their_punctuation() -> None:
    html = render_markdown(
        "Code: https://github.com/x/y_z. See (https://en.wikipedia.org/wiki/A_(b)), "
        "http://e.org/?a=1&b=2; `https://in.code` javascript:alert(1) ftp://e.org "
        '[t](https://e.org/t) https://e.org/"onmouseover=alert(1) https://e.org/$x$'
    )
    assert html == (
        '<p>Code: <a href="https://github.com/x/y_z" rel="nofollow noopener">'
        "https://github.com/x/y_z</a>. See "
        '(<a href="https://en.wikipedia.org/wiki/A_(b)" rel="nofollow noopener">'
        "https://en.wikipedia.org/wiki/A_(b)</a>), "
        '<a href="http://e.org/?a=1&amp;b=2" rel="nofollow noopener">http://e.org/?a=1&amp;b=2</a>;'
        " <code>https://in.code</code> javascript:alert(1) ftp://e.org "
        '<a href="https://e.org/t" rel="nofollow noopener">t</a> '
        '<a href="https://e.org/" rel="nofollow noopener">https://e.org/</a>"onmouseover=alert(1) '
        '<a href="https://e.org/" rel="nofollow noopener">https://e.org/</a>'
        + render_math("x")
        + "</p>"
    )


def test_headings_are_shifted_below_the_page_section() -> None:
    assert render_markdown("# Top\n\n## Sub") == "<h3>Top</h3>\n<h4>Sub</h4>"


def test_math_cannot_smuggle_markup_or_links() -> None:
    assert (
        render_math("\\text{<script>}") == '<code class="math-source">\\text{&lt;script&gt;}</code>'
    )
    assert "href" not in render_math("\\href{javascript:alert(1)}{x}")


def test_plain_text_flattens_markdown_and_math() -> None:
    assert (
        plain_text("See [MoS](https://x.org), **bold** and $8\\times$H100 a_b.\n\n# Next")
        == "See MoS, bold and 8×H100 a_b. Next"
    )


# Prose and what sits at the edge of plain prose: line starts, trailing spaces, entities,
# and formulas, alone in a paragraph or not, with what Markdown would change inside them.
_PROSE_PIECES = [
    *"abcXYZé日" * 5,
    *" .,;:-+=()'\"%/?01\n",
    *("\n\n", "  \n", " \n", "\xa0", "\u2028", "\t", "1. ", "- ", "# ", "==", "---"),
    *("&", "<b>", "*x*", "_x_", "`x`", "[a](b)", "> ", "    code", "\\", "\r\n", "\ue000"),
    *("<", ">", "&amp;", "&#35;", "&#x2F;", "&a", "<http://x.org>", "<a@b.c>", "<<x>"),
    *("{", "}", "~", "~~", "|", "#", "!", "!x", "^", "@", "=", "+"),
    *("$x$", "$a_b$", "$$", "$", "$\\alpha < 1$", "$$\\sum_i$$", "$\\text{a\tb}$", "$\\bad{$"),
    *("$$x\n  \ny$$", "$ x$", "$5 and $", "$\\text{<i>}$"),
    *("https://x.org/a_b", "http://x.org/(c).", "https:", "javascript:y"),
]
_PROSE = st.lists(st.sampled_from(_PROSE_PIECES), max_size=25).map("".join)


def test_the_plain_prose_shortcut_gives_what_markdown_gives() -> None:
    """Most generated texts are not plain prose; the comparison must still run on enough of
    them (about 1 in 6 of the texts, 1 in 100 with a formula) to mean something."""
    compared: list[str] = []

    @settings(max_examples=1500, deadline=None, database=None)
    @given(text=_PROSE)
    def shortcut_matches_markdown(text: str) -> None:
        shortcut = _plain_prose_html(text)
        if shortcut is not None:
            converter = _converter()
            converter.reset()
            converter.heading_level = 3  # type: ignore[attr-defined]
            assert shortcut == converter.convert(text)
            compared.append(shortcut)

    shortcut_matches_markdown()
    assert len(compared) >= 100
    assert any("<math " in html for html in compared)


def test_the_sample_abstracts_mostly_take_the_plain_prose_shortcut() -> None:
    abstracts = [
        document.data["abstract"]
        for document in load_paper_files(SAMPLE_PAPERS, SAMPLE_PAPERS.parent)[0]
        if isinstance(document.data, dict) and document.data.get("abstract")
    ]
    assert len(abstracts) > 20
    assert sum(_plain_prose_html(text) is not None for text in abstracts) > len(abstracts) * 0.8
