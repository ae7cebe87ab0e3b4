"""History search: full-text over every message and note, in Ukrainian, Russian and English, within queue scope."""
