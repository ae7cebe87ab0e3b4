"""Per-channel settings and encrypted credentials (e-mail, web chat, forms)."""
