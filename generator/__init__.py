"""paper-archive: one YAML file per paper in, a searchable MkDocs Material site out."""
