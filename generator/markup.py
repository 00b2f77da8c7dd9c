"""Curator Markdown (abstracts, notes) to safe HTML, with `$...$` LaTeX turned into MathML.

Invariant: the HTML returned can hold no script, no raw HTML from the input, no
`javascript:`-style link and no remote image: formatting survives, code never does.
Math becomes MathML at build time, which browsers render natively (nothing to load).
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from html import escape, unescape
from urllib.parse import urlsplit

import markdown
from latex2mathml.converter import convert as latex_to_mathml
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"

# Opening `$` not followed by a space and closing `$` not preceded by one, so "costs $5 and
# $10" stays prose. Unlike pandoc, a digit may follow: arXiv writes `$\sim$30B`.
_MATH = re.compile(
    r"(?<![\\$])\$\$(?P<display>.+?)(?<!\\)\$\$"
    r"|(?<![\\$])\$(?=\S)(?P<inline>[^$\n]+?)(?<=\S)(?<!\\)\$",
    re.DOTALL,
)
_MATHML_ELEMENTS = frozenset(
    "math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot mstyle mover "
    "munder munderover mtable mtr mtd mpadded mphantom menclose semantics mfenced merror".split()
)
_MATHML_ATTRIBUTES = frozenset(
    "display mathvariant stretchy fence separator lspace rspace accent accentunder "
    "movablelimits linethickness columnalign rowalign width height depth notation open "
    "close separators scriptlevel displaystyle minsize maxsize symmetric largeop form "
    "columnspacing rowspacing".split()
)
_SAFE_SCHEMES = ("http", "https", "mailto")
_ESCAPED_DOLLAR = re.compile(r"\\\$")
"""`\\$` is a literal dollar, never the start of a formula (`\\$40,000`)."""
# LaTeX commands that take a braced argument; written without their backslash inside a
# formula (`$textbf{x}$`), latex2mathml shows them as a run of italic letters.
_BARE_COMMAND = re.compile(
    r"(?<![\\A-Za-z])(text(?:bf|it|tt|rm|sf|sc|normal|up)?|emph|mbox|operatorname|"
    r"math(?:bf|rm|it|cal|bb|sf|tt|frak|scr)|boldsymbol|bm|d?t?frac|binom|sqrt|overline|"
    r"underline|widehat|widetilde|hat|tilde|bar|vec|dot|ddot)\{"
)
# Prose in which Markdown finds nothing to do but escape `&`, `<` and `>`: every line starts
# with a letter, `(` or a quote (no list, heading, quote, code or rule), no trailing space
# (no line break), no character that starts emphasis, code, a link or an escape, and no
# entity or `<...>` (an autolink). Most abstracts are this, and escaping them directly spares
# a full Python-Markdown run on each; tests check both give the same HTML.
_PLAIN_LINE = r"(?:[^\W\d_]|[(\"'])[^\x00-\x1f\\`*_\[\]$]*+(?<! )"
_PLAIN_PROSE = re.compile(f"{_PLAIN_LINE}(?:\\n++{_PLAIN_LINE})*+\\n*+")
_ENTITY_OR_ANGLES = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z0-9]+);|<[^<>]*>")
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")
# Stands for a formula while prose is checked: a character that passes for prose, but not
# at a line start, so no paragraph is a lone formula (Markdown does not wrap those in <p>).
_FORMULA = "\ue000"
# What Python-Markdown changes before it finds formulas (tabs, `\r`, blank lines of
# spaces), and the stand-in itself: a text holding any of these takes the long way.
# (Two patterns: one alternation scanned at every character costs more than both.)
_NOT_AS_WRITTEN = re.compile(f"[\\x00-\\x09\\x0b-\\x1f{_FORMULA}]")
_BLANK_SPACE_LINE = re.compile(r"\n +\n")
# A bare web address in prose, as arXiv abstracts give code links ("at https://github.com/
# x/y."): up to a space, a quote, an angle bracket or a control character (Markdown's
# placeholders for formulas and escapes are those) or the shortcut's formula stand-in. Only
# http and https, so no other scheme (`javascript:`) can become a link this way.
_BARE_URL = re.compile(f"\\bhttps?://[^\\s<>\"'`\\x00-\\x1f{_FORMULA}]+")
_URL_TRAILER = ".,;:!?*_~"
"""Punctuation that ends the sentence around an address rather than the address."""


def render_markdown(text: str, heading_level: int = 3) -> str:
    """Render curator Markdown to HTML; its first heading level becomes `heading_level`."""
    shortcut = _plain_prose_html(text)
    if shortcut is not None:
        return shortcut
    converter = _converter()
    converter.reset()
    converter.heading_level = heading_level  # type: ignore[attr-defined]
    return converter.convert(text)


def _plain_prose_html(text: str) -> str | None:
    """The HTML of prose with nothing for Markdown to do but its formulas (most abstracts),
    made without running Python-Markdown; None for anything else. Tests check that both
    give the same HTML."""
    if _NOT_AS_WRITTEN.search(text) or ("\n " in text and _BLANK_SPACE_LINE.search(text)):
        return None
    formulas: list[re.Match[str]] = []

    def hold(match: re.Match[str]) -> str:
        formulas.append(match)
        return _FORMULA

    prose = _MATH.sub(hold, text) if "$" in text else text
    if not _PLAIN_PROSE.fullmatch(prose) or (
        ("&" in prose or "<" in prose) and _ENTITY_OR_ANGLES.search(prose)
    ):
        return None
    prose = _escape_and_link(prose.strip("\n"))
    paragraphs = _PARAGRAPH_BREAK.split(prose) if "\n\n" in prose else [prose]
    html = "\n".join(f"<p>{part}</p>" for part in paragraphs)
    mathml = (_formula_html(match) for match in formulas)
    return re.sub(_FORMULA, lambda _: next(mathml), html) if formulas else html


def _escape_and_link(prose: str) -> str:
    """Escape prose and link its bare addresses, as Markdown and `_BareUrlProcessor` do."""
    if "://" not in prose:
        return escape(prose, quote=False)
    pieces = []
    position = 0
    for match in _BARE_URL.finditer(prose):
        url = _without_trailer(match.group(0))
        pieces.append(escape(prose[position : match.start()], quote=False))
        pieces.append(f'<a href="{escape(url)}" rel="nofollow noopener">{escape(url)}</a>')
        position = match.start() + len(url)
    pieces.append(escape(prose[position:], quote=False))
    return "".join(pieces)


def _without_trailer(url: str) -> str:
    """Drop the punctuation after an address, and a `)` it did not open."""
    while url[-1] in _URL_TRAILER or (url[-1] == ")" and url.count(")") > url.count("(")):
        url = url[:-1]
    return url


def _formula_html(match: re.Match[str]) -> str:
    display = match.group("display") is not None
    return render_math(
        (match.group("display") if display else match.group("inline")).strip(), display
    )


def bare_commands_in_math(text: str) -> list[str]:
    """Return command names that lost their backslash inside a formula (`$textbf{x}$`)."""
    if "$" not in text:
        return []
    found = (
        command.group(1)
        for formula in _MATH.finditer(text)
        for command in _BARE_COMMAND.finditer(formula.group("display") or formula.group("inline"))
    )
    return list(dict.fromkeys(found))


@functools.cache  # each abstract is flattened for 3-4 places; compute once
def plain_text(markdown_text: str) -> str:
    """Return Markdown as one line of plain text (math as Unicode), for meta descriptions."""

    def math_as_text(match: re.Match[str]) -> str:
        latex = (match.group("display") or match.group("inline")).strip()
        try:
            return "".join(ET.fromstring(latex_to_mathml(latex)).itertext())
        except Exception:  # same leniency as render_math: show the source
            return latex

    text = _ESCAPED_DOLLAR.sub("$", _MATH.sub(math_as_text, markdown_text))
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url) -> text
    text = re.sub(r"(?m)^\s{0,3}(?:#+|>|[-*+]|\d+\.)\s+", "", text)
    text = re.sub(r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1", r"\2", text).replace("`", "")
    # `_` emphasis only at word edges, as Markdown reads it: `window.__x=1 ... y.__x` stays.
    text = re.sub(r"(?<!\w)(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)", r"\2", text)
    # Entities are characters in Markdown (`&lt;b&gt;` shows as `<b>` on the page): say the same.
    return " ".join(unescape(text).split())


@functools.lru_cache(maxsize=4096)  # papers repeat formulas ($\times$, $\sim$, $k$)
def render_math(latex: str, display: bool = False) -> str:
    """Convert one LaTeX formula to sanitised MathML; unconvertible input shows as code."""
    try:
        root = ET.fromstring(latex_to_mathml(latex, display="block" if display else "inline"))
    except Exception:  # latex2mathml raises many types on input it does not know
        return f'<code class="math-source">{escape(latex)}</code>'
    _sanitise_mathml(root)
    root.set("xmlns", MATHML_NAMESPACE)  # tags were made local; one literal xmlns, no ns0: prefixes
    return ET.tostring(root, encoding="unicode")


def _sanitise_mathml(element: ET.Element) -> None:
    """Drop every element and attribute outside presentation MathML (no `href`, no `on*`)."""
    element.tag = element.tag.removeprefix(f"{{{MATHML_NAMESPACE}}}")
    for child in list(element):
        if child.tag.removeprefix(f"{{{MATHML_NAMESPACE}}}") not in _MATHML_ELEMENTS:
            element.remove(child)
        else:
            _sanitise_mathml(child)
    for attribute in list(element.attrib):
        if attribute not in _MATHML_ATTRIBUTES:
            del element.attrib[attribute]


class _MathPreprocessor(Preprocessor):
    """Swap each formula for a stash placeholder before Markdown can read `_` as emphasis."""

    def run(self, lines: list[str]) -> list[str]:
        def stash(match: re.Match[str]) -> str:
            return self.md.htmlStash.store(_formula_html(match))

        return _MATH.sub(stash, "\n".join(lines)).split("\n")


class _BareUrlProcessor(InlineProcessor):
    """Link a bare http(s) address; its trailing punctuation, and a `)` it did not open,
    stay prose. Never inside a link or code (Markdown handles those before)."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(  # type: ignore[override]
        self, match: re.Match[str], data: str
    ) -> tuple[ET.Element, int, int]:
        url = _without_trailer(match.group(0))
        link = ET.Element("a", href=url)
        link.text = url
        return link, match.start(0), match.start(0) + len(url)


class _SafetyTreeprocessor(Treeprocessor):
    """Neutralise links with unsafe schemes, turn images into links, shift heading levels."""

    def run(self, root: ET.Element) -> None:
        shift = self.md.heading_level - 1  # type: ignore[attr-defined]
        for element in root.iter():
            if element.tag == "img":
                element.tag = "a"
                element.text = element.attrib.pop("alt", "") or element.get("src", "")
                element.set("href", element.attrib.pop("src", ""))
                element.attrib.pop("title", None)
            if element.tag == "a":
                href = element.get("href", "")
                if urlsplit(href).scheme in _SAFE_SCHEMES:
                    element.set("rel", "nofollow noopener")
                else:
                    element.tag = "span"
                    element.attrib.clear()
            if re.fullmatch(r"h[1-6]", element.tag):
                element.tag = f"h{min(6, int(element.tag[1]) + shift)}"


_CACHED: list[markdown.Markdown] = []


def _converter() -> markdown.Markdown:
    """Build the Markdown converter once per process; `reset()` makes reuse safe."""
    if not _CACHED:
        converter = markdown.Markdown(output_format="html")
        # Raw HTML is never passed through: without these, `<script>` is escaped as text.
        converter.ESCAPED_CHARS.append("$")  # `\\$5` shows a dollar; `_MATH` skips it
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        converter.preprocessors.register(_MathPreprocessor(converter), "math", 25)
        # Before emphasis (60), which would read the `_` of an address as italics.
        converter.inlinePatterns.register(
            _BareUrlProcessor(_BARE_URL.pattern, converter), "bare_url", 115
        )
        converter.treeprocessors.register(_SafetyTreeprocessor(converter), "safety", 0)
        _CACHED.append(converter)
    return _CACHED[0]
