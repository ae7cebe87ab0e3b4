"""A customer's timeline: one chronological history across channels and conversations."""
