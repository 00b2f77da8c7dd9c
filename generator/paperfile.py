"""Write new paper files: the readable YAML that `import-listing`, `add`, `import` and `new` create.

Invariant: `load` + `validate` read back exactly the values given here (tested), keys come
in the schema's order, and an existing file is never overwritten.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from slugify import slugify

from generator.validate import PAPER_FIELDS

_FIELD_ORDER = [spec.name for spec in PAPER_FIELDS]
_ID_LENGTH = 60


_PROSE_FIELDS = ("abstract", "notes")


class _Prose(str):
    """Markdown text, written as a folded block so long paragraphs wrap in the file."""


class _PaperDumper(yaml.SafeDumper):
    """Block style throughout; prose fields as folded (`>-`) blocks."""


_PaperDumper.add_representer(
    _Prose,
    lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style=">"),
)


def paper_id_for(title: str) -> str:
    """Derive a file stem from a title: lower-case words joined by hyphens, at most 60 chars."""
    return slugify(title, max_length=_ID_LENGTH, word_boundary=True, save_order=True) or "paper"


def format_paper_file(fields: dict[str, object]) -> str:
    """Return YAML for a paper's fields, in schema order, omitting empty optional values."""
    ordered = {
        key: fields[key]
        for key in _FIELD_ORDER
        if key in fields and fields[key] not in (None, "", {})
    }
    ordered.update(
        {
            key: value
            for key, value in fields.items()
            if key not in ordered and key not in _FIELD_ORDER
        }
    )
    for key in _PROSE_FIELDS:
        if isinstance(ordered.get(key), str):
            ordered[key] = _Prose(ordered[key])
    return yaml.dump(
        ordered,
        Dumper=_PaperDumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
    )


def write_new_paper_file(path: Path, fields: dict[str, object]) -> None:
    """Create `path` with the paper's YAML; raise `FileExistsError` rather than overwrite."""
    with path.open("x", encoding="utf-8") as handle:
        handle.write(format_paper_file(fields))
