"""Reading `mkdocs.yml` as MkDocs reads it, for the modules that take settings from it
(the pipeline's paths and site details, the engines' hooks and choice of engine).

Invariant: only YAML is interpreted here, never MkDocs' own configuration classes, so
reading the settings imports no engine.
"""

from __future__ import annotations

import yaml
from yaml_env_tag import construct_env_tag


class ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!ENV` as MkDocs resolves it, other tags (`!!python/name`) as None."""


ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
# MkDocs' own `!ENV` constructor, so `site_url: !ENV [SITE_URL, ...]` means the same to both tools.
ConfigLoader.add_constructor("!ENV", construct_env_tag)
