"""The injection corpus (tests/hostile/injection/): valid papers whose every text field carries
a payload, and what each field must show once built.

Shared by tests/test_hostile.py (the HTML, feeds and downloads) and
tests/test_hostile_browser.py (the same site in Chromium); conftest's `injection_root`
builds it once per session for both.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from tests.conftest import copy_project, run_cli

INJECTION_DIR = Path(__file__).parent / "hostile" / "injection"
SITE_NAME = "Paper Archive"
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# The bidi-override case is valid but warned about: text-direction controls are removed.
INJECTION_WARNINGS = [
    "papers/_tags.yaml:25: warning: tag 'bidi-override': 'title' holds invisible text-direction characters (U+202C, U+202E); they are removed",
    "papers/_tags.yaml:26: warning: tag 'bidi-override': 'description' holds invisible text-direction characters (U+2067, U+2069); they are removed",
    "papers/bidi-override.yaml:3: warning: 'title' holds invisible text-direction characters (U+202C, U+202E); they are removed",
    "papers/bidi-override.yaml:5: warning: author 1 holds invisible text-direction characters (U+202C, U+202E); they are removed",
    "papers/bidi-override.yaml:8: warning: 'abstract' holds invisible text-direction characters (U+202C, U+202E, U+2067, U+2069); they are removed",
    "papers/bidi-override.yaml:11: warning: 'venue' holds invisible text-direction characters (U+202A, U+202C); they are removed",
    "papers/bidi-override.yaml:12: warning: 'organization' holds invisible text-direction characters (U+2066, U+2069); they are removed",
    "papers/bidi-override.yaml:14: warning: 'notes' holds invisible text-direction characters (U+202E); they are removed",
]


def build_injection_site(root: Path) -> Path:
    """Build the corpus into a project at `root`; return `root` (the site is in `root/site`).

    `--no-strict`: the bidi-override case is valid but warned about, and the exact warnings
    are asserted here instead; MkDocs itself still runs strict (`strict: true` in mkdocs.yml).
    """
    copy_project(root)
    shutil.rmtree(root / "papers")
    shutil.copytree(INJECTION_DIR, root / "papers")
    completed = run_cli("-q", "build", "--no-strict", root=root)  # problems only
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.splitlines() == INJECTION_WARNINGS
    return root


def injection_cases() -> dict[str, dict]:
    """Each injection paper's fields as written, by file stem."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(INJECTION_DIR.glob("*.yaml"))
        if not path.name.startswith("_")
    }


def injection_tags() -> dict[str, dict]:
    """Each injection tag's fields as written, by slug."""
    return yaml.safe_load((INJECTION_DIR / "_tags.yaml").read_text(encoding="utf-8"))


def shown(text: str) -> str:
    """What a plain-text field shows: the text as typed, whitespace collapsed, bidi controls
    removed (validation drops them). Entities are not decoded: `&lt;b&gt;` shows as typed."""
    return " ".join(BIDI_CONTROLS.sub("", text).split())


# What the abstract shows as text: raw HTML in Markdown is never markup; entities are characters.
ABSTRACT_TEXT = {
    "attribute-breakout": "Double quote \"><svg onload=\"window.__pwned=3\"> and single quote '><svg onload='window.__pwned=3'>.",
    "bidi-override": "Reads as txet desrever unless isolated.",
    "html-entities": "Entities: <b>bold</b> & <script>window.__pwned=6</script>.",
    "img-onerror": 'An image <img src=x onerror="window.__pwned=2"> inline',
    "markdown-structure": '<div onmouseover="window.__pwned=5">\nraw HTML block\n</div>',
    "script-close": "JSON-LD ends here: </script><script>window.__pwned=4</script> <!-- and a comment opener",
    "script-element": "Before <script>window.__pwned=1</script> after.",
    "template-syntax": "Jinja: {{ 7*7 }} and {% raw %}{{ config.site_name }}{% endraw %} and {# hidden #}.",
}
