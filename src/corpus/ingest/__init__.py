"""Ingest: read raw seeds and the curated catalog, extract articles with provenance, detect languages."""
