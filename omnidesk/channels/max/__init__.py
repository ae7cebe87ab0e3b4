"""max connector package."""
