"""``omnidesk demo``: an embedded server on SQLite with realistic seeded data, live simulated traffic and the client."""
