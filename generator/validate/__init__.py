"""Stage 2, validate: turn parsed YAML into `Paper` and `Tag` values, or into problems.

Invariant: pure (`read_vocabulary` aside, which loads the one file it validates). Every
problem is reported, not just the first, each with its file and line. The modules, one job
each: `schema` (the keys a paper may hold), `paper` (one file to a `Paper`), `fields` (the
rule for each structured field), `vocabulary` (`papers/_tags.yaml`), `archive` (checks
between papers), `messages` (how a problem is worded).
"""

from generator.validate.archive import validate_archive
from generator.validate.paper import validate_paper
from generator.validate.schema import PAPER_FIELDS, FieldSpec
from generator.validate.vocabulary import read_vocabulary, validate_vocabulary

__all__ = [
    "PAPER_FIELDS",
    "FieldSpec",
    "read_vocabulary",
    "validate_archive",
    "validate_paper",
    "validate_vocabulary",
]
