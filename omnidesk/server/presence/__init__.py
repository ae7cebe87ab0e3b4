"""Presence and assignment: who is online, how loaded, and who gets the next conversation (push and "take next")."""
