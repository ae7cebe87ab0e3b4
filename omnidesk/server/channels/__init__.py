"""Provider channels on the server (Telegram, WhatsApp, Viber, VK, Meta, Instagram, MAX): sealed credentials, the one
webhook route, the one inbound store, the one poller, templates, reply windows, comment threads."""
