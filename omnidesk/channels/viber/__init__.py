"""viber connector package."""
