"""bibtexparser middlewares: which BibTeX fields are decoded from LaTeX, and how.

Invariant: only the fields whose text reaches a paper (title, abstract, venue, names) are
decoded; every other field is read as written, so a field the archive does not use (a `note`
with `\\href`, a `file` path) can never cost the entry. A used field that cannot be decoded is
kept as written and named in `UNDECODABLE`, for the import summary. Formulas are never decoded.
"""

from __future__ import annotations

import re

from bibtexparser.library import Library
from bibtexparser.middlewares import BlockMiddleware, LatexDecodingMiddleware, NameParts
from bibtexparser.middlewares.names import parse_single_name_into_parts
from bibtexparser.model import Block, Entry, Field

from generator.importers.latex import protect_formulas, restore_formulas

PERSON_FIELDS = ("author", "editor")
TITLE_FIELDS = frozenset({"title", "subtitle"})
VENUE_FIELDS = ("booktitle", "journaltitle", "journal", "eventtitle", "school", "institution")
_MATH_FIELDS = TITLE_FIELDS | {"abstract"}
"""Fields where `$...$` is a formula (the abstract's Markdown, the title's BibTeX export): a
literal dollar is written `\\$` there, as the paper file schema says."""
_PROSE_FIELDS = _MATH_FIELDS | frozenset(VENUE_FIELDS)
UNDECODABLE = "x-undecodable"
"""Key of the field this module adds: a remark for each field kept as written, and why."""

_LATEX_MARKUP = re.compile(r"[\\{}~$%&#^_]|--|``|''")
"""Text without these decodes to itself, so pylatexenc (slow) is not asked."""
_TEXT_SYMBOLS = {"textasciicircum": "^", "textasciitilde": "~", "textbar": "|"}
"""Zotero writes these for `^ ~ |` in abstracts; pylatexenc would give a modifier letter
(U+02C6), a no-break space and nothing."""
_TEXT_SYMBOL = re.compile(
    r"\{\\(textasciicircum|textasciitilde|textbar)\}|\\(textasciicircum|textasciitilde|textbar)(?:\{\}|(?![A-Za-z])\s?)"
)
_PLACEHOLDERS = {name: chr(0xE000 + i) for i, name in enumerate(_TEXT_SYMBOLS)}
_RESTORE = str.maketrans({_PLACEHOLDERS[name]: symbol for name, symbol in _TEXT_SYMBOLS.items()})


class SplitNamesLeniently(BlockMiddleware):
    """bibtexparser's name splitting, forgiving what hand-kept files contain: a trailing comma
    (`Ram{\\'o}n y {C}ajal, Santiago,` in d2l.bib) or a doubled `and and` (iclr2024 file)."""

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        for bib_field in entry.fields:
            if bib_field.key in PERSON_FIELDS and isinstance(bib_field.value, list):
                # `d\textquotesingle Alch\'{e}`: the control word eats the space after it,
                # but name splitting runs before decoding and would keep "d' Alché" apart.
                names = (
                    re.sub(
                        r"^and\s+", "", re.sub(r"\\textquotesingle(?:\{\}|\s*)", "'", name.strip())
                    )
                    for name in bib_field.value
                )
                bib_field.value = [
                    parse_single_name_into_parts(n, strict=False) for n in names if n
                ]
        return entry


class DecodeLatexProse(LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding for the fields a paper shows, formulas kept as written.

    Zotero escapes an abstract's math as `\\$x\\_i\\$` and DBLP a title's as
    `\\$2^\\{n\\}\\$`: both come out as the formula (`$x_i$`, `$2^{n}$`), which the site
    renders as math; protective braces are dropped from titles, never inside a formula.
    """

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        undecodable: list[str] = []
        for bib_field in entry.fields:
            if bib_field.key in _PROSE_FIELDS and isinstance(bib_field.value, str):
                decoded, error = self._decode_prose(bib_field.key, bib_field.value)
                if error:
                    undecodable.append(
                        f"'{bib_field.key}' could not be decoded from LaTeX ({error});"
                        " kept as written"
                    )
                # The value setter resets `enclosing`; only the representation changes here.
                enclosing = bib_field.enclosing
                bib_field.value = decoded
                bib_field.enclosing = enclosing
            elif bib_field.key in PERSON_FIELDS and isinstance(bib_field.value, list):
                for name in bib_field.value:
                    if isinstance(name, NameParts):
                        for part in ("first", "von", "last", "jr"):
                            setattr(
                                name, part, [self._decode(word) for word in getattr(name, part)]
                            )
        if undecodable:
            entry.set_field(Field(UNDECODABLE, undecodable))
        return entry

    def _decode_prose(self, key: str, text: str) -> tuple[str, str]:
        """Return the field decoded (or as written, with the decoder's error)."""
        protected, formulas = protect_formulas(text)
        protected = _TEXT_SYMBOL.sub(lambda m: _PLACEHOLDERS[m.group(1) or m.group(2)], protected)
        decoded, error = self._transform_python_value_string(protected)
        if error:
            return text, error
        if key in TITLE_FIELDS:  # braces left by decoding were protective or escaped `\{`
            decoded = re.sub(r"[{}]", "", decoded)
        return restore_formulas(
            decoded.translate(_RESTORE), formulas, with_formulas=key in _MATH_FIELDS
        ), ""

    def _decode(self, text: str) -> str:
        decoded, error = self._transform_python_value_string(text)
        return text if error else decoded

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        """The parent's per-string hook, skipped for plain text (most words of most names)."""
        if not _LATEX_MARKUP.search(python_string):
            return python_string, ""
        return super()._transform_python_value_string(python_string)
