"""The conversation's files, the reply window and templates in the client (Telegram, WhatsApp and other channels)."""
