"""Curated data files that ship with learn (policy glossary, word lists) and their checks."""
