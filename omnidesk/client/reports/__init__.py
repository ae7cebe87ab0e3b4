"""The Reports window: figures, charts and exports from /api/v1/analytics (strings in resources/i18n/reports_*)."""
