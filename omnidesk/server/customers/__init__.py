"""Customers: one profile per person, identities, the card, search, create and edit, and visibility."""
