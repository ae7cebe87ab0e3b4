"""Channel administration (the configured channel instances: add, list, tokens) and the health/readiness probes."""
