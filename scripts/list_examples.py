"""Record every paper now in papers/ as a bundled example, in papers/_examples.sha256.

Usage: python scripts/list_examples.py (or `make examples`). For the maintainers of the bundled
archive, after adding or editing an example paper: `paper-archive remove-examples` deletes
exactly the files listed with their current content. Never run it in an archive of your own:
your papers would then count as examples.
"""

from __future__ import annotations

from pathlib import Path

from generator.scaffold import EXAMPLES_FILE, examples_list

PAPERS_DIR = Path(__file__).resolve().parent.parent / "papers"

if __name__ == "__main__":
    (PAPERS_DIR / EXAMPLES_FILE).write_text(examples_list(PAPERS_DIR), encoding="utf-8")
    print(f"Wrote papers/{EXAMPLES_FILE}")
