"""The WhatsApp Business Cloud API channel: signed webhooks, the 24-hour window and approved templates."""
