"""meta connector package."""
