"""Routing rules: their storage, ordering, history and preview; the decision itself is domain/routing.py."""
