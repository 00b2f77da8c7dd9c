"""LaTeX in imported text -> Unicode prose, with every formula kept exactly as written.

Invariant: only prose is decoded. A formula (`$...$`, or `\\$...\\$` as DBLP and Better BibTeX
escape one) leaves with its braces and commands intact, because the site renders it with
latex2mathml or shows its source; an escaped dollar that opens no formula stays a literal
dollar: `$` in plain-text fields (venues), `\\$` in fields with formulas (titles, abstracts),
which the site shows as `$`.
"""

from __future__ import annotations

import re
import unicodedata

_FORMULA_SLOTS = 0xE100
"""Private-use characters stand for formulas while the prose around them is decoded."""
_LITERAL_DOLLAR = "\ue0ff"
_ESCAPED_FORMULA = re.compile(r"\\\$(?P<body>(?:[^$\\\n]|\\[^$])+?)\\\$")
_FORMULA = re.compile(r"(?<!\\)\$\$(?:[^$]|\\\$)+?(?<!\\)\$\$|(?<!\\)\$(?:[^$\\]|\\.)+?(?<!\\)\$")
_ESCAPED_DOLLAR = re.compile(r"\\\$")
_MATH_SIGN = re.compile(r"[\\^_{}=<>|]")
# Inside an escaped formula the exporter escaped what is special in prose; in math these
# characters mean themselves again: `\{` -> `{`, Zotero's `{\textbackslash}` -> `\`,
# `{\textasciicircum}` -> `^`. (`\&`, `\%`, `\#` are valid math and stay.)
_UNESCAPE_IN_MATH = re.compile(
    r"(\{)?\\(?P<word>textbackslash|textasciicircum|textasciitilde|textunderscore)"
    r"(?:\{\}|\s*)(?(1)\})|\\(?P<char>[{}^_])(?:\{\})?"
)
_TEXT_WORDS = {"textbackslash": "\\", "textasciicircum": "^", "textasciitilde": "~"}
_MATH_BACKSLASH = "$\\backslash$"
"""Better BibTeX's older spelling of a backslash in prose (`\\$$\\backslash$sim\\$`)."""


def protect_formulas(text: str) -> tuple[str, list[str]]:
    """Replace each formula by a placeholder character and each lone `\\$` by another.

    Returns the text and the formulas, to be put back with `restore_formulas` after the
    prose has been decoded.
    """
    formulas: list[str] = []
    pieces: list[str] = []
    position = 0
    text = text.replace(_MATH_BACKSLASH, "\\textbackslash{}")
    while position < len(text):
        escaped = _ESCAPED_FORMULA.search(text, position)
        plain = _FORMULA.search(text, position)
        match = min(
            (m for m in (escaped, plain) if m is not None), key=lambda m: m.start(), default=None
        )
        lone = _ESCAPED_DOLLAR.search(text, position)
        if lone and (match is None or lone.start() <= match.start()):
            match = None if escaped is None or escaped.start() != lone.start() else escaped
            if match is None or not _is_formula(match.group("body")):
                pieces += [text[position : lone.start()], _LITERAL_DOLLAR]
                position = lone.end()
                continue
        if match is None:
            break
        formula = (
            f"${_UNESCAPE_IN_MATH.sub(_unescaped, match.group('body'))}$"
            if match.re is _ESCAPED_FORMULA
            else match.group(0)
        )
        pieces += [text[position : match.start()], chr(_FORMULA_SLOTS + len(formulas))]
        formulas.append(formula)
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces), formulas


def restore_formulas(text: str, formulas: list[str], with_formulas: bool) -> str:
    """Put formulas back; a literal dollar becomes `\\$` where `$` opens a formula, else `$`."""
    text = text.replace(_LITERAL_DOLLAR, "\\$" if with_formulas else "$")
    if not formulas:
        return text
    slots = {chr(_FORMULA_SLOTS + i): formula for i, formula in enumerate(formulas)}
    return re.sub(f"[{''.join(slots)}]", lambda m: slots[m.group(0)], text)


def _is_formula(body: str) -> bool:
    """`\\$x\\_i\\$` is a formula; `\\$40,000 and \\$` is two prices, as is `\\$5 \\$`."""
    if body != body.strip():
        return False
    return not (body[0].isdigit() and not _MATH_SIGN.search(body))


def _unescaped(match: re.Match[str]) -> str:
    return match.group("char") or _TEXT_WORDS.get(match.group("word"), "_")


# Accents as arXiv's API and hand-written BibTeX spell them: `B\"uttiker`, `{\'e}`, `\v{s}`.
_ACCENT_MARKS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
    "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł",
}  # fmt: skip
_BASE = r"(?:\\(?:i|j)(?![A-Za-z])|[A-Za-z])"
_ACCENT = re.compile(
    r"\{?\\(?:(?P<symbol>[\"'`^~=.])\s*|(?P<word>[uvHckrdb])(?:\s+|(?=\{)))"
    rf"(?:\{{(?P<braced>{_BASE})\}}|(?P<bare>{_BASE}))(?P<close>\}})?"
)
_LETTER = re.compile(
    r"\{\\(?P<braced>ss|aa|AA|ae|AE|oe|OE|o|O|l|L)\}|\\(?P<bare>ss|aa|AA|ae|AE|oe|OE|o|O|l|L)"
    r"(?:\{\}|(?![A-Za-z]))"
)


def decode_accents(text: str) -> str:
    """Turn LaTeX accents and letters (`\\"u`, `{\\'e}`, `\\v{s}`, `\\ss`) in prose into Unicode.

    Only these, never other commands: an arXiv abstract is mostly plain text, where a full
    LaTeX decoder would read `50%` as a comment and drop the rest of the line.
    """
    if "\\" not in text:
        return text
    pieces: list[str] = []
    position = 0
    for formula in _FORMULA.finditer(text):
        pieces += [_decode_accents_in_prose(text[position : formula.start()]), formula.group(0)]
        position = formula.end()
    pieces.append(_decode_accents_in_prose(text[position:]))
    return unicodedata.normalize("NFC", "".join(pieces))


def _decode_accents_in_prose(text: str) -> str:
    def accent(match: re.Match[str]) -> str:
        base = match.group("braced") or match.group("bare")
        letter = base.removeprefix("\\")  # `\"{\i}`: the accent replaces the dot
        mark = _ACCENT_MARKS[match.group("symbol") or match.group("word")]
        opened, closed = match.group(0).startswith("{"), bool(match.group("close"))
        # `{\"u}` is one group; a brace on one side only belongs to the text around.
        return (
            ("{" if opened and not closed else "")
            + letter
            + mark
            + ("}" if closed and not opened else "")
        )

    text = _ACCENT.sub(accent, text)
    return _LETTER.sub(lambda m: _LETTERS[m.group("braced") or m.group("bare")], text)
