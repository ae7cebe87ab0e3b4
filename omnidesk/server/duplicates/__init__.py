"""Duplicate customers: lookup keys, scored suggestions, the review list and "search before create"."""
