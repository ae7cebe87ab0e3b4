"""Ingest: a delivered message stored exactly once (general path, and group commit on PostgreSQL)."""
