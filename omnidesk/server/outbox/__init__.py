"""The outbox: operators' replies queued in their own transaction and delivered through the channel's connector."""
