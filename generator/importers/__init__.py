"""Importers: turn outside formats into new paper files (never touching existing ones)."""
