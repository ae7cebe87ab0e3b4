"""The Telegram Bot API channel: webhook (setWebhook with a secret_token) or getUpdates long polling."""
