"""Customer satisfaction: a rating request after a conversation is resolved, and the answer, for the reports."""
