"""Operations: metrics, structured logs, backup and restore, and the admin's command-line commands."""
