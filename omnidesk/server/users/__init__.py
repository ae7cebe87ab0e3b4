"""Users and their roles and queue memberships."""
