"""Per-role permission overrides an admin sets; omnidesk.domain.permissions decides with them."""
