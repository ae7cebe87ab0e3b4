"""The search feature's schema objects, made by migration 0010 outside the ORM (no table of its own to map).

PostgreSQL: the generated column ``messages.search_vector`` and two GIN indexes on ``messages``; SQLite: the FTS5
table ``messages_fts`` and its shadow tables. The migration tests leave these out when they compare the database with
the models.
"""

from __future__ import annotations

FTS5_TABLES = frozenset(
    {"messages_fts", "messages_fts_data", "messages_fts_idx", "messages_fts_docsize", "messages_fts_config"}
)
PG_INDEXES = frozenset({"ix_messages_search", "ix_messages_trgm"})
PG_COLUMNS = frozenset({"search_vector"})
OUTSIDE_ORM = FTS5_TABLES | PG_INDEXES | PG_COLUMNS
