"""Merging two customers into one, reversibly."""
