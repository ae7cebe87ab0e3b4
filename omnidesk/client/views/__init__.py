"""Widgets and dialogs of the client. Views talk to the workspace and the models, never to httpx."""
