"""Queues: where conversations wait, and who belongs to which."""
