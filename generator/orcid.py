"""ORCID iDs: recognise one as a curator writes it and check its ISO 7064 MOD 11-2 digit.

Invariant: pure; `parse_orcid` returns the iD in its one canonical form (`dddd-dddd-dddd-dddX`,
no URL, upper-case `X`), so two spellings of one iD never make two authors.
"""

from __future__ import annotations

import re

ORCID_URL = "https://orcid.org/"
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)


def parse_orcid(text: str) -> str | None:
    """Return `text` as a canonical ORCID iD, or None when it is not one (shape or check digit).

    A `https://orcid.org/` prefix, as orcid.org shows iDs, is dropped.
    """
    identifier = _PREFIX.sub("", text.strip()).upper()
    if not _ORCID.fullmatch(identifier):
        return None
    return identifier if identifier[-1] == orcid_check_digit(identifier[:-1]) else None


def orcid_check_digit(base: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character of the first 15 digits of an iD.

    https://support.orcid.org/hc/en-us/articles/360006897674 ("Structure of the ORCID
    Identifier"): a mistyped digit or two swapped ones change it.
    """
    total = 0
    for digit in base.replace("-", ""):
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)
