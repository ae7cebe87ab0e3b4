"""Canned replies: personal and per-queue answers with placeholders, in Ukrainian, Russian and English."""
